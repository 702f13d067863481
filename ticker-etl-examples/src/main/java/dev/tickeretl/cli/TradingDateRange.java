package dev.tickeretl.cli;

import dev.tickeretl.TradingCalendar;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** The checks every command makes on a --from/--to range before it touches a store or a source. */
final class TradingDateRange {

    private TradingDateRange() {
    }

    /**
     * @throws IllegalArgumentException naming the field: a date outside the years the calendar is verified for
     *                                  (other years would be planned by extrapolated holiday rules, silently), or a
     *                                  range without a single trading day (a weekend, a holiday)
     */
    static void check(LocalDate from, LocalDate to, TradingCalendar calendar) {
        requireVerified("from", from, calendar);
        requireVerified("to", to, calendar);
        if (!from.isAfter(to) && calendar.countTradingDays(from, to) == 0) {
            throw new IllegalArgumentException("from/to: no trading days in range " + from + ".." + to + " ("
                    + closures(from, to, calendar) + ")");
        }
    }

    private static void requireVerified(String field, LocalDate date, TradingCalendar calendar) {
        if (!calendar.isVerified(date)) {
            throw new IllegalArgumentException(field + ": " + date + " is outside the years the NYSE calendar is "
                    + "verified for (" + calendar.firstVerifiedYear() + "-" + calendar.lastVerifiedYear() + ")");
        }
    }

    /** Why each day is closed, e.g. "weekend, 2025-01-20 Martin Luther King, Jr. Day". */
    private static String closures(LocalDate from, LocalDate to, TradingCalendar calendar) {
        List<String> reasons = new ArrayList<>();
        boolean weekend = false;
        for (LocalDate d = from; !d.isAfter(to) && reasons.size() < 5; d = d.plusDays(1)) {
            if (d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY) {
                if (!weekend) {
                    reasons.add("weekend");
                    weekend = true;
                }
            } else {
                LocalDate day = d;
                calendar.holidayName(d).ifPresent(name -> reasons.add(day + " " + name));
            }
        }
        return String.join(", ", reasons);
    }
}
