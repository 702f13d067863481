package dev.tickeretl;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * The one place that knows US equity market time. Every conversion names {@link #ZONE}; nothing here or elsewhere
 * reads the JVM default zone.
 */
public final class MarketTime {

    /** New York: the zone of NYSE sessions and of Polygon's daily bar starts. */
    public static final ZoneId ZONE = ZoneId.of("America/New_York");

    private MarketTime() {
    }

    /** Polygon's {@code t} (Unix ms of the window start) as an instant. */
    public static Instant instant(long epochMs) {
        return Instant.ofEpochMilli(epochMs);
    }

    /** The window start in New York time. */
    public static ZonedDateTime eastern(long epochMs) {
        return instant(epochMs).atZone(ZONE);
    }

    /** The window start as an offset date-time in New York, e.g. {@code 2024-03-11T00:00-04:00}. */
    public static OffsetDateTime easternOffset(long epochMs) {
        return eastern(epochMs).toOffsetDateTime();
    }

    /** The trading date a window belongs to: its New York local date (a 23:30 ET bar keeps its ET date). */
    public static LocalDate tradingDate(long epochMs) {
        return eastern(epochMs).toLocalDate();
    }

    /** Midnight New York at the start of {@code date}, in epoch ms: where Polygon puts a daily bar's {@code t}. */
    public static long startOfDayMs(LocalDate date) {
        return date.atStartOfDay(ZONE).toInstant().toEpochMilli();
    }
}
