package dev.tickeretl.cli;

import dev.tickeretl.TickerEtlException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.Locale;
import org.slf4j.event.Level;

/**
 * Where the CLI's log lines go and which ones are shown. The command sets both per invocation: the error stream it
 * writes to, and the level ({@code TICKER_ETL_LOG_LEVEL}, default {@code warn}; {@code --quiet} shows errors only).
 *
 * <p>A line is {@code 2025-01-10T21:05:00.123Z WARN  [thread] Logger - message}: the wall clock in UTC, so lines
 * from several runs and hosts sort and compare. A throwable adds its messages to the same line; its stack trace is
 * printed only at DEBUG, for whoever needs to know where it was thrown rather than what went wrong.
 */
final class CliLog {

    static final String LEVEL_VARIABLE = "TICKER_ETL_LOG_LEVEL";
    /** The same, as a system property (for JShell's remote JVM and tests); it wins over the variable. */
    static final String LEVEL_PROPERTY = "ticker-etl.log.level";

    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder().appendInstant(3).toFormatter();

    private static volatile PrintWriter sink = new PrintWriter(System.err, true);
    private static volatile Level threshold = configuredLevel();
    private static volatile Clock clock = Clock.systemUTC();

    private CliLog() {
    }

    /** Log lines of {@code level} and more severe go to {@code err} from now on. */
    static void configure(PrintWriter err, Level level) {
        sink = err;
        threshold = level;
    }

    /** Shows only errors from now on ({@code --quiet}). */
    static void quiet() {
        threshold = Level.ERROR;
    }

    static Level threshold() {
        return threshold;
    }

    /** For tests: the clock that stamps lines. */
    static void clock(Clock c) {
        clock = c;
    }

    /** The level the environment asks for: the property, else the variable, else WARN. */
    static Level configuredLevel() {
        String wanted = System.getProperty(LEVEL_PROPERTY);
        if (wanted == null || wanted.isBlank()) {
            wanted = System.getenv(LEVEL_VARIABLE);
        }
        return parseLevel(wanted, Level.WARN);
    }

    static Level parseLevel(String name, Level fallback) {
        if (name == null || name.isBlank()) {
            return fallback;
        }
        String upper = name.strip().toUpperCase(Locale.ROOT);
        for (Level l : Level.values()) {
            if (l.name().equals(upper)) {
                return l;
            }
        }
        return upper.equals("WARNING") ? Level.WARN : fallback;
    }

    static boolean enabled(Level level) {
        return level.toInt() >= threshold.toInt();
    }

    static void write(Level level, String logger, String message, Throwable thrown) {
        if (!enabled(level)) {
            return;
        }
        StringBuilder line = new StringBuilder(96 + message.length());
        line.append(TIMESTAMP.format(clock.instant())).append(' ');
        line.append(level.name());
        line.append(" ".repeat(6 - level.name().length()));
        line.append('[').append(Thread.currentThread().getName()).append("] ");
        line.append(logger, logger.lastIndexOf('.') + 1, logger.length()).append(" - ");
        line.append(oneLine(message));
        if (thrown != null) {
            if (threshold == Level.DEBUG || threshold == Level.TRACE) {
                StringWriter trace = new StringWriter();
                thrown.printStackTrace(new PrintWriter(trace));
                line.append(System.lineSeparator()).append(trace.toString().stripTrailing());
            } else {
                line.append(": ").append(oneLine(describe(thrown)));
            }
        }
        PrintWriter out = sink;
        out.println(line);
        out.flush();
    }

    /**
     * What went wrong, without where: our exceptions' messages already name the resource and the cause; others
     * get their type, and their cause when it says more.
     */
    static String describe(Throwable e) {
        String m = e.getMessage();
        if (e instanceof TickerEtlException && m != null) {
            return m;
        }
        String own = e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
        Throwable cause = e.getCause();
        if (cause != null && cause != e && (m == null || !m.contains(String.valueOf(cause.getMessage())))) {
            return own + " (caused by " + describe(cause) + ")";
        }
        return own;
    }

    private static String oneLine(String s) {
        return s.indexOf('\n') < 0 && s.indexOf('\r') < 0 ? s : s.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
