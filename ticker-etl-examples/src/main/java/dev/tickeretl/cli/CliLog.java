package dev.tickeretl.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tickeretl.TickerEtlException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.MDC;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;

/**
 * Where the CLI's log lines go and which ones are shown. The command sets both per invocation: the error stream it
 * writes to, and the level ({@code TICKER_ETL_LOG_LEVEL}, default {@code warn}, or {@code info} for JSON;
 * {@code --quiet} shows errors only).
 *
 * <p>A plain line is {@code 2025-01-10T21:05:00.123Z WARN  [thread] Logger - message}: the wall clock in UTC, so
 * lines from several runs and hosts sort and compare. A throwable adds its messages to the same line; its stack trace
 * is printed only at DEBUG, for whoever needs to know where it was thrown rather than what went wrong.
 *
 * <p>With {@link LogFormat#JSON} ({@code --log-format json}) each line is one JSON object: {@code timestamp},
 * {@code level}, {@code logger}, {@code thread}, {@code message}, then the MDC ({@code run_id}, {@code ticker}, which
 * the pipeline sets) and the event's key-value fields ({@code event}, {@code status}, ...), then {@code exception}.
 * In both formats every text passes through a {@link SecretMask}: no API key reaches a line.
 */
final class CliLog {

    static final String LEVEL_VARIABLE = "TICKER_ETL_LOG_LEVEL";
    /** The same, as a system property (for JShell's remote JVM and tests); it wins over the variable. */
    static final String LEVEL_PROPERTY = "ticker-etl.log.level";

    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder().appendInstant(3).toFormatter();

    private static volatile PrintWriter sink = new PrintWriter(System.err, true);
    private static volatile Level threshold = configuredLevel();
    private static volatile Clock clock = Clock.systemUTC();
    private static volatile LogFormat format = LogFormat.PLAIN;
    private static volatile SecretMask mask = SecretMask.fromEnvironment(List.of());

    private CliLog() {
    }

    /** Log lines of {@code level} and more severe go to {@code err} from now on. */
    static void configure(PrintWriter err, Level level) {
        sink = err;
        threshold = level;
        format = LogFormat.PLAIN;
        mask = SecretMask.fromEnvironment(List.of());
    }

    /**
     * Lines in {@code newFormat} from now on, masking {@code secrets} and the API keys of the environment. JSON is
     * read by machines: it shows INFO unless a level was configured.
     */
    static void format(LogFormat newFormat, Collection<String> secrets) {
        format = newFormat;
        mask = SecretMask.fromEnvironment(secrets);
        if (newFormat == LogFormat.JSON && !levelConfigured()) {
            threshold = Level.INFO;
        }
    }

    /** Whether lines are JSON now (then everything the CLI says on standard error goes through the log). */
    static boolean json() {
        return format == LogFormat.JSON;
    }

    private static boolean levelConfigured() {
        String p = System.getProperty(LEVEL_PROPERTY);
        String v = System.getenv(LEVEL_VARIABLE);
        return p != null && !p.isBlank() || v != null && !v.isBlank();
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
        write(level, logger, message, thrown, null);
    }

    /** One line, with the event's key-value fields (shown in JSON only: the message says it for people). */
    static void write(Level level, String logger, String message, Throwable thrown, List<KeyValuePair> fields) {
        if (!enabled(level)) {
            return;
        }
        boolean traces = threshold == Level.DEBUG || threshold == Level.TRACE;
        String line = render(format, mask, clock.instant(), level, Thread.currentThread().getName(), logger, message,
                thrown, traces, format == LogFormat.JSON ? MDC.getCopyOfContextMap() : null, fields);
        PrintWriter out = sink;
        out.println(line);
        out.flush();
    }

    /** The text of one line, without its line end. */
    static String render(LogFormat format, SecretMask mask, Instant at, Level level, String thread, String logger,
                         String message, Throwable thrown, boolean stackTraces, Map<String, String> mdc,
                         List<KeyValuePair> fields) {
        String error = null;
        if (thrown != null) {
            if (stackTraces) {
                StringWriter trace = new StringWriter();
                thrown.printStackTrace(new PrintWriter(trace));
                error = trace.toString().stripTrailing();
            } else {
                error = describe(thrown);
            }
        }
        if (format == LogFormat.JSON) {
            return JsonLine.render(mask, TIMESTAMP.format(at), level.name(), thread, logger, message, error, mdc,
                    fields);
        }
        StringBuilder line = new StringBuilder(96 + message.length());
        line.append(TIMESTAMP.format(at)).append(' ');
        line.append(level.name());
        line.append(" ".repeat(6 - level.name().length()));
        line.append('[').append(thread).append("] ");
        line.append(logger, logger.lastIndexOf('.') + 1, logger.length()).append(" - ");
        line.append(mask.apply(oneLine(message)));
        if (error != null) {
            line.append(stackTraces ? System.lineSeparator() : ": ").append(mask.apply(stackTraces ? error
                    : oneLine(error)));
        }
        return line.toString();
    }

    /** JSON rendering, loaded only when a command asks for JSON (the CLI's start-up stays lean). */
    private static final class JsonLine {
        private static final JsonFactory FACTORY = new JsonFactory();
        private static final Set<String> RESERVED = Set.of("timestamp", "level", "logger", "thread", "message",
                "exception");
        /** What a reader filters by first. */
        private static final List<String> FIRST = List.of("run_id", "ticker");

        static String render(SecretMask mask, String timestamp, String level, String thread, String logger,
                             String message, String error, Map<String, String> mdc, List<KeyValuePair> fields) {
            StringWriter w = new StringWriter(256);
            try (JsonGenerator g = FACTORY.createGenerator(w)) {
                g.writeStartObject();
                g.writeStringField("timestamp", timestamp);
                g.writeStringField("level", level);
                g.writeStringField("logger", logger);
                g.writeStringField("thread", thread);
                g.writeStringField("message", mask.apply(message));
                Set<String> written = new HashSet<>(RESERVED);
                if (mdc != null) {
                    for (String key : FIRST) {
                        String v = mdc.get(key);
                        if (v != null && written.add(key)) {
                            g.writeStringField(key, mask.apply(v));
                        }
                    }
                    for (Map.Entry<String, String> m : new TreeMap<>(mdc).entrySet()) {
                        if (m.getValue() != null && written.add(m.getKey())) {
                            g.writeStringField(m.getKey(), mask.apply(m.getValue()));
                        }
                    }
                }
                if (fields != null) {
                    for (KeyValuePair kv : fields) {
                        if (kv.key != null && kv.value != null && written.add(kv.key)) { // absent, not null
                            g.writeFieldName(kv.key);
                            value(g, mask, kv.value);
                        }
                    }
                }
                if (error != null) {
                    g.writeStringField("exception", mask.apply(error));
                }
                g.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e); // a StringWriter does not fail
            }
            return w.toString();
        }

        private static void value(JsonGenerator g, SecretMask mask, Object v) throws IOException {
            if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
                g.writeNumber(((Number) v).longValue());
            } else if ((v instanceof Double || v instanceof Float) && Double.isFinite(((Number) v).doubleValue())) {
                g.writeNumber(((Number) v).doubleValue());
            } else if (v instanceof Boolean b) {
                g.writeBoolean(b);
            } else {
                g.writeString(mask.apply(String.valueOf(v)));
            }
        }
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
