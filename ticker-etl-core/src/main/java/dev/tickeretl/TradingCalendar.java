package dev.tickeretl;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The NYSE trading calendar. TEMPORARY weekends-only body: the calendar issue work replaces it with holidays,
 * special closures and early closes, keeping these signatures.
 */
public final class TradingCalendar {

    private static final TradingCalendar NYSE = new TradingCalendar();

    private TradingCalendar() {
    }

    public static TradingCalendar nyse() {
        return NYSE;
    }

    public boolean isTradingDay(LocalDate date) {
        DayOfWeek d = date.getDayOfWeek();
        return d != DayOfWeek.SATURDAY && d != DayOfWeek.SUNDAY;
    }

    public LocalDate previousTradingDay(LocalDate date) {
        LocalDate d = date.minusDays(1);
        while (!isTradingDay(d)) {
            d = d.minusDays(1);
        }
        return d;
    }

    public LocalDate nextTradingDay(LocalDate date) {
        LocalDate d = date.plusDays(1);
        while (!isTradingDay(d)) {
            d = d.plusDays(1);
        }
        return d;
    }

    public List<LocalDate> tradingDays(LocalDate from, LocalDate to) {
        List<LocalDate> days = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            if (isTradingDay(d)) {
                days.add(d);
            }
        }
        return days;
    }

    public Optional<Session> session(LocalDate date) {
        if (!isTradingDay(date)) {
            return Optional.empty();
        }
        return Optional.of(new Session(date, date.atTime(9, 30).atZone(MarketTime.ZONE),
                date.atTime(16, 0).atZone(MarketTime.ZONE), false));
    }

    /** One regular session: open and close in New York time. */
    public record Session(LocalDate date, java.time.ZonedDateTime open, java.time.ZonedDateTime close,
                          boolean earlyClose) {
    }
}
