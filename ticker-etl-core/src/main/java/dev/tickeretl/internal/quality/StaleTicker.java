package dev.tickeretl.internal.quality;

import dev.tickeretl.TradingCalendar;
import java.time.LocalDate;

/**
 * A ticker that stopped: none of the last {@code sessions} trading sessions up to the end of the range has a bar
 * (a delisting, a halt, a renamed symbol, or a feed that stopped delivering it).
 */
public final class StaleTicker {

    private final int sessions;

    public StaleTicker(int sessions) {
        this.sessions = sessions;
    }

    /** The first day of the window that must hold a bar: the {@code sessions}-th session back from {@code end}. */
    public LocalDate windowStart(LocalDate end, TradingCalendar calendar) {
        LocalDate d = calendar.isTradingDay(end) ? end : calendar.previousTradingDay(end);
        for (int i = 1; i < sessions; i++) {
            d = calendar.previousTradingDay(d);
        }
        return d;
    }

    /**
     * Why the ticker whose newest bar is of {@code lastBar} (null: none known before the window) is stale at
     * {@code end}, or null when it is not.
     */
    public String check(LocalDate lastBar, LocalDate end, TradingCalendar calendar) {
        LocalDate start = windowStart(end, calendar);
        if (lastBar != null && !lastBar.isBefore(start)) {
            return null;
        }
        String since = lastBar == null ? "no earlier bar found"
                : "the newest bar is of " + lastBar + ", " + calendar.countTradingDays(lastBar.plusDays(1), end)
                + " sessions earlier";
        return "no bar in the last " + sessions + (sessions == 1 ? " session" : " sessions") + " up to " + end
                + " (" + since + "): delisted, halted, renamed, or no longer delivered?";
    }
}
