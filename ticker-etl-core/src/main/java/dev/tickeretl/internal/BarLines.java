package dev.tickeretl.internal;

import dev.tickeretl.Bar;
import dev.tickeretl.Phase;
import dev.tickeretl.Timespan;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.function.Function;

import static dev.tickeretl.internal.AsciiBuffer.ascii;
import static dev.tickeretl.internal.AsciiBuffer.decimal;
import static dev.tickeretl.internal.AsciiBuffer.put;
import static dev.tickeretl.internal.AsciiBuffer.twoDigits;

/**
 * Writes a bar's JSON line without Jackson's reflection and {@code DateTimeFormatter}s, which made up most of the
 * per-bar cost. It produces exactly the bytes the Jackson writer in {@link JsonCodec} produces (property tests
 * compare them), and only for the shape every real bar has: printable-ASCII ticker, finite numbers, whole-second
 * times in years 1000..9999, an offset of whole minutes. Anything else is left to Jackson.
 */
final class BarLines {

    // The constant parts of a line, in field order (the order of Bar's @JsonPropertyOrder).
    private static final byte[] TICKER = encode("{\"ticker\":\"");
    /** From the ticker's closing quote to the trading date's opening one, per timespan: one copy, not three. */
    private static final byte[][] TIMESPAN_TO_DATE = labels(Timespan.values(),
            t -> "\",\"timespan\":\"" + t.wireName() + "\",\"trading_date\":\"");
    private static final byte[] START_MS = encode("\",\"start_ms\":");
    private static final byte[] START_ET = encode(",\"start_et\":\"");
    private static final byte[] START_UTC = encode("\",\"start_utc\":\"");
    private static final byte[] OPEN = encode("Z\",\"open\":");
    private static final byte[] HIGH = encode(",\"high\":");
    private static final byte[] LOW = encode(",\"low\":");
    private static final byte[] CLOSE = encode(",\"close\":");
    private static final byte[] VOLUME = encode(",\"volume\":");
    private static final byte[] VWAP = encode(",\"vwap\":");
    private static final byte[] TRANSACTIONS = encode(",\"transactions\":");
    private static final byte[] ADJUSTED_TRUE = encode(",\"adjusted\":true,\"prior_volume\":");
    private static final byte[] ADJUSTED_FALSE = encode(",\"adjusted\":false,\"prior_volume\":");
    /** From after prior_volume to the schema version's value, per phase, and for none. */
    private static final byte[][] PHASE_TO_SCHEMA = labels(Phase.values(),
            ph -> ",\"phase\":\"" + ph.label() + "\",\"schema_version\":");
    private static final byte[] NO_PHASE_TO_SCHEMA = encode(",\"phase\":null,\"schema_version\":");
    private static final byte[] NULL = encode("null");

    /**
     * The longest a line can be besides its ticker: the constant parts, the dates and times, and ten numbers at
     * their longest.
     */
    private static final int MAX_FIXED_LENGTH = TICKER.length + longest(TIMESPAN_TO_DATE) + 10 + START_MS.length
            + START_ET.length + 25 + START_UTC.length + 19 + OPEN.length + HIGH.length + LOW.length + CLOSE.length
            + VOLUME.length + VWAP.length + TRANSACTIONS.length + ADJUSTED_FALSE.length
            + Math.max(longest(PHASE_TO_SCHEMA), NO_PHASE_TO_SCHEMA.length) + 1 + 10 * AsciiBuffer.MAX_NUMBER_LENGTH;

    private static final long SECONDS_PER_DAY = 86_400;
    private static final long FIRST_SECOND = -30_610_224_000L; // 1000-01-01T00:00:00Z
    private static final long LAST_SECOND = 253_402_300_799L; // 9999-12-31T23:59:59Z

    private BarLines() {
    }

