package dev.tickeretl.cli;

import static dev.tickeretl.cli.CliRunner.cli;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two runs on one store at once: both succeed, nothing is corrupted, no update is lost. */
class ConcurrentRunsTest {

    @TempDir
    Path dir;

    private static Map<String, String> partitions(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root.resolve("bars"))) {
            for (Path p : all.filter(p -> p.getFileName().toString().equals("bars.jsonl")).toList()) {
                files.put(root.relativize(p).toString(), Files.readString(p));
            }
        }
        return files;
    }

    @Test
    void twoOverlappingRunsAtOnceLeaveExactlyWhatOneRunOverBothRangesLeaves() throws Exception {
        String shared = dir.resolve("shared").toUri().toString();
        String[] first = {"ingest", "--source", "simulator", "--tickers", "AAPL,MSFT,NVDA", "--from", "2024-06-03",
                "--to", "2024-12-31", "--store", shared};
        String[] second = {"ingest", "--source", "simulator", "--tickers", "MSFT,NVDA,AMZN", "--from", "2024-10-01",
                "--to", "2025-03-31", "--store", shared};
        for (int round = 0; round < 3; round++) {
            CyclicBarrier start = new CyclicBarrier(2);
            CompletableFuture<CliRunner.Result> a = CompletableFuture.supplyAsync(() -> {
                await(start);
                return cli(first);
            });
            CompletableFuture<CliRunner.Result> b = CompletableFuture.supplyAsync(() -> {
                await(start);
                return cli(second);
            });
            assertThat(a.get().exit()).as(a.get().err()).isZero();
            assertThat(b.get().exit()).as(b.get().err()).isZero();
        }

        // The same bars written by one run per ticker, one after the other, without any race.
        String clean = dir.resolve("clean").toUri().toString();
        assertThat(cli("ingest", "--source", "simulator", "--tickers", "AAPL", "--from", "2024-06-03", "--to",
                "2024-12-31", "--store", clean).exit()).isZero();
        assertThat(cli("ingest", "--source", "simulator", "--tickers", "MSFT,NVDA", "--from", "2024-06-03", "--to",
                "2025-03-31", "--store", clean).exit()).isZero();
        assertThat(cli("ingest", "--source", "simulator", "--tickers", "AMZN", "--from", "2024-10-01", "--to",
                "2025-03-31", "--store", clean).exit()).isZero();
        assertThat(partitions(dir.resolve("shared"))).isEqualTo(partitions(dir.resolve("clean")));
        try (Stream<Path> debris = Files.walk(dir.resolve("shared"))) {
            assertThat(debris.filter(p -> p.getFileName().toString().endsWith(".tmp"))).isEmpty();
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
