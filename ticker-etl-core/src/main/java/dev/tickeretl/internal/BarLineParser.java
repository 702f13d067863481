package dev.tickeretl.internal;

import dev.tickeretl.Bar;
import dev.tickeretl.Phase;
import dev.tickeretl.Timespan;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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

    private static final Literal TICKER = new Literal("{\"ticker\":\"");
    private static final Literal TIMESPAN = new Literal(",\"timespan\":\"");
    private static final Literal TRADING_DATE = new Literal(",\"trading_date\":\"");
    private static final Literal START_MS = new Literal(",\"start_ms\":");
    private static final Literal START_ET = new Literal(",\"start_et\":\"");
    private static final Literal START_UTC = new Literal(",\"start_utc\":\"");
    private static final Literal OPEN = new Literal(",\"open\":");
    private static final Literal HIGH = new Literal(",\"high\":");
    private static final Literal LOW = new Literal(",\"low\":");
    private static final Literal CLOSE = new Literal(",\"close\":");
    private static final Literal VOLUME = new Literal(",\"volume\":");
    private static final Literal VWAP = new Literal(",\"vwap\":");
    private static final Literal TRANSACTIONS = new Literal(",\"transactions\":");
    private static final Literal ADJUSTED = new Literal(",\"adjusted\":");
    private static final Literal PRIOR_VOLUME = new Literal(",\"prior_volume\":");
    private static final Literal PHASE = new Literal(",\"phase\":");
    private static final Literal SCHEMA_VERSION = new Literal(",\"schema_version\":");
    private static final Literal NULL = new Literal("null");
    private static final Literal TRUE = new Literal("true");
    private static final Literal FALSE = new Literal("false");
    private static final Literal DAY = new Literal("day\"");
    private static final Literal MINUTE = new Literal("minute\"");
    private static final Literal BULL = new Literal("\"Bull\"");
    private static final Literal BEAR = new Literal("\"Bear\"");
    private static final Literal NEUTRAL = new Literal("\"Neutral\"");

    /** Reads 8 or 4 bytes at any index of a byte[] as one number, to compare a literal in two or three steps. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

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
    private long lastDateHead;
    private long lastDateTail;
    private LocalDate lastDate;
    private ZoneOffset lastOffset;

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

    /**
     * The bar on the line starting at {@code from} and ending at the next '\n' or at the end of {@code bytes},
     * or null as {@link #parse(byte[], int, int)}; on a bar, {@link #lineEnd()} is where that line ends. A line
     * in the writer's shape holds no control character, so the parse itself finds the end: no scan for the '\n'
     * before it.
     */
    Bar parseLine(byte[] bytes, int from) {
        return parse(bytes, from, bytes.length, true);
    }

    /** After {@link #parseLine} gave a bar: the index of the '\n' ending its line, or the length of the bytes. */
    int lineEnd() {
        return pos;
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
        Timespan timespan = timespan();
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
        Phase phase = skipNull() ? null : phase(); // the contract lets minute bars have none
        expect(SCHEMA_VERSION);
        int schemaVersion = (int) integer(9);
        expect((byte) '}');
        if (pos != end && !(lineEndsEarly && in[pos] == '\n')) {
            throw OUTSIDE_SHAPE;
        }
        return new Bar(ticker, timespan, tradingDate, startMs, startEt, startUtc, open, high, low, close, volume,
                vwap, transactions, adjusted, priorVolume, phase, schemaVersion);
    }

    private void expect(Literal literal) {
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

    /**
     * Whether {@code literal} is at {@link #pos}. Comparing byte by byte (Arrays.equals) was a quarter of the parse;
     * here two or three 8-byte reads, the last overlapping the one before, do it. A literal is a record held in a
     * static final, so the JIT folds its length and chunks into constants.
     */
    private boolean at(Literal literal) {
        int n = literal.length;
        int p = pos;
        byte[] b = in;
        if (end - p < n) {
            return false;
        }
        if (n >= 8) {
            return (long) LONGS.get(b, p) == literal.head && (long) LONGS.get(b, p + n - 8) == literal.tail
                    && (n <= 16 || (long) LONGS.get(b, p + 8) == literal.middle);
        }
        return (int) INTS.get(b, p) == (int) literal.head && (int) INTS.get(b, p + n - 4) == (int) literal.tail;
    }

    private Timespan timespan() {
        if (at(DAY)) {
            pos += DAY.length;
            return Timespan.DAY;
        }
        expect(MINUTE);
        return Timespan.MINUTE;
    }

    private Phase phase() {
        if (at(BULL)) {
            pos += BULL.length;
            return Phase.BULL;
        }
        if (at(BEAR)) {
            pos += BEAR.length;
            return Phase.BEAR;
        }
        expect(NEUTRAL);
        return Phase.NEUTRAL;
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
        // Lines mostly repeat the last ticker (it holds no quote and only allowed bytes): compare, don't scan.
        int known = lastTickerBytes.length;
        if (end - pos > known && in[pos + known] == '"'
                && Arrays.equals(in, pos, pos + known, lastTickerBytes, 0, known)) {
            pos += known + 1;
            return lastTicker;
        }
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
        // A day bar's three dates are mostly one: compare the 10 bytes with the last date's as two 8-byte reads.
        long head = (long) LONGS.get(in, pos);
        long tail = (long) LONGS.get(in, pos + 2);
        if (lastDate != null && head == lastDateHead && tail == lastDateTail) {
            pos += 10;
            return lastDate;
        }
        int year = digits(4);
        expect((byte) '-');
        int month = digits(2);
        expect((byte) '-');
        int day = digits(2);
        LocalDate date = LocalDate.of(year, month, day);
        lastDateHead = head;
        lastDateTail = tail;
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
            int seconds = sign * (hours * 3600 + minutes * 60);
            // ZoneOffset.ofTotalSeconds looks each one up in a concurrent map; lines mostly repeat the last one.
            if (lastOffset == null || lastOffset.getTotalSeconds() != seconds) {
                lastOffset = ZoneOffset.ofTotalSeconds(seconds);
            }
            offset = lastOffset;
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
        // Locals, not the fields, in the digit loops: the JIT keeps them in registers.
        byte[] b = in;
        int p = pos;
        int e = end;
        boolean negative = p < e && b[p] == '-';
        if (negative) {
            p++;
        }
        int start = p;
        long value = 0;
        // Up to 18 digits cannot overflow a long, so only a 19th (and more) pays the overflow check.
        int safe = Math.min(e, start + 18);
        while (p < safe && isDigit(b[p])) {
            value = value * 10 + (b[p++] - '0');
        }
        while (p < e && isDigit(b[p])) {
            int d = b[p++] - '0';
            if (value > (Long.MAX_VALUE - d) / 10) {
                throw OUTSIDE_SHAPE; // Long.MIN_VALUE included: rare enough for Jackson
            }
            value = value * 10 + d;
        }
        pos = p;
        int digits = p - start;
        if (digits == 0 || digits > maxDigits || (digits > 1 && b[start] == '0') || continuesNumber()) {
            throw OUTSIDE_SHAPE;
        }
        return negative ? -value : value;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
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
        // Locals, not the fields, in the digit loops: the JIT keeps them in registers.
        byte[] b = in;
        int p = pos;
        int e = end;
        int start = p;
        boolean negative = p < e && b[p] == '-';
        if (negative) {
            p++;
        }
        long mantissa = 0;
        boolean exact = true; // mantissa holds every significant digit
        int intStart = p;
        while (p < e && isDigit(b[p])) {
            if (mantissa < MAX_EXACT_MANTISSA) {
                mantissa = mantissa * 10 + (b[p] - '0');
            } else {
                exact = false;
            }
            p++;
        }
        int intDigits = p - intStart;
        if (intDigits == 0 || (intDigits > 1 && b[intStart] == '0')) {
            throw OUTSIDE_SHAPE;
        }
        int exponent = 0; // only meaningful while exact; an inexact mantissa takes the slow path
        boolean integral = true;
        if (p < e && b[p] == '.') {
            integral = false;
            p++;
            int fracStart = p;
            while (p < e && isDigit(b[p])) {
                if (exact && mantissa < MAX_EXACT_MANTISSA) {
                    mantissa = mantissa * 10 + (b[p] - '0');
                    exponent--;
                } else {
                    exact = false;
                }
                p++;
            }
            if (p == fracStart) {
                throw OUTSIDE_SHAPE;
            }
        }
        if (p < e && (b[p] == 'e' || b[p] == 'E')) {
            integral = false;
            p++;
            boolean negativeExponent = false;
            if (p < e && (b[p] == '+' || b[p] == '-')) {
                negativeExponent = b[p] == '-';
                p++;
            }
            int expStart = p;
            int explicit = 0;
            while (p < e && isDigit(b[p])) {
                if (explicit < 100_000) {
                    explicit = explicit * 10 + (b[p] - '0');
                }
                p++;
            }
            if (p == expStart) {
                throw OUTSIDE_SHAPE;
            }
            exponent += negativeExponent ? -explicit : explicit;
        }
        pos = p;
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
        return Double.parseDouble(new String(b, start, p - start, StandardCharsets.ISO_8859_1));
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /**
     * An ASCII literal of 4 to 24 bytes as little-endian chunks: {@code head} at 0, {@code tail} ending at the end,
     * {@code middle} at 8 when longer than 16 (8-byte chunks from 8 bytes up, else 4-byte ones).
     */
    private record Literal(int length, long head, long middle, long tail) {
        Literal(String text) {
            this(text.length(), chunk(text, 0), chunk(text, 8), chunk(text, -1));
        }

        private static long chunk(String text, int at) {
            byte[] b = text.getBytes(StandardCharsets.US_ASCII);
            if (b.length < 4 || b.length > 24) {
                throw new IllegalArgumentException("a literal has 4 to 24 bytes: " + text);
            }
            int width = b.length >= 8 ? 8 : 4;
            int from = at < 0 ? b.length - width : Math.min(at, b.length - width);
            long v = 0;
            for (int i = width - 1; i >= 0; i--) {
                v = v << 8 | (b[from + i] & 0xff);
            }
            return v;
        }
    }
}