    /**
     * Appends {@code bar}'s line (without newline) to {@code out}.
     *
     * @return false, with {@code out} untouched, when the bar is outside the shape this writer handles
     */
    static boolean append(Bar bar, AsciiBuffer out) {
        if (!handles(bar)) {
            return false;
        }
        // Room for the longest line first, then every piece written at a local position: no capacity check and
        // no field update per piece (the kernels' reason to exist).
        String ticker = bar.ticker();
        out.reserve(MAX_FIXED_LENGTH + ticker.length());
        byte[] b = out.array();
        int p = put(b, out.size(), TICKER);
        p = plainTicker(b, p, ticker);
        if (p < 0) {
            return false; // nothing taken: out's size is unchanged
        }
        OffsetDateTime et = bar.startEt();
        LocalDate date = bar.tradingDate();
        long utcSecond = bar.startUtc().getEpochSecond();
        long utcDay = Math.floorDiv(utcSecond, SECONDS_PER_DAY);
        int utcSecondOfDay = (int) Math.floorMod(utcSecond, SECONDS_PER_DAY);
        p = put(b, p, TIMESPAN_TO_DATE[bar.timespan().ordinal()]);
        int datePos = p;
        p = date(b, p, date.getYear(), date.getMonthValue(), date.getDayOfMonth());
        p = put(b, p, START_MS);
        p = decimal(b, p, bar.startMs());
        p = put(b, p, START_ET);
        // The three dates of a bar are nearly always one day: copy the first instead of formatting it again.
        int etDatePos = p;
        p = date.equals(et.toLocalDate()) ? copyDate(b, datePos, p)
                : date(b, p, et.getYear(), et.getMonthValue(), et.getDayOfMonth());
        p = time(b, p, et.getHour(), et.getMinute(), et.getSecond());
        p = offset(b, p, et.getOffset().getTotalSeconds());
        p = put(b, p, START_UTC);
        // Comparing epoch days is cheaper than making the UTC date (LocalDate.ofEpochDay), needed only when they differ.
        if (utcDay == et.toLocalDate().toEpochDay()) {
            p = copyDate(b, etDatePos, p);
        } else {
            LocalDate utcDate = LocalDate.ofEpochDay(utcDay);
            p = date(b, p, utcDate.getYear(), utcDate.getMonthValue(), utcDate.getDayOfMonth());
        }
        p = time(b, p, utcSecondOfDay / 3600, utcSecondOfDay / 60 % 60, utcSecondOfDay % 60);
        p = put(b, p, OPEN);
        p = decimal(b, p, bar.open());
        p = put(b, p, HIGH);
        p = decimal(b, p, bar.high());
        p = put(b, p, LOW);
        p = decimal(b, p, bar.low());
        p = put(b, p, CLOSE);
        p = decimal(b, p, bar.close());
        p = put(b, p, VOLUME);
        p = decimal(b, p, bar.volume());
        p = put(b, p, VWAP);
        p = bar.vwap() == null ? put(b, p, NULL) : decimal(b, p, bar.vwap().doubleValue());
        p = put(b, p, TRANSACTIONS);
        p = bar.transactions() == null ? put(b, p, NULL) : decimal(b, p, bar.transactions().longValue());
        p = put(b, p, bar.adjusted() ? ADJUSTED_TRUE : ADJUSTED_FALSE);
        p = bar.priorVolume() == null ? put(b, p, NULL) : decimal(b, p, bar.priorVolume().doubleValue());
        p = put(b, p, bar.phase() == null ? NO_PHASE_TO_SCHEMA : PHASE_TO_SCHEMA[bar.phase().ordinal()]);
        p = decimal(b, p, bar.schemaVersion());
        b[p++] = '}';
        out.advanceTo(p);
        return true;
    }

    private static byte[] encode(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static int longest(byte[][] arrays) {
        int longest = 0;
        for (byte[] a : arrays) {
            longest = Math.max(longest, a.length);
        }
        return longest;
    }

    private static <E extends Enum<E>> byte[][] labels(E[] values, Function<E, String> label) {
        byte[][] encoded = new byte[values.length][];
        for (E e : values) {
            encoded[e.ordinal()] = encode(label.apply(e));
        }
        return encoded;
    }

    /** Whether this writer's output for {@code bar} is certain to equal Jackson's. */
    private static boolean handles(Bar bar) {
        if (!Double.isFinite(bar.open()) || !Double.isFinite(bar.high())
                || !Double.isFinite(bar.low()) || !Double.isFinite(bar.close()) || !Double.isFinite(bar.volume())
                || (bar.vwap() != null && !Double.isFinite(bar.vwap()))
                || (bar.priorVolume() != null && !Double.isFinite(bar.priorVolume()))) {
            return false;
        }
        OffsetDateTime et = bar.startEt();
        Instant utc = bar.startUtc();
        // Outside these, the ISO formats add signs, padding, fractions or offset seconds this writer does not.
        return et.getNano() == 0 && utc.getNano() == 0 && et.getOffset().getTotalSeconds() % 60 == 0
                && fourDigitYear(et.getYear()) && fourDigitYear(bar.tradingDate().getYear())
                && utc.getEpochSecond() >= FIRST_SECOND && utc.getEpochSecond() <= LAST_SECOND;
    }

    /**
     * Writes {@code ticker} if it is printable ASCII without the two characters JSON strings escape (then Jackson
     * writes it as it is); -1 otherwise. Checking while copying reads each char once.
     */
    private static int plainTicker(byte[] b, int p, String ticker) {
        int n = ticker.length();
        for (int i = 0; i < n; i++) {
            char c = ticker.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return -1;
            }
            b[p + i] = (byte) c;
        }
        return p + n;
    }

    private static boolean fourDigitYear(int year) {
        return year >= 1000 && year <= 9999;
    }

    private static int date(byte[] b, int p, int year, int month, int day) {
        p = twoDigits(b, p, year / 100);
        p = twoDigits(b, p, year % 100);
        b[p] = '-';
        p = twoDigits(b, p + 1, month);
        b[p] = '-';
        return twoDigits(b, p + 1, day);
    }

    /** The ten bytes of a date already written at {@code from}. */
    private static int copyDate(byte[] b, int from, int p) {
        System.arraycopy(b, from, b, p, 10);
        return p + 10;
    }

    private static int time(byte[] b, int p, int hour, int minute, int second) {
        b[p] = 'T';
        p = twoDigits(b, p + 1, hour);
        b[p] = ':';
        p = twoDigits(b, p + 1, minute);
        b[p] = ':';
        return twoDigits(b, p + 1, second);
    }

    /** The offset as {@code DateTimeFormatter.ISO_OFFSET_DATE_TIME} prints whole minutes: Z or +HH:MM. */
    private static int offset(byte[] b, int p, int totalSeconds) {
        if (totalSeconds == 0) {
            b[p] = 'Z';
            return p + 1;
        }
        int abs = Math.abs(totalSeconds);
        b[p] = (byte) (totalSeconds < 0 ? '-' : '+');
        p = twoDigits(b, p + 1, abs / 3600);
        b[p] = ':';
        return twoDigits(b, p + 1, abs / 60 % 60);
    }
}
