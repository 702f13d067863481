package dev.tickeretl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.StoreException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/** The CLI's log lines, written through slf4j as the library modules write them. */
class CliLogTest {

    private final StringWriter lines = new StringWriter();
    private final Logger log = LoggerFactory.getLogger("dev.tickeretl.polygon.FetchRun");

    @BeforeEach
    void captureLines() {
        CliLog.configure(new PrintWriter(lines, true), Level.WARN);
    }

    @AfterEach
    void restore() {
        CliLog.clock(Clock.systemUTC());
        CliLog.configure(new PrintWriter(System.err, true), CliLog.configuredLevel());
    }

    @Test
    void aLineStartsWithTheWallClockInIso8601UtcThenLevelThreadAndLogger() {
        // The JVM's zone is Asia/Tokyo in tests: the stamp must still be UTC.
        CliLog.clock(Clock.fixed(Instant.parse("2025-01-10T21:05:00Z"), ZoneId.of("Asia/Tokyo")));

        log.warn("AAPL failed: {}", "HTTP 503");

        assertThat(lines.toString()).isEqualTo("2025-01-10T21:05:00.000Z WARN  [" + Thread.currentThread().getName()
                + "] FetchRun - AAPL failed: HTTP 503" + System.lineSeparator());
    }

    @Test
    void stampsComeFromTheWallClockNotFromJvmStart() {
        Instant before = Instant.now().minusMillis(1);
        log.warn("now");
        Instant stamped = Instant.parse(lines.toString().substring(0, lines.toString().indexOf(' ')));
        assertThat(stamped).isBetween(before, Instant.now().plusMillis(1));
    }

    @Test
    void quietShowsErrorsAndNothingLessSevere() {
        CliLog.quiet();

        log.warn("a data-quality warning");
        log.info("a plan");
        log.error("storing AAPL failed");

        assertThat(lines.toString().lines()).singleElement().asString().contains("ERROR").endsWith(
                "storing AAPL failed");
    }

    @Test
    void aThrowableStaysOnItsLineBelowDebug() {
        Exception failure = new StoreException("store file:/d: cannot write partition /d/x/bars.jsonl: IOException "
                + "(Is a directory)", new IOException("Is a directory"));

        log.error("storing {} failed", "AAPL", failure);

        assertThat(lines.toString().lines()).singleElement().asString()
                .endsWith("storing AAPL failed: store file:/d: cannot write partition /d/x/bars.jsonl: IOException "
                        + "(Is a directory)");
    }

    @Test
    void atDebugAThrowableBringsItsStackTrace() {
        CliLog.configure(new PrintWriter(lines, true), Level.DEBUG);

        log.error("storing {} failed", "AAPL", new IllegalStateException("boom"));

        assertThat(lines.toString()).contains("storing AAPL failed").contains("java.lang.IllegalStateException: boom")
                .contains("\tat dev.tickeretl.cli.CliLogTest.");
    }

    @Test
    void aForeignExceptionIsNamedWithItsCause() {
        log.warn("request failed", new RuntimeException("wrapper", new IOException("connection reset")));

        assertThat(lines.toString()).contains("request failed: RuntimeException: wrapper (caused by IOException: "
                + "connection reset)");
    }

    @Test
    void levelNamesParseCaseInsensitivelyAndUnknownOnesFallBack() {
        assertThat(CliLog.parseLevel("debug", Level.WARN)).isEqualTo(Level.DEBUG);
        assertThat(CliLog.parseLevel(" Error ", Level.WARN)).isEqualTo(Level.ERROR);
        assertThat(CliLog.parseLevel("warning", Level.INFO)).isEqualTo(Level.WARN);
        assertThat(CliLog.parseLevel("loud", Level.WARN)).isEqualTo(Level.WARN);
        assertThat(CliLog.parseLevel(null, Level.INFO)).isEqualTo(Level.INFO);
    }
}
