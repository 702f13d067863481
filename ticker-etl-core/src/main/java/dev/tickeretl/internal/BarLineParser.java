package dev.tickeretl.internal;

import dev.tickeretl.Bar;
import dev.tickeretl.Phase;
import dev.tickeretl.Timespan;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Reads the data-contract lines our own writer produces ({@code BarLines}: fields in contract order, no
 * whitespace, ASCII ticker without escapes, whole-second ISO times) without Jackson's databind, which cost 4-5 µs
 * a bar and bounded every re-run, merge and read. A line of any other shape (other order, whitespace, escapes,
 * fractions of seconds, unusual numbers such as {@code -0} as an integer) is not guessed at: {@link #parse} returns
 * null and the caller gives the line to Jackson, so results always equal Jackson's (property-tested).
 *
 * <p>An instance keeps the last ticker and date it read, to reuse them for the next line; use one per thread.
 */
public final class BarLineParser {

    private static final byte[] TICKER = ascii("{\"ticker\":\"");
    private static final byte[] TIMESPAN = ascii(",\"timespan\":\"");
    private static final byte[] TRADING_DATE = ascii(",\"trading_date\":\"");
    private static final byte[] START_MS = ascii(",\"start_ms\":");
    private static final byte[] START_ET = ascii(",\"start_et\":\"");
    private static final byte[] START_UTC = ascii(",\"start_utc\":\"");
    private static final byte[] OPEN = ascii(",\"open\":");
    private static final byte[] HIGH = ascii(",\"high\":");
    private static final byte[] LOW = ascii(",\"low\":");
    private static final byte[] CLOSE = ascii(",\"close\":");
    private static final byte[] VOLUME = ascii(",\"volume\":");
    private static final byte[] VWAP = ascii(",\"vwap\":");
    private static final byte[] TRANSACTIONS = ascii(",\"transactions\":");
    private static final byte[] ADJUSTED = ascii(",\"adjusted\":");
    private static final byte[] PRIOR_VOLUME = ascii(",\"prior_volume\":");
    private static final byte[] PHASE = ascii(",\"phase\":");
    private static final byte[] SCHEMA_VERSION = ascii(",\"schema_version\":");
    private static final byte[] NULL = ascii("null");
    private static final byte[] TRUE = ascii("true");
    private static final byte[] FALSE = ascii("false");
    private static final byte[][] TIMESPANS = {ascii("day\""), ascii("minute\"")};
    private static final Timespan[] TIMESPAN_VALUES = {Timespan.DAY, Timespan.MINUTE};
    private static final byte[][] PHASES = {ascii("\"Bull\""), ascii("\"Bear\""), ascii("\"Neutral\"")};
    private static final Phase[] PHASE_VALUES = {Phase.BULL, Phase.BEAR, Phase.NEUTRAL};

    /** Powers of ten that are exact doubles: m * 10^e and m / 10^e are then correctly rounded (Clinger). */
    private static final double[] EXACT_POW10 = new double[23];
    private static final long MAX_EXACT_MANTISSA = 1L << 53;

    static {
        EXACT_POW10[0] = 1;
        for (int i = 1; i < EXACT_POW10.length; i++) {
            EXACT_POW10[i] = EXACT_POW10[i - 1] * 10;
        }
    }

    /** Thrown (without a stack trace) when a line leaves the shape; caught in {@link #parse}. */
    private static final RuntimeException OUTSIDE_SHAPE = new RuntimeException("outside the writer's shape", null,
            false, false) {
    };

    private byte[] in;
    private int pos;
    private int end;
    private boolean lineEndsEarly;

    private byte[] lastTickerBytes = new byte[0];
    private String lastTicker = "";
    private final byte[] lastDateBytes = new byte[10];
    private LocalDate lastDate;

    /**
     * Parses every line of a partition file: the writer's shape here, any other non-blank line with
     * {@code fallback}. Lines are split as {@link BufferedReader#readLine()} splits them and blank lines skipped.
     */
    public static List<Bar> parseLines(byte[] jsonLines, Function<String, Bar> fallback) {
        BarLineParser parser = new BarLineParser();
        List<Bar> bars = new ArrayList<>(jsonLines.length / 320 + 1);
        int start = 0;
        while (start < jsonLines.length) {
            // A line in our shape holds no control character, so the parse itself finds where it ends.
            Bar bar = parser.parse(jsonLines, start, jsonLines.length, true);
            if (bar != null) {
                bars.add(bar);
                start = parser.pos + 1;
                continue;
            }
            int newline = indexOf(jsonLines, (byte) '\n', start);
            int lineEnd = newline < 0 ? jsonLines.length : newline;
            // '\n' never occurs inside a UTF-8 sequence, so decoding line by line equals decoding the whole.
            String segment = new String(jsonLines, start, lineEnd - start, StandardCharsets.UTF_8);
            for (String line : segment.indexOf('\r') < 0 ? List.of(segment) : readLines(segment)) {
                if (!line.isBlank()) {
                    bars.add(fallback.apply(line));
                }
            }
            start = lineEnd + 1;
        }
        return bars;
    }

    /** Lines as {@link BufferedReader#readLine()} splits them: a lone '\r' ends a line too. */
    private static List<String> readLines(String text) {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new java.io.StringReader(text))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    /**
     * The bar on {@code line[from, to)}, or null when the line is not exactly in the writer's shape (then Jackson
     * must read it; it may still be a valid bar, or not JSON at all).
     */
    public Bar parse(byte[] line, int from, int to) {
        return parse(line, from, to, false);
    }

    /** With {@code lineEndsEarly}, the line may also end at a '\n' before {@code to} ({@link #pos} is there). */
    private Bar parse(byte[] line, int from, int to, boolean lineEndsEarly) {
        in = line;
        pos = from;
        end = to;
        this.lineEndsEarly = lineEndsEarly;
        try {
            return bar();
        } catch (DateTimeException | NullPointerException | IllegalArgumentException refused) {
            // A value java.time or Bar itself refuses: Jackson reads the line and reports the problem its own way.
            return null;
        } catch (RuntimeException e) {
            if (e == OUTSIDE_SHAPE) {
                return null;
            }
            throw e;
        } finally {
            in = null;
        }
    }

    private Bar bar() {
        expect(TICKER);
        String ticker = ticker();
        expect(TIMESPAN);
        Timespan timespan = TIMESPAN_VALUES[oneOf(TIMESPANS)];
        expect(TRADING_DATE);
        LocalDate tradingDate = date();
        expect((byte) '"');
        expect(START_MS);
        long startMs = integer(19);
        expect(START_ET);
        OffsetDateTime startEt = offsetDateTime();
        expect(START_UTC);
        Instant startUtc = instant();
        expect(OPEN);
        double open = number();
        expect(HIGH);
        double high = number();
        expect(LOW);
        double low = number();
        expect(CLOSE);
        double close = number();
        expect(VOLUME);
        double volume = number();
        expect(VWAP);
        Double vwap = skipNull() ? null : number();
        expect(TRANSACTIONS);
        Long transactions = skipNull() ? null : integer(19);
        expect(ADJUSTED);
        boolean adjusted = bool();
        expect(PRIOR_VOLUME);
        Double priorVolume = skipNull() ? null : number();
        expect(PHASE);
        Phase phase = skipNull() ? null : PHASE_VALUES[oneOf(PHASES)]; // the contract lets minute bars have none
        expect(SCHEMA_VERSION);
        int schemaVersion = (int) integer(9);
        expect((byte) '}');
        if (pos != end && !(lineEndsEarly && in[pos] == '\n')) {
            throw OUTSIDE_SHAPE;
        }
        return new Bar(ticker, timespan, tradingDate, startMs, startEt, startUtc, open, high, low, close, volume,
                vwap, transactions, adjusted, priorVolume, phase, schemaVersion);
    }

    private void expect(byte[] literal) {
        if (!at(literal)) {
            throw OUTSIDE_SHAPE;
        }
        pos += literal.length;
    }

    private void expect(byte b) {
        if (pos >= end || in[pos] != b) {
            throw OUTSIDE_SHAPE;
        }
        pos++;
    }

    private boolean at(byte[] literal) {
        int n = literal.length;
        return end - pos >= n && Arrays.equals(in, pos, pos + n, literal, 0, n);
    }

    private int oneOf(byte[][] literals) {
        for (int i = 0; i < literals.length; i++) {
            if (at(literals[i])) {
                pos += literals[i].length;
                return i;
            }
        }
        throw OUTSIDE_SHAPE;
    }

    private boolean skipNull() {
        if (at(NULL)) {
            pos += NULL.length;
            return true;
        }
        return false;
    }

    private boolean bool() {
        if (at(TRUE)) {
            pos += TRUE.length;
            return true;
        }
        expect(FALSE);
        return false;
    }

    /** Printable ASCII up to the closing quote; an escape or any other byte leaves the shape. */
    private String ticker() {
        int start = pos;
        while (pos < end) {
            byte c = in[pos];
            if (c == '"') {
                break;
            }
            if (c < 0x20 || c > 0x7e || c == '\\') {
                throw OUTSIDE_SHAPE;
            }
            pos++;
        }
        if (pos >= end) {
            throw OUTSIDE_SHAPE;
        }
        int length = pos - start;
        pos++;
        if (!Arrays.equals(in, start, start + length, lastTickerBytes, 0, lastTickerBytes.length)) {
            lastTickerBytes = Arrays.copyOfRange(in, start, start + length);
            lastTicker = new String(lastTickerBytes, StandardCharsets.US_ASCII);
        }
        return lastTicker;
    }

    /** YYYY-MM-DD, as ISO_LOCAL_DATE reads four-digit years (strictly: 2025-02-30 is no date). */
    private LocalDate date() {
        if (end - pos < 10) {
            throw OUTSIDE_SHAPE;
        }
        if (lastDate != null && Arrays.equals(in, pos, pos + 10, lastDateBytes, 0, 10)) {
            pos += 10;
            return lastDate;
        }
        int start = pos;
        int year = digits(4);
        expect((byte) '-');
        int month = digits(2);
        expect((byte) '-');
        int day = digits(2);
        LocalDate date = LocalDate.of(year, month, day);
        System.arraycopy(in, start, lastDateBytes, 0, 10);
        lastDate = date;
        return date;
    }

    /** HH:MM:SS after the 'T'; no fraction (that leaves the shape). */
    private LocalTime time() {
        expect((byte) 'T');
        int hour = digits(2);
        expect((byte) ':');
        int minute = digits(2);
        expect((byte) ':');
        int second = digits(2);
        return LocalTime.of(hour, minute, second);
    }

    /** {@code 2025-01-02T00:00:00-05:00"}: an offset of Z or whole minutes, as ISO_OFFSET_DATE_TIME reads it. */
    private OffsetDateTime offsetDateTime() {
        LocalDate date = date();
        LocalTime time = time();
        ZoneOffset offset;
        if (pos < end && in[pos] == 'Z') {
            pos++;
            offset = ZoneOffset.UTC;
        } else {
            if (pos >= end || (in[pos] != '+' && in[pos] != '-')) {
                throw OUTSIDE_SHAPE;
            }
            int sign = in[pos++] == '-' ? -1 : 1;
            int hours = digits(2);
            expect((byte) ':');
            int minutes = digits(2);
            if (hours > 18 || minutes > 59) {
                throw OUTSIDE_SHAPE;
            }
            offset = ZoneOffset.ofTotalSeconds(sign * (hours * 3600 + minutes * 60));
        }
        expect((byte) '"');
        return OffsetDateTime.of(date, time, offset);
    }

    /** {@code 2025-01-02T05:00:00Z"}. */
    private Instant instant() {
        LocalDate date = date();
        LocalTime time = time();
        expect((byte) 'Z');
        expect((byte) '"');
        return Instant.ofEpochSecond(date.toEpochDay() * 86_400 + time.toSecondOfDay());
    }

    private int digits(int n) {
        if (end - pos < n) {
            throw OUTSIDE_SHAPE;
        }
        int value = 0;
        for (int i = 0; i < n; i++) {
            int d = in[pos++] - '0';
            if (d < 0 || d > 9) {
                throw OUTSIDE_SHAPE;
            }
            value = value * 10 + d;
        }
        return value;
    }

    /**
     * A JSON integer of at most {@code maxDigits} digits, for a long or int field. A fraction or exponent leaves
     * the shape (Jackson would truncate it), and so does a leading zero (Jackson rejects it).
     */
    private long integer(int maxDigits) {
        boolean negative = pos < end && in[pos] == '-';
        if (negative) {
            pos++;
        }
        int start = pos;
        long value = 0;
        while (pos < end && in[pos] >= '0' && in[pos] <= '9') {
            int d = in[pos++] - '0';
            if (pos - start > maxDigits || value > (Long.MAX_VALUE - d) / 10) {
                throw OUTSIDE_SHAPE; // Long.MIN_VALUE included: rare enough for Jackson
            }
            value = value * 10 + d;
        }
        int digits = pos - start;
        if (digits == 0 || (digits > 1 && in[start] == '0') || continuesNumber()) {
            throw OUTSIDE_SHAPE;
        }
        return negative ? -value : value;
    }

    private boolean continuesNumber() {
        return pos < end && (in[pos] == '.' || in[pos] == 'e' || in[pos] == 'E');
    }

    /**
     * A JSON number as Jackson reads it into a double: exactly when the decimal fits Clinger's fast path (at most
     * 2^53 as an integer mantissa, a power of ten up to 22), else with {@link Double#parseDouble}, which is what
     * Jackson calls. The integer {@code -0} leaves the shape: Jackson reads it as an int, giving +0.0.
     */
    private double number() {
        int start = pos;
        boolean negative = pos < end && in[pos] == '-';
        if (negative) {
            pos++;
        }
        long mantissa = 0;
        boolean exact = true; // mantissa holds every significant digit
        int intStart = pos;
        while (pos < end && in[pos] >= '0' && in[pos] <= '9') {
            if (mantissa < MAX_EXACT_MANTISSA) {
                mantissa = mantissa * 10 + (in[pos] - '0');
            } else {
                exact = false;
            }
            pos++;
        }
        int intDigits = pos - intStart;
        if (intDigits == 0 || (intDigits > 1 && in[intStart] == '0')) {
            throw OUTSIDE_SHAPE;
        }
        int exponent = 0; // only meaningful while exact; an inexact mantissa takes the slow path
        boolean integral = true;
        if (pos < end && in[pos] == '.') {
            integral = false;
            pos++;
            int fracStart = pos;
            while (pos < end && in[pos] >= '0' && in[pos] <= '9') {
                if (exact && mantissa < MAX_EXACT_MANTISSA) {
                    mantissa = mantissa * 10 + (in[pos] - '0');
                    exponent--;
                } else {
                    exact = false;
                }
                pos++;
            }
            if (pos == fracStart) {
                throw OUTSIDE_SHAPE;
            }
        }
        if (pos < end && (in[pos] == 'e' || in[pos] == 'E')) {
            integral = false;
            pos++;
            boolean negativeExponent = false;
            if (pos < end && (in[pos] == '+' || in[pos] == '-')) {
                negativeExponent = in[pos] == '-';
                pos++;
            }
            int expStart = pos;
            int explicit = 0;
            while (pos < end && in[pos] >= '0' && in[pos] <= '9') {
                if (explicit < 100_000) {
                    explicit = explicit * 10 + (in[pos] - '0');
                }
                pos++;
            }
            if (pos == expStart) {
                throw OUTSIDE_SHAPE;
            }
            exponent += negativeExponent ? -explicit : explicit;
        }
        if (integral && negative && mantissa == 0) {
            throw OUTSIDE_SHAPE;
        }
        if (exact && mantissa <= MAX_EXACT_MANTISSA) {
            if (mantissa == 0) {
                return negative ? -0.0 : 0.0;
            }
            if (exponent >= 0 && exponent < EXACT_POW10.length) {
                double v = mantissa * EXACT_POW10[exponent];
                return negative ? -v : v;
            }
            if (exponent < 0 && -exponent < EXACT_POW10.length) {
                double v = mantissa / EXACT_POW10[-exponent];
                return negative ? -v : v;
            }
        }
        return Double.parseDouble(new String(in, start, pos - start, StandardCharsets.ISO_8859_1));
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
