package dev.tickeretl.internal.quality;

import dev.tickeretl.Bar;
import dev.tickeretl.MarketTime;
import dev.tickeretl.Phase;
import dev.tickeretl.Timespan;
import dev.tickeretl.TradingCalendar;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Day bars with chosen closes and volumes, on consecutive NYSE sessions, for the rule tests. */
final class QualityBars {

    static final TradingCalendar NYSE = TradingCalendar.nyse();
    static final LocalDate FIRST = LocalDate.of(2024, 1, 2);

    private QualityBars() {
    }

    static Bar day(LocalDate date, double open, double high, double low, double close, double volume) {
        long start = MarketTime.startOfDayMs(date);
        return new Bar("AAPL", Timespan.DAY, date, start, MarketTime.easternOffset(start), MarketTime.instant(start),
                open, high, low, close, volume, null, null, true, null, Phase.NEUTRAL, Bar.SCHEMA_VERSION);
    }

    /** A bar whose open, high and low equal its close. */
    static Bar day(LocalDate date, double close, double volume) {
        return day(date, close, close, close, close, volume);
    }

    /** Bars with these closes on consecutive sessions from {@link #FIRST}, volume 1000 each. */
    static List<Bar> closes(double... closes) {
        List<Bar> bars = new ArrayList<>();
        LocalDate d = FIRST;
        for (double c : closes) {
            bars.add(day(d, c, 1000));
            d = NYSE.nextTradingDay(d);
        }
        return bars;
    }

    /** Bars with these volumes on consecutive sessions from {@link #FIRST}, close 100 each. */
    static List<Bar> volumes(double... volumes) {
        List<Bar> bars = new ArrayList<>();
        LocalDate d = FIRST;
        for (double v : volumes) {
            bars.add(day(d, 100, v));
            d = NYSE.nextTradingDay(d);
        }
        return bars;
    }
}
