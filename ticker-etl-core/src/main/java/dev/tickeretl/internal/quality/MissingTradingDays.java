package dev.tickeretl.internal.quality;

import dev.tickeretl.TradingCalendar;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Trading days without a bar between two days that have one, by the NYSE calendar: a gap in a ticker's history.
 * Days before its first bar and after its last are not gaps (not listed yet, delisted, or not fetched: the stale rule
 * looks at the end).
 */
public final class MissingTradingDays {

    private MissingTradingDays() {
    }

    /** The trading days strictly between {@code before} and {@code after}, which both have a bar. */
    public record Gap(LocalDate before, LocalDate after, List<LocalDate> missing) {
        public Gap {
            missing = List.copyOf(missing);
        }

        /** e.g. "2 trading days without a bar between 2025-01-06 and 2025-01-09: 2025-01-07, 2025-01-08". */
        public String describe(String what) {
            StringBuilder s = new StringBuilder();
            s.append(missing.size()).append(missing.size() == 1 ? " trading day " : " trading days ").append(what)
                    .append(" between ").append(before).append(" and ").append(after).append(": ");
            int shown = Math.min(missing.size(), 5);
            for (int i = 0; i < shown; i++) {
                s.append(i == 0 ? "" : ", ").append(missing.get(i));
            }
            if (shown < missing.size()) {
                s.append(", ... ").append(missing.get(missing.size() - 1));
            }
            return s.toString();
        }
    }

    /** The gap between two consecutive days with a bar, or null when no trading day lies between them. */
    public static Gap between(LocalDate before, LocalDate after, TradingCalendar calendar) {
        if (!before.isBefore(after) || calendar.nextTradingDay(before).equals(after)) {
            return null; // the common case, without listing days
        }
        List<LocalDate> missing = calendar.tradingDays(before.plusDays(1), after.minusDays(1));
        return missing.isEmpty() ? null : new Gap(before, after, missing);
    }

    /** Every gap of {@code days} (the dates with a bar, ascending, distinct). */
    public static List<Gap> gaps(List<LocalDate> days, TradingCalendar calendar) {
        List<Gap> gaps = new ArrayList<>();
        for (int i = 1; i < days.size(); i++) {
            Gap g = between(days.get(i - 1), days.get(i), calendar);
            if (g != null) {
                gaps.add(g);
            }
        }
        return gaps;
    }
}
