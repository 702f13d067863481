package dev.tickeretl.internal.quality;

import dev.tickeretl.TradingCalendar;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The regular-session minutes of one trading day (09:30 until the close, 16:00 or 13:00 on early closes) as bit
 * positions, so a day's present or missing minutes are a 390-bit set and comparing a store with a source stays small
 * for thousands of ticker-days.
 */
public record SessionMinutes(LocalDate date, long openMs, int minutes) {

    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    /** The session of {@code date}, or null when the exchange is closed that day. */
    public static SessionMinutes of(LocalDate date, TradingCalendar calendar) {
        return calendar.session(date).map(s -> new SessionMinutes(date, s.open().toInstant().toEpochMilli(),
                (int) java.time.Duration.between(s.open(), s.close()).toMinutes())).orElse(null);
    }

    /** The position of the minute starting at {@code startMs}, or -1 outside the regular session. */
    public int index(long startMs) {
        long i = Math.floorDiv(startMs - openMs, 60_000L);
        return i >= 0 && i < minutes && (startMs - openMs) % 60_000 == 0 ? (int) i : -1;
    }

    /** Every minute of the session. */
    public BitSet all() {
        BitSet all = new BitSet(minutes);
        all.set(0, minutes);
        return all;
    }

    /**
     * The minutes in {@code set} as New York times, runs joined: {@code 09:31-09:35, 10:02}; at most {@code max}
     * runs, then how many more.
     */
    public String describe(BitSet set, int max) {
        List<String> runs = new ArrayList<>();
        int count = 0;
        for (int i = set.nextSetBit(0); i >= 0; i = set.nextSetBit(i + 1)) {
            int end = set.nextClearBit(i) - 1;
            if (count++ < max) {
                runs.add(end == i ? time(i) : time(i) + "-" + time(end));
            }
            i = end;
        }
        String shown = String.join(", ", runs);
        return count > max ? shown + " and " + (count - max) + " more stretches" : shown;
    }

    private String time(int index) {
        return ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(openMs + index * 60_000L),
                dev.tickeretl.MarketTime.ZONE).format(HH_MM);
    }
}
