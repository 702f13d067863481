package dev.tickeretl.server;

import dev.tickeretl.Bar;
import dev.tickeretl.Store;
import dev.tickeretl.Timespan;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/** Every read the server makes goes through here: the one place that maps a query to the {@link Store} API. */
final class StoreReads {

    /** Earliest and latest dates a request may name: bounds the partitions one request can make the store open. */
    static final LocalDate FIRST_DATE = LocalDate.of(1970, 1, 1);
    static final LocalDate LAST_DATE = LocalDate.of(2099, 12, 31);

    /** How far back {@link #latest} looks for a ticker's last minute bar (one partition per calendar day). */
    static final int MINUTE_LOOKBACK_DAYS = 14;

    private StoreReads() {
    }

    /** Bars of one ticker, timespan and dataset with trading dates in [from, to], in time order. */
    static List<Bar> bars(Store store, String ticker, Timespan timespan, boolean adjusted, LocalDate from,
                          LocalDate to) {
        return store.bars(ticker, timespan, adjusted, from, to);
    }

    /**
     * The ticker's last bar on or before {@code today}: day bars searched year by year back to {@link #FIRST_DATE},
     * minute bars day by day back {@link #MINUTE_LOOKBACK_DAYS} days.
     */
    static Optional<Bar> latest(Store store, String ticker, Timespan timespan, boolean adjusted, LocalDate today) {
        if (timespan == Timespan.DAY) {
            for (int year = today.getYear(); year >= FIRST_DATE.getYear(); year--) {
                LocalDate to = year == today.getYear() ? today : LocalDate.of(year, 12, 31);
                Optional<Bar> last = last(bars(store, ticker, timespan, adjusted, LocalDate.of(year, 1, 1), to));
                if (last.isPresent()) {
                    return last;
                }
            }
            return Optional.empty();
        }
        for (int back = 0; back <= MINUTE_LOOKBACK_DAYS; back++) {
            LocalDate day = today.minusDays(back);
            Optional<Bar> last = last(bars(store, ticker, timespan, adjusted, day, day));
            if (last.isPresent()) {
                return last;
            }
        }
        return Optional.empty();
    }

    private static Optional<Bar> last(List<Bar> bars) {
        return bars.isEmpty() ? Optional.empty() : Optional.of(bars.get(bars.size() - 1));
    }
}
