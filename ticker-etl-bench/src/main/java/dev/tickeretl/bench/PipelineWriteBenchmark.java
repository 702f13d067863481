package dev.tickeretl.bench;

import dev.tickeretl.RunRecord;
import dev.tickeretl.RunStatus;
import dev.tickeretl.TickerEtl;
import dev.tickeretl.TradingCalendar;
import dev.tickeretl.spi.RawBar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * The store-write side of scenario (a) with HTTP taken out: a whole {@link TickerEtl} run of 500 tickers x 1 year
 * (126,000 bars into 500 partition files, fsync and all, then offsets and coverage committed) fed by a
 * {@link ReplaySource}, into a fresh file store every iteration; and its re-run over the filled store. Time per run;
 * bars/s = bars / time.
 *
 * <p>The range starts on the year's second trading day: the pipeline stores the lookback day it asks for too, and
 * starting a day later keeps that day in the same year, so each ticker is still one partition file of 252 bars.
 *
 * <p>{@code storage=disk} puts the store in {@code java.io.tmpdir}; {@code storage=tmpfs} in {@code /dev/shm}, where
 * fsync costs nothing, which separates the durability cost (two or more fsyncs per partition file) from the rest.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 3)
@Measurement(iterations = 5)
public class PipelineWriteBenchmark {

    @Param({"500"})
    public int tickers;

    @Param({"disk", "tmpfs"})
    public String storage;

    private List<String> symbols;
    private Map<String, List<RawBar>> raw;
    private Path freshDir;
    private Path filledDir;

    /** The first day asked for; its lookback, the year's first trading day, is fetched and stored as well. */
    static final LocalDate FROM = TradingCalendar.nyse().nextTradingDay(BenchData.firstDay(1));

    @Setup(Level.Trial)
    public void data() throws IOException {
        symbols = BenchData.universe(tickers);
        // From the lookback day on, as the pipeline asks for it.
        raw = BenchData.rawDays(symbols, TradingCalendar.nyse().previousTradingDay(FROM), BenchData.LAST_DAY);
        filledDir = createStoreDir("ticker-etl-bench-filled");
        requireSucceeded(run(filledDir));
    }

    @Setup(Level.Iteration)
    public void freshStore() throws IOException {
        freshDir = createStoreDir("ticker-etl-bench-fresh");
    }

    @TearDown(Level.Iteration)
    public void removeFreshStore() {
        BenchData.deleteTree(freshDir);
    }

    @TearDown(Level.Trial)
    public void removeFilledStore() {
        BenchData.deleteTree(filledDir);
    }

    /** Scenario (a)'s pipeline into an empty store. */
    @Benchmark
    public RunRecord firstRun() {
        return requireSucceeded(run(freshDir));
    }

    /** Scenario (c)'s pipeline: every partition read and merged, nothing written. */
    @Benchmark
    public RunRecord reRun() {
        RunRecord run = requireSucceeded(run(filledDir));
        if (run.totals().bytesWritten() != 0) {
            throw new IllegalStateException("a re-run wrote " + run.totals().bytesWritten() + " bytes");
        }
        return run;
    }

    private Path createStoreDir(String prefix) throws IOException {
        if (storage.equals("disk")) {
            return Files.createTempDirectory(prefix);
        }
        if (storage.equals("tmpfs")) {
            Path shm = Path.of("/dev/shm");
            if (!Files.isDirectory(shm) || !Files.isWritable(shm)) {
                throw new IllegalStateException("storage=tmpfs needs a writable /dev/shm; run with -p storage=disk");
            }
            return Files.createTempDirectory(shm, prefix);
        }
        throw new IllegalArgumentException("storage: expected disk or tmpfs, got '" + storage + "'");
    }

    RunRecord run(Path dir) {
        return TickerEtl.builder()
                .tickers(symbols)
                .from(FROM).to(BenchData.LAST_DAY)
                .source(new ReplaySource(raw))
                .store(dir.toUri())
                .build()
                .run();
    }

    private static RunRecord requireSucceeded(RunRecord run) {
        if (run.status() != RunStatus.SUCCEEDED) {
            throw new IllegalStateException("benchmark run ended " + run.status() + ": " + run.error());
        }
        return run;
    }
}
