package dev.tickeretl.polygon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickeretl.Timespan;
import dev.tickeretl.TradingCalendar;
import dev.tickeretl.spi.SourceRequest;
import dev.tickeretl.spi.TickerRange;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RequestPlannerTest {

    private static final TradingCalendar NYSE = TradingCalendar.nyse();

    private static SourceRequest request(Timespan timespan, int tickers, LocalDate from, LocalDate to) {
        return SourceRequest.bounded(timespan, true, IntStream.range(0, tickers)
                .mapToObj(i -> new TickerRange("T" + i, from, to)).toList());
    }

    @Test
    void fiveHundredTickersOverThreeDaysUseGroupedDaily() {
        var plan = RequestPlanner.plan(request(Timespan.DAY, 500, LocalDate.of(2025, 3, 4), LocalDate.of(2025, 3, 6)),
                PolygonSource.Plan.AUTO, 50_000, NYSE);

        assertThat(plan.kind()).isEqualTo(RequestPlanner.Kind.GROUPED);
        assertThat(plan.groupedRequests()).isEqualTo(3);
        assertThat(plan.perTickerRequests()).isEqualTo(500);
        assertThat(plan.estimatedRequests()).isEqualTo(3);
    }

    @Test
    void fiveTickersOverAYearUsePerTickerRanges() {
        var plan = RequestPlanner.plan(request(Timespan.DAY, 5, LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31)),
                PolygonSource.Plan.AUTO, 50_000, NYSE);

        assertThat(plan.kind()).isEqualTo(RequestPlanner.Kind.PER_TICKER);
        assertThat(plan.perTickerRequests()).isEqualTo(5);
        assertThat(plan.groupedRequests()).isEqualTo(NYSE.tradingDays(LocalDate.of(2024, 1, 1),
                LocalDate.of(2024, 12, 31)).size()).isGreaterThan(240);
    }

    @Test
    void smallPagesCountAsMoreRequestsPerTicker() {
        // 5 tickers × ~250 days at 10 bars a page: ~125 pages, still fewer than ~250 grouped dates.
        var plan = RequestPlanner.plan(request(Timespan.DAY, 5, LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31)),
                PolygonSource.Plan.AUTO, 10, NYSE);
        int days = NYSE.tradingDays(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31)).size();

        assertThat(plan.perTickerRequests()).isEqualTo(5L * ((days + 9) / 10));
        assertThat(plan.kind()).isEqualTo(RequestPlanner.Kind.PER_TICKER);
    }

    @Test
    void overlappingRangesShareGroupedDates() {
        SourceRequest request = SourceRequest.bounded(Timespan.DAY, true, List.of(
                new TickerRange("A", LocalDate.of(2025, 3, 3), LocalDate.of(2025, 3, 5)),
                new TickerRange("B", LocalDate.of(2025, 3, 4), LocalDate.of(2025, 3, 7))));

        var plan = RequestPlanner.plan(request, PolygonSource.Plan.AUTO, 50_000, NYSE);

        assertThat(plan.groupedRequests()).isEqualTo(5);
        assertThat(plan.kind()).isEqualTo(RequestPlanner.Kind.PER_TICKER);
    }

    @Test
    void aTieGoesToPerTicker() {
        var plan = RequestPlanner.plan(request(Timespan.DAY, 1, LocalDate.of(2025, 3, 4), LocalDate.of(2025, 3, 4)),
                PolygonSource.Plan.AUTO, 50_000, NYSE);

        assertThat(plan.perTickerRequests()).isEqualTo(plan.groupedRequests()).isEqualTo(1);
        assertThat(plan.kind()).isEqualTo(RequestPlanner.Kind.PER_TICKER);
    }

    @Test
    void anExplicitPlanIsHonouredEvenWhenItCostsMore() {
        var grouped = RequestPlanner.plan(request(Timespan.DAY, 5, LocalDate.of(2024, 1, 1),
                LocalDate.of(2024, 12, 31)), PolygonSource.Plan.GROUPED, 50_000, NYSE);
        var perTicker = RequestPlanner.plan(request(Timespan.DAY, 500, LocalDate.of(2025, 3, 4),
                LocalDate.of(2025, 3, 6)), PolygonSource.Plan.PER_TICKER, 50_000, NYSE);

        assertThat(grouped.kind()).isEqualTo(RequestPlanner.Kind.GROUPED);
        assertThat(perTicker.kind()).isEqualTo(RequestPlanner.Kind.PER_TICKER);
    }

    @Test
    void minuteBarsAreNeverGroupedAndCountTheirPages() {
        var plan = RequestPlanner.plan(request(Timespan.MINUTE, 500, LocalDate.of(2025, 3, 4),
                LocalDate.of(2025, 3, 6)), PolygonSource.Plan.AUTO, 50_000, NYSE);

        assertThat(plan.kind()).isEqualTo(RequestPlanner.Kind.PER_TICKER);
        assertThat(plan.groupedRequests()).isEqualTo(-1);
        assertThatThrownBy(() -> RequestPlanner.plan(request(Timespan.MINUTE, 1, LocalDate.of(2025, 3, 4),
                LocalDate.of(2025, 3, 6)), PolygonSource.Plan.GROUPED, 50_000, NYSE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("plan:");
    }
}
