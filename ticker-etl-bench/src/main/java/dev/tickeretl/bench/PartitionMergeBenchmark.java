package dev.tickeretl.bench;

import dev.tickeretl.Bar;
import dev.tickeretl.internal.Providers;
import dev.tickeretl.spi.BarStore;
import dev.tickeretl.spi.PartitionMerge;
import dev.tickeretl.spi.StoreLayout;
import dev.tickeretl.spi.WriteResult;
import dev.tickeretl.testkit.TestBars;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The file store's write of one ticker's history over a stored copy: read the partition files, merge by key, and
 * (when something changed) encode and replace them atomically with fsync. Daily partitions are one file per year,
 * so 1 year is one partition of ~252 bars and 20 years are 20 of them (~5,030 bars). Time per write call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 1)
public class PartitionMergeBenchmark {

    @Param({"1", "20"})
    public int years;

    private Path dir;
    private BarStore store;
    private List<Bar> history;
    /** The history with one bar per partition changed, in two versions, so that every write changes something. */
    private List<Bar> changedA;
    private List<Bar> changedB;
    private boolean useA;
    /** Each partition's stored bytes and its changed bars, for the merge without I/O. */
    private final List<byte[]> storedFiles = new ArrayList<>();
    private final List<List<Bar>> incomingByPartition = new ArrayList<>();

    @Setup
    public void setup() throws IOException {
        history = BenchData.taggedDays("AAPL", BenchData.firstDay(years), BenchData.LAST_DAY);
        changedA = changeLastBarOfEachPartition(history, 1);
        changedB = changeLastBarOfEachPartition(history, 2);
        dir = Files.createTempDirectory("ticker-etl-bench-merge");
        URI uri = dir.toUri();
        store = Providers.store(uri).open(uri, Map.of());
        WriteResult first = store.write(history);
        if (first.filesWritten() != years) {
            throw new IllegalStateException("expected " + years + " partition files, wrote " + first.filesWritten());
        }
        Map<String, List<Bar>> incoming = new LinkedHashMap<>();
        for (Bar b : changedA) {
            incoming.computeIfAbsent(StoreLayout.partitionOf(b), p -> new ArrayList<>()).add(b);
        }
        for (Map.Entry<String, List<Bar>> e : incoming.entrySet()) {
            storedFiles.add(Files.readAllBytes(dir.resolve(e.getKey())));
            incomingByPartition.add(e.getValue());
        }
    }

    @TearDown
    public void tearDown() {
        store.close();
        BenchData.deleteTree(dir);
    }

    /** A re-run: everything read and merged, nothing changed, nothing written. */
    @Benchmark
    public WriteResult rewriteUnchanged() {
        return store.write(history);
    }

    /** One bar per partition changed: every partition read, merged, encoded, written to a temp file, fsynced, renamed. */
    @Benchmark
    public WriteResult rewriteChanged() {
        useA = !useA;
        return store.write(useA ? changedA : changedB);
    }

    /** The CPU part alone: decode the stored lines, merge, encode; no file I/O. */
    @Benchmark
    public void mergeInMemory(Blackhole bh) {
        for (int i = 0; i < storedFiles.size(); i++) {
            PartitionMerge.Result merged = PartitionMerge.merge(PartitionMerge.decode(storedFiles.get(i)),
                    incomingByPartition.get(i));
            bh.consume(PartitionMerge.encode(merged.bars()));
        }
    }

    private static List<Bar> changeLastBarOfEachPartition(List<Bar> bars, double extraVolume) {
        List<Bar> out = new ArrayList<>(bars);
        for (int i = 0; i < out.size(); i++) {
            boolean lastOfYear = i == out.size() - 1
                    || out.get(i + 1).tradingDate().getYear() != out.get(i).tradingDate().getYear();
            if (lastOfYear) {
                out.set(i, TestBars.withVolume(out.get(i), out.get(i).volume() + extraVolume));
            }
        }
        return out;
    }
}
