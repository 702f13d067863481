package dev.tickeretl.bench;

import dev.tickeretl.Bar;
import dev.tickeretl.Store;
import dev.tickeretl.Timespan;
import dev.tickeretl.internal.JsonCodec;
import dev.tickeretl.internal.PartitionFile;
import dev.tickeretl.internal.StoreLayout;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Reading one ticker's 20 years of daily bars (2005-2024: 20 year partitions, {@value #BARS} bars) on one thread,
 * in bars per second: decoding the partition bytes with the fast line parser and, for comparison, with Jackson as
 * before; and the whole store read ({@link Store#bars}: files from the page cache, decode, filter, sort).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
public class ReadPathBenchmark {

    /** The simulator's bars on NYSE trading days 2005-2024 (a few days have none, as upstream). */
    public static final int BARS = 5033;

    private Path dir;
    private Store store;
    private final List<String> paths = new ArrayList<>();
    private final List<byte[]> partitions = new ArrayList<>();

    @Setup
    public void setup() throws IOException {
        List<Bar> history = BenchData.taggedDays("AAPL", BenchData.firstDay(20), BenchData.LAST_DAY);
        if (history.size() != BARS) {
            throw new IllegalStateException("expected " + BARS + " bars, made " + history.size());
        }
        dir = Files.createTempDirectory("ticker-etl-bench-read");
        BenchData.writeFileStore(dir, "AAPL", history);
        for (String path : StoreLayout.partitionsBetween("AAPL", Timespan.DAY, true, history.get(0).tradingDate(),
                history.get(history.size() - 1).tradingDate())) {
            paths.add(path);
            partitions.add(Files.readAllBytes(dir.resolve(path)));
        }
        store = Store.open(dir.toUri());
    }

    @TearDown
    public void tearDown() {
        store.close();
        BenchData.deleteTree(dir);
    }

    /** {@link PartitionFile#decode}: the fast parser for our lines (Jackson only for other shapes). */
    @Benchmark
    @OperationsPerInvocation(BARS)
    public void decodeFast(Blackhole bh) {
        for (int i = 0; i < partitions.size(); i++) {
            bh.consume(PartitionFile.decode("bench", paths.get(i), partitions.get(i)));
        }
    }

    /** What decode did before: every line through Jackson databind. */
    @Benchmark
    @OperationsPerInvocation(BARS)
    public void decodeJackson(Blackhole bh) {
        for (byte[] p : partitions) {
            bh.consume(decodeWithJackson(p));
        }
    }

    /** The read every consumer makes: {@code Store.bars(ticker, 20 years)} on the file store. */
    @Benchmark
    @OperationsPerInvocation(BARS)
    public List<Bar> storeRead() {
        return store.bars("AAPL", BenchData.firstDay(20), BenchData.LAST_DAY);
    }

    static List<Bar> decodeWithJackson(byte[] jsonLines) {
        List<Bar> bars = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(jsonLines),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    bars.add(JsonCodec.parseBar(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bars;
    }
}
