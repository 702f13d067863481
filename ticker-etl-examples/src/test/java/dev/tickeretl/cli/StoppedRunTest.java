package dev.tickeretl.cli;

import static dev.tickeretl.cli.CliRunner.cli;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.RunRecord;
import dev.tickeretl.RunStatus;
import dev.tickeretl.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real CLI in its own JVM, stopped by SIGTERM or killed with SIGKILL midway: the run record never stays
 * RUNNING for a process that is gone, and the next incremental run resumes from what was committed.
 */
class StoppedRunTest {

    private static final String TICKERS = "AAPL,MSFT,NVDA,AMZN,GOOGL";

    @TempDir
    Path dir;

    /**
     * An ingest slow enough to stop midway: the simulator answers each request after 300 ms, one at a time, in
     * pages of 25 bars (about 4 s per ticker-year).
     */
    private Process start(Path store) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "ingest", "--source", "simulator", "--source-option", "latency=PT0.3S", "--source-option", "page-size=25", "--concurrency", "1",
                "--tickers", TICKERS, "--from", "2024-01-02", "--to", "2024-12-31", "--store", store.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("cli-" + System.nanoTime() + ".log").toFile()).start();
    }

    /** Waits until the process has stored at least {@code files} partition files. */
    private static void awaitFiles(Path store, int files, Process p) throws Exception {
        long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() - giveUp < 0 && p.isAlive()) {
            if (Files.isDirectory(store.resolve("bars"))) {
                try (Stream<Path> all = Files.walk(store.resolve("bars"))) {
                    if (all.filter(f -> f.getFileName().toString().equals("bars.jsonl")).count() >= files) {
                        return;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the ingest stored fewer than " + files + " files (alive: " + p.isAlive() + ")");
    }

    private static List<RunRecord> runs(Path store) {
        try (Store s = Store.open(store.toString())) {
            return s.runs();
        }
    }

    @Test
    @Timeout(120)
    void sigtermRecordsCancelledWithTheTotalsSoFarAndTheNextRunResumes() throws Exception {
        Path store = dir.resolve("data");
        Process p = start(store);
        awaitFiles(store, 2, p);

        p.destroy(); // SIGTERM
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("exit code after SIGTERM").isEqualTo(Main.EXIT_CANCELLED);

        List<RunRecord> runs = runs(store);
        assertThat(runs).hasSize(1);
        RunRecord stopped = runs.get(0);
        assertThat(stopped.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(stopped.finishedAt()).isNotNull();
        assertThat(stopped.totals().written()).isPositive();
        assertThat(stopped.tickers().values()).extracting(RunRecord.TickerOutcome::status)
                .contains(RunStatus.SUCCEEDED, RunStatus.CANCELLED);

        CliRunner.Result resumed = cli("ingest", "--source", "simulator", "--incremental", "--tickers", TICKERS,
                "--from", "2024-01-02", "--to", "2024-12-31", "--store", store.toString());
        assertThat(resumed.exit()).as(resumed.err()).isZero();
        RunRecord second = runs(store).get(0);
        stopped.tickers().forEach((ticker, outcome) -> {
            if (outcome.status() == RunStatus.SUCCEEDED) {
                assertThat(second.tickers().get(ticker).fetched()).as("%s finished before SIGTERM", ticker).isZero();
            }
        });
    }

    @Test
    @Timeout(120)
    void aKilledRunIsShownAbandonedByRunsAndRecordedSoByTheNextRun() throws Exception {
        Path store = dir.resolve("data");
        Process p = start(store);
        awaitFiles(store, 2, p);

        p.destroyForcibly(); // SIGKILL: no hook runs
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(runs(store)).extracting(RunRecord::status).containsExactly(RunStatus.ABANDONED);

        CliRunner.Result list = cli("runs", "--store", store.toString());
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains("ABANDONED").doesNotContain("RUNNING");

        CliRunner.Result resumed = cli("ingest", "--source", "simulator", "--incremental", "--tickers", TICKERS,
                "--from", "2024-01-02", "--to", "2024-12-31", "--store", store.toString());
        assertThat(resumed.exit()).as(resumed.err()).isZero();
        Path killedRecord;
        try (Stream<Path> records = Files.list(store.resolve("runs"))) {
            killedRecord = records.filter(f -> f.getFileName().toString().endsWith(".json")
                    && !f.getFileName().toString().startsWith(".")).sorted().findFirst().orElseThrow();
        }
        String onDisk = Files.readString(killedRecord);
        assertThat(onDisk).contains("\"status\" : \"ABANDONED\"").contains("is gone");
    }
}
