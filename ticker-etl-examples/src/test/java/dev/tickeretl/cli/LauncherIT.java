package dev.tickeretl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.simulator.PolygonSimulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code ./ticker-etl} script with the runnable jar, as a user runs them (after {@code package}). Each test
 * works on a copy laid out like a checkout (the script at its root, the jar under
 * {@code ticker-etl-examples/target}), with no sources, so the script never rebuilds and no test touches the build.
 */
class LauncherIT {

    private static final String ISO_UTC_STAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

    @TempDir
    static Path dir;

    private static Path checkout;
    private static Path jar;
    private static Path archive;

    @BeforeAll
    static void layOutACheckout() throws Exception {
        checkout = Files.createDirectories(dir.resolve("checkout"));
        Files.copy(Path.of(System.getProperty("ticker-etl.launcher")), checkout.resolve("ticker-etl"),
                StandardCopyOption.COPY_ATTRIBUTES);
        Path target = Files.createDirectories(checkout.resolve("ticker-etl-examples/target"));
        jar = Files.copy(Path.of(System.getProperty("ticker-etl.jar")), target.resolve("ticker-etl.jar"));
        archive = target.resolve("ticker-etl.jsa");
        // Once, so that each test starts with the start-up archive in place.
        assertThat(launch(List.of(checkout.resolve("ticker-etl").toString(), "--version"), Map.of()).exit())
                .isZero();
    }

    @Test
    void runsThroughAChainOfSymlinksFromAnotherDirectory() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path relative = Files.createSymbolicLink(bin.resolve("te"), Path.of("../checkout/ticker-etl"));
        Path other = Files.createDirectories(dir.resolve("elsewhere/bin"));
        Path absolute = Files.createSymbolicLink(other.resolve("ticker-etl"), relative);

        Run r = launch(List.of(absolute.toString(), "--version"), Map.of());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("ticker-etl 0.1.0\n");
    }

    @Test
    void makesAStartUpArchiveOnceRunsOnItAndRemakesItWhenTheJarChanges() throws Exception {
        Files.deleteIfExists(archive);
        // `runs` reads a store and never creates one: an empty one is there.
        String store = Files.createDirectories(dir.resolve("runs-store")).toUri().toString();

        Run first = launch(List.of(launcher(), "runs", "--store", store), Map.of());
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.err()).contains("preparing faster start-up");
        assertThat(Files.size(archive)).isGreaterThan(1_000_000);
        FileTime made = Files.getLastModifiedTime(archive);

        Path classLog = dir.resolve("classes.log");
        Run second = launch(List.of(launcher(), "runs", "--store", store),
                Map.of("JAVA_TOOL_OPTIONS", "-Xlog:class+load:file=" + classLog));
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(second.err()).doesNotContain("preparing");
        assertThat(Files.getLastModifiedTime(archive)).isEqualTo(made);
        // The CLI's own classes and picocli's (Java 5 class files) come from the archive, not from the jar.
        assertThat(Files.readAllLines(classLog)).anySatisfy(l -> assertThat(l)
                        .contains("dev.tickeretl.cli.Main source: shared objects file"))
                .anySatisfy(l -> assertThat(l).contains("picocli.CommandLine source: shared objects file"));

        // A new build: the jar is newer than the archive.
        Files.setLastModifiedTime(archive, FileTime.from(Instant.now().minusSeconds(20)));
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(10)));
        Run rebuilt = launch(List.of(launcher(), "runs", "--store", store), Map.of());
        assertThat(rebuilt.exit()).as(rebuilt.err()).isZero();
        assertThat(rebuilt.err()).contains("preparing faster start-up");
        assertThat(Files.getLastModifiedTime(archive).toInstant()).isAfter(Files.getLastModifiedTime(jar)
                .toInstant());
    }

    @Test
    void aBrokenOrForeignArchiveIsIgnoredWithoutAWord() throws Exception {
        Files.write(archive, new byte[] {'n', 'o', 't', ' ', 'a', 'n', ' ', 'a', 'r', 'c', 'h', 'i', 'v', 'e'});
        Files.setLastModifiedTime(archive, FileTime.from(Instant.now().plusSeconds(60)));

        Run r = launch(List.of(launcher(), "runs", "--store",
                Files.createDirectories(dir.resolve("broken-store")).toUri().toString()), Map.of());

        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("RUN_ID");
        assertThat(r.err()).isEmpty();
        Files.delete(archive); // the next test makes a good one again
    }

    @Test
    void logLinesCarryUtcWallClockStampsAndQuietSilencesWarnings() throws Exception {
        try (PolygonSimulator simulator = PolygonSimulator.builder().delayed(true).start()) {
            List<String> ingest = new ArrayList<>(List.of(launcher(), "ingest", "--source", "polygon", "--base-url",
                    simulator.baseUrl(), "--tickers", "AAPL", "--from", "2025-01-02", "--to", "2025-01-03",
                    "--store", dir.resolve("warn-store").toUri().toString()));
            Map<String, String> key = Map.of("POLYGON_API_KEY", "launcher-it-dummy-key");

            Run loud = launch(ingest, key);
            ingest.add("--quiet");
            Run quiet = launch(ingest, key);

            // DELAYED answers are a data-quality warning: a WARN line, stamped with the wall clock in UTC.
            assertThat(loud.exit()).as(loud.err()).isZero();
            assertThat(loud.err().lines()).anySatisfy(l -> assertThat(l)
                    .matches(ISO_UTC_STAMP + " WARN  \\[[^]]+] Pipeline - data quality SOURCE_WARNING .*DELAYED.*"));
            assertThat(quiet.exit()).as(quiet.err()).isZero();
            assertThat(quiet.err()).isEmpty();
            assertThat(quiet.out()).isEmpty();
        }
    }

    private static String launcher() {
        return checkout.resolve("ticker-etl").toString();
    }

    record Run(int exit, String out, String err) {
    }

    private static Run launch(List<String> command, Map<String, String> env) throws IOException,
            InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Path cwd = Files.createDirectories(dir.resolve("cwd"));
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().keySet().removeAll(List.of("POLYGON_API_KEY", "MASSIVE_API_KEY", "JAVA_TOOL_OPTIONS",
                "TICKER_ETL_LOG_LEVEL", "TICKER_ETL_CDS"));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("no exit within 180 s: " + command);
        }
        String stderr = Files.readString(err).lines()
                .filter(l -> !l.startsWith("Picked up JAVA_TOOL_OPTIONS")) // the JVM's note about the test's option
                .reduce("", (a, b) -> a + b + "\n");
        return new Run(p.exitValue(), Files.readString(out), stderr);
    }
}
