package dev.tickeretl.polygon;

import dev.tickeretl.Timespan;
import dev.tickeretl.TradingCalendar;
import dev.tickeretl.spi.SourceRequest;
import dev.tickeretl.spi.TickerRange;
import java.time.LocalDate;
import java.util.TreeSet;

/**
 * Chooses between one request chain per ticker range and one grouped-daily request per trading date, by which
 * needs fewer requests: 500 tickers over 3 days is 3 grouped requests instead of 500; 5 tickers over a year is 5
 * per-ticker requests instead of ~250.
 */
final class RequestPlanner {

    /**
     * Upper bound of minute bars per trading day Polygon may return (04:00–20:00 ET with extended hours); page
     * estimates only, the real count follows {@code next_url}.
     */
    static final int MINUTE_BARS_PER_DAY = 960;

    enum Kind { PER_TICKER, GROUPED }

    /**
     * The outcome.
     *
     * @param perTickerRequests estimated requests of the per-ticker plan
     * @param groupedRequests   requests of the grouped plan (distinct trading dates); -1 when it cannot serve
     */
    record RequestPlan(Kind kind, long perTickerRequests, long groupedRequests) {
        long estimatedRequests() {
            return kind == Kind.GROUPED ? groupedRequests : perTickerRequests;
        }
    }

    private RequestPlanner() {
    }

    static RequestPlan plan(SourceRequest request, PolygonSource.Plan choice, int pageLimit, TradingCalendar calendar) {
        long perTicker = 0;
        TreeSet<LocalDate> dates = new TreeSet<>();
        int barsPerDay = request.timespan() == Timespan.MINUTE ? MINUTE_BARS_PER_DAY : 1;
        for (TickerRange range : request.ranges()) {
            var days = calendar.tradingDays(range.from(), range.to());
            // Even a range the calendar thinks empty costs one request: the API, not our calendar, has the last word.
            perTicker += Math.max(1, ceilDiv((long) days.size() * barsPerDay, pageLimit));
            dates.addAll(days);
        }
        boolean groupedPossible = request.timespan() == Timespan.DAY;
        long grouped = groupedPossible ? dates.size() : -1;
        Kind kind = switch (choice) {
            case PER_TICKER -> Kind.PER_TICKER;
            case GROUPED -> {
                if (!groupedPossible) {
                    throw new IllegalArgumentException("plan: grouped daily serves day bars only, not "
                            + request.timespan().wireName() + " bars; use auto or per-ticker");
                }
                yield Kind.GROUPED;
            }
            // Ties go to per-ticker: a grouped page carries the whole market (~12,000 results) for each date.
            case AUTO -> groupedPossible && grouped < perTicker ? Kind.GROUPED : Kind.PER_TICKER;
        };
        return new RequestPlan(kind, perTicker, grouped);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
