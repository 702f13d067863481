package dev.tickeretl.bench;

import dev.tickeretl.Bar;
import dev.tickeretl.Timespan;
import dev.tickeretl.TradingCalendar;
import dev.tickeretl.internal.DataStore;
import dev.tickeretl.internal.MemoryStorage;
import dev.tickeretl.internal.Providers;
import dev.tickeretl.spi.PhaseTagger;
import dev.tickeretl.spi.ProviderContext;
import dev.tickeretl.spi.Storage;
import dev.tickeretl.testkit.TestBars;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

/**
 * A store's write of one ticker's history over a stored copy ({@link DataStore#write}, the keyed merge every
 * backend shares): read the partition files, merge by key, tag the day bars against the stored sessions, and (when
 * something changed) encode and replace them atomically, here in the file store (temp file, fsync, rename). Daily
 * partitions are one file per year, so 1 year is one partition of ~252 bars and 20 years are 20 of them
 * (~5,030 bars). Time per write call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 1)
public class PartitionMergeBenchmark {

    private static final String TICKER = "AAPL";

    @Param({"1", "20"})
    public int years;

    private Path dir;
    private DataStore fileStore;
    /** The same partitions in memory, for the merge without I/O. */
    private DataStore memoryStore;
    private final PhaseTagger tagger = Providers.phaseTagger("brief");
    private List<Bar> history;
    /** The history with one bar per partition changed, in two versions, so that every write changes something. */
    private List<Bar> changedA;
    private List<Bar> changedB;
    private boolean useA;
    private boolean memoryUseA;

    @Setup
    public void setup() throws IOException {
        history = BenchData.taggedDays(TICKER, BenchData.firstDay(years), BenchData.LAST_DAY);
        changedA = changeLastBarOfEachPartition(history, 1);
        changedB = changeLastBarOfEachPartition(history, 2);
        dir = Files.createTempDirectory("ticker-etl-bench-merge");
        URI uri = dir.toUri();
        Storage files = Providers.store(uri).open(uri, ProviderContext.of(Map.of()), Storage.Access.READ_WRITE);
        fileStore = new DataStore(files, TradingCalendar.nyse());
        memoryStore = new DataStore(MemoryStorage.create(), TradingCalendar.nyse());
        for (DataStore store : List.of(fileStore, memoryStore)) {
            DataStore.WriteOutcome first = write(store, history);
            if (first.filesWritten() != years) {
                throw new IllegalStateException("expected " + years + " partition files in " + store + ", wrote "
                        + first.filesWritten());
            }
        }
    }

    @TearDown
    public void tearDown() {
        fileStore.close();
        memoryStore.close();
        BenchData.deleteTree(dir);
    }

    /** A re-run: everything read and merged, nothing changed, nothing written. */
    @Benchmark
    public DataStore.WriteOutcome rewriteUnchanged() {
        return write(fileStore, history);
    }

    /** One bar per partition changed: every partition read, merged, encoded, written to a temp file, fsynced, renamed. */
    @Benchmark
    public DataStore.WriteOutcome rewriteChanged() {
        useA = !useA;
        return write(fileStore, useA ? changedA : changedB);
    }

    /** The CPU part alone: the same write as {@link #rewriteChanged} (decode, merge, tag, encode) into memory. */
    @Benchmark
    public DataStore.WriteOutcome mergeInMemory() {
        memoryUseA = !memoryUseA;
        return write(memoryStore, memoryUseA ? changedA : changedB);
    }

    private DataStore.WriteOutcome write(DataStore store, List<Bar> bars) {
        return store.write(TICKER, Timespan.DAY, true, bars, tagger);
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
