package dev.tickeretl.cli;

import static dev.tickeretl.cli.CliRunner.cli;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.RunRecord;
import dev.tickeretl.RunStatus;
import dev.tickeretl.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user sees when a partition is damaged, and when the store can only be read or is not there. */
class DamagedAndReadOnlyStoreTest {

    private static final String[] RANGE = {"--from", "2025-01-02", "--to", "2025-01-31"};

    @TempDir
    Path dir;

    private String[] ingest(String store, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("ingest", "--source", "simulator", "--store", store));
        args.addAll(List.of(RANGE));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void aCorruptPartitionFailsOnlyItsTickerAndTheErrorNamesTheFileTheLineAndTheFix() throws IOException {
        Path store = dir.resolve("data");
        assertThat(cli(ingest(store.toString())).exit()).isZero();
        Path aapl = store.resolve("bars/timespan=day/ticker=AAPL/year=2025/bars.jsonl");
        List<String> lines = Files.readAllLines(aapl);
        lines.set(6, lines.get(6).substring(0, 50));
        Files.write(aapl, lines);

        // A correction upstream is due, so every ticker's partitions are written again.
        CliRunner.Result r = cli(ingest(store.toString(), "--source-option", "seed=43"));

        assertThat(r.exit()).as(r.err()).isEqualTo(3);
        RunRecord run;
        try (Store s = Store.open(store.toString())) {
            run = s.runs().get(0);
        }
        assertThat(run.tickers().get("AAPL").status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.tickers().get("AAPL").error()).contains(
                "bars/timespan=day/ticker=AAPL/year=2025/bars.jsonl line 7 ").contains("move the file away")
                .doesNotContain("Source: (String)").doesNotContain("\n");
        assertThat(run.tickers()).allSatisfy((ticker, outcome) -> {
            if (!ticker.equals("AAPL")) {
                assertThat(outcome.status()).as(ticker).isEqualTo(RunStatus.SUCCEEDED);
            }
        });

        // Moved away, as the message says: the next run fetches it again and all is well.
        Files.move(aapl, dir.resolve("aapl-2025.jsonl.broken"));
        assertThat(cli(ingest(store.toString(), "--source-option", "seed=43")).exit()).isZero();
        assertThat(cli("bars", "--ticker", "AAPL", "--from", "2025-01-02", "--to", "2025-01-31", "--store",
                store.toString()).out().lines().count()).isEqualTo(21);
    }

    @Test
    void readingCommandsCreateNothingAndAMissingStoreIsOneLine() throws IOException {
        Path missing = dir.resolve("mistyped/path");

        CliRunner.Result runs = cli("runs", "--store", missing.toString());
        CliRunner.Result bars = cli("bars", "--ticker", "AAPL", "--from", "2025-01-02", "--to", "2025-01-31",
                "--store", missing.toString());

        assertThat(runs.exit()).isEqualTo(1);
        assertThat(runs.errLines()).hasSize(1).allSatisfy(l -> assertThat(l).contains(missing.toString())
                .contains("does not exist"));
        assertThat(bars.exit()).isEqualTo(1);
        assertThat(bars.errLines()).hasSize(1);
        assertThat(dir.resolve("mistyped")).doesNotExist();
    }

    @Test
    void barsAndRunsWorkOnAStoreTheyMayNotWriteAndChangeNothingThere() throws IOException {
        Path store = dir.resolve("data");
        assertThat(cli(ingest(store.toString())).exit()).isZero();
        Map<String, FileTime> before = snapshot(store);
        setWritable(store, false);
        try {
            CliRunner.Result runs = cli("runs", "--store", store.toString());
            CliRunner.Result bars = cli("bars", "--ticker", "MSFT", "--from", "2025-01-02", "--to", "2025-01-31",
                    "--store", store.toString());

            assertThat(runs.exit()).as(runs.err()).isZero();
            assertThat(runs.out()).contains("SUCCEEDED");
            assertThat(bars.exit()).as(bars.err()).isZero();
            assertThat(bars.out().lines().count()).isEqualTo(21);
        } finally {
            setWritable(store, true);
        }
        assertThat(snapshot(store)).as("nothing created, changed or removed").isEqualTo(before);
    }

    /** Every entry (hidden ones too) with its modification time: creating anything changes its directory's. */
    private static Map<String, FileTime> snapshot(Path root) throws IOException {
        Map<String, FileTime> all = new TreeMap<>();
        try (Stream<Path> entries = Files.walk(root)) {
            for (Path p : entries.toList()) {
                all.put(root.relativize(p).toString(), Files.getLastModifiedTime(p));
            }
        }
        return all;
    }

    private static void setWritable(Path root, boolean writable) throws IOException {
        try (Stream<Path> entries = Files.walk(root)) {
            for (Path p : entries.toList()) {
                p.toFile().setWritable(writable, false);
            }
        }
    }
}
