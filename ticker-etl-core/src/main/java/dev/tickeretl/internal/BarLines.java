package dev.tickeretl.internal;

import dev.tickeretl.Bar;
import dev.tickeretl.Phase;
import dev.tickeretl.Timespan;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.function.Function;

/**
 * Writes a bar's JSON line without Jackson's reflection and {@code DateTimeFormatter}s, which made up most of the
 * per-bar cost. It produces exactly the bytes the Jackson writer in {@link JsonCodec} produces (property tests
 * compare them), and only for the shape every real bar has: printable-ASCII ticker, finite numbers, whole-second
 * times in years 1000..9999, an offset of whole minutes. Anything else is left to Jackson.
 */
final class BarLines {

    // The constant parts of a line, in field order (the order of Bar's @JsonPropertyOrder).
    private static final byte[] TICKER = ascii("{\"ticker\":\"");
    private static final byte[] TIMESPAN = ascii("\",\"timespan\":\"");
    private static final byte[] TRADING_DATE = ascii("\",\"trading_date\":\"");
    private static final byte[] START_MS = ascii("\",\"start_ms\":");
    private static final byte[] START_ET = ascii(",\"start_et\":\"");
    private static final byte[] START_UTC = ascii("\",\"start_utc\":\"");
    private static final byte[] OPEN = ascii("Z\",\"open\":");
    private static final byte[] HIGH = ascii(",\"high\":");
    private static final byte[] LOW = ascii(",\"low\":");
    private static final byte[] CLOSE = ascii(",\"close\":");
    private static final byte[] VOLUME = ascii(",\"volume\":");
    private static final byte[] VWAP = ascii(",\"vwap\":");
    private static final byte[] TRANSACTIONS = ascii(",\"transactions\":");
    private static final byte[] ADJUSTED_TRUE = ascii(",\"adjusted\":true,\"prior_volume\":");
    private static final byte[] ADJUSTED_FALSE = ascii(",\"adjusted\":false,\"prior_volume\":");
    private static final byte[] PHASE = ascii(",\"phase\":\"");
    private static final byte[] PHASE_NULL = ascii(",\"phase\":null");
    private static final byte[] QUOTE = ascii("\"");
    private static final byte[] SCHEMA_VERSION = ascii(",\"schema_version\":");
    private static final byte[] NULL = ascii("null");
    private static final byte[][] TIMESPANS = labels(Timespan.values(), Timespan::wireName);
    private static final byte[][] PHASES = labels(Phase.values(), Phase::label);

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
        OffsetDateTime et = bar.startEt();
        LocalDate date = bar.tradingDate();
        LocalDateTime utc = LocalDateTime.ofEpochSecond(bar.startUtc().getEpochSecond(), 0, ZoneOffset.UTC);
        out.ascii(TICKER).ascii(bar.ticker()).ascii(TIMESPAN).ascii(TIMESPANS[bar.timespan().ordinal()])
                .ascii(TRADING_DATE);
        date(out, date.getYear(), date.getMonthValue(), date.getDayOfMonth());
        out.ascii(START_MS).decimal(bar.startMs()).ascii(START_ET);
        dateTime(out, et.getYear(), et.getMonthValue(), et.getDayOfMonth(), et.getHour(), et.getMinute(),
                et.getSecond());
        offset(out, et.getOffset().getTotalSeconds());
        out.ascii(START_UTC);
        dateTime(out, utc.getYear(), utc.getMonthValue(), utc.getDayOfMonth(), utc.getHour(), utc.getMinute(),
                utc.getSecond());
        out.ascii(OPEN).decimal(bar.open())
                .ascii(HIGH).decimal(bar.high())
                .ascii(LOW).decimal(bar.low())
                .ascii(CLOSE).decimal(bar.close())
                .ascii(VOLUME).decimal(bar.volume())
                .ascii(VWAP);
        if (bar.vwap() == null) {
            out.ascii(NULL);
        } else {
            out.decimal(bar.vwap().doubleValue());
        }
        out.ascii(TRANSACTIONS);
        if (bar.transactions() == null) {
            out.ascii(NULL);
        } else {
            out.decimal(bar.transactions().longValue());
        }
        out.ascii(bar.adjusted() ? ADJUSTED_TRUE : ADJUSTED_FALSE);
        if (bar.priorVolume() == null) {
            out.ascii(NULL);
        } else {
            out.decimal(bar.priorVolume().doubleValue());
        }
        if (bar.phase() == null) {
            out.ascii(PHASE_NULL);
        } else {
            out.ascii(PHASE).ascii(PHASES[bar.phase().ordinal()]).ascii(QUOTE);
        }
        out.ascii(SCHEMA_VERSION).decimal(bar.schemaVersion()).ascii('}');
        return true;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static <E extends Enum<E>> byte[][] labels(E[] values, Function<E, String> label) {
        byte[][] encoded = new byte[values.length][];
        for (E e : values) {
            encoded[e.ordinal()] = ascii(label.apply(e));
        }
        return encoded;
    }

    /** Whether this writer's output for {@code bar} is certain to equal Jackson's. */
    private static boolean handles(Bar bar) {
        if (!plain(bar.ticker()) || !Double.isFinite(bar.open()) || !Double.isFinite(bar.high())
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

    /** Printable ASCII without the two characters JSON strings escape. */
    private static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static boolean fourDigitYear(int year) {
        return year >= 1000 && year <= 9999;
    }

    private static void date(AsciiBuffer out, int year, int month, int day) {
        out.twoDigits(year / 100).twoDigits(year % 100).ascii('-').twoDigits(month).ascii('-').twoDigits(day);
    }

    private static void dateTime(AsciiBuffer out, int year, int month, int day, int hour, int minute, int second) {
        date(out, year, month, day);
        out.ascii('T').twoDigits(hour).ascii(':').twoDigits(minute).ascii(':').twoDigits(second);
    }

    /** The offset as {@code DateTimeFormatter.ISO_OFFSET_DATE_TIME} prints whole minutes: Z or +HH:MM. */
    private static void offset(AsciiBuffer out, int totalSeconds) {
        if (totalSeconds == 0) {
            out.ascii('Z');
            return;
        }
        int abs = Math.abs(totalSeconds);
        out.ascii(totalSeconds < 0 ? '-' : '+').twoDigits(abs / 3600).ascii(':').twoDigits(abs / 60 % 60);
    }
}
