package dev.tickeretl.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The launcher's training run for class-data sharing: runs, in one JVM, the commands users run (an ingest through
 * the Polygon source's HTTP path against the offline simulator, its re-run, {@code runs}, {@code bars} in both
 * formats, help and a usage error) so that {@code -XX:ArchiveClassesAtExit} archives the classes they load. Uses a
 * temporary store that it deletes, reads no API key and reaches nothing but 127.0.0.1. Not for users.
 */
public final class StartupTraining {

    private StartupTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("ticker-etl-training");
        int failures = 0;
        try {
            String store = dir.resolve("data").toUri().toString();
            String[] range = {"--from", "2025-01-02", "--to", "2025-01-10"};
            failures += run(0, "ingest", "--source", "simulator", "--tickers", "AAPL,BRK.A", range[0], range[1],
                    range[2], range[3], "--store", store);
            failures += run(0, "ingest", "--source", "simulator", "--tickers", "AAPL,BRK.A", range[0], range[1],
                    range[2], range[3], "--store", store, "--incremental", "--quiet");
            failures += run(0, "runs", "--store", store);
            failures += run(0, "bars", "--ticker", "AAPL", range[0], range[1], range[2], range[3], "--store", store);
            failures += run(0, "bars", "--ticker", "AAPL", range[0], range[1], range[2], range[3], "--store", store,
                    "--format", "jsonl");
            failures += run(0, "check", "--store", store);
            failures += run(0, "--help");
            failures += run(0, "ingest", "--help");
            failures += run(2, "runs", "--limit", "0", "--store", store);
        } finally {
            delete(dir);
        }
        // Exit explicitly: the archive is written at exit, and a lingering non-daemon thread must not delay it.
        System.exit(failures == 0 ? 0 : 1);
    }

    private static int run(int expectedExit, String... args) {
        PrintWriter discard = new PrintWriter(Writer.nullWriter());
        return Main.run(discard, discard, args) == expectedExit ? 0 : 1;
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
