package dev.tickeretl.polygon;

import static dev.tickeretl.polygon.Fixtures.D1;
import static dev.tickeretl.polygon.Fixtures.D2;
import static dev.tickeretl.polygon.Fixtures.D3;
import static dev.tickeretl.polygon.Fixtures.fast;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.MarketTime;
import dev.tickeretl.Timespan;
import dev.tickeretl.spi.RawBar;
import dev.tickeretl.spi.SourceRequest;
import dev.tickeretl.spi.TickerRange;
import java.util.List;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The grouped-daily plan: one request per date, split among the tickers (and dates) that were asked for. */
class GroupedDailyTest {

    private final MockWebServer server = new MockWebServer();
    private final ScriptedPolygon polygon = new ScriptedPolygon();

    @BeforeEach
    void start() throws Exception {
        server.setDispatcher(polygon);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** AAPL wants D1..D3, MSFT only D1; the market has other tickers too. */
    private static final SourceRequest REQUEST = SourceRequest.bounded(Timespan.DAY, true,
            List.of(new TickerRange("AAPL", D1, D3), new TickerRange("MSFT", D1, D1)));

    private void market(java.time.LocalDate date) {
        polygon.answer(date.toString(), Json.json(200, Json.grouped(
                Json.groupedBar("KIMpL", date, 25), Json.groupedBar("AAPL", date, 180),
                Json.groupedBar("MSFT", date, 370), Json.groupedBar("TANH", date, 23))));
    }

    @Test
    void groupedPlanKeepsOnlyTheRequestedTickersOnTheirOwnDates() throws Exception {
        market(D1);
        market(D2);
        market(D3);

        Drained run;
        try (PolygonSource source = fast(server).plan(PolygonSource.Plan.GROUPED).build()) {
            run = Drained.run(source, REQUEST);
            assertThat(source.stats().requests()).isEqualTo(3);
        }

        assertThat(run.failed()).isEmpty();
        assertThat(run.bars("AAPL")).extracting(RawBar::startMs).containsExactlyInAnyOrder(
                MarketTime.startOfDayMs(D1), MarketTime.startOfDayMs(D2), MarketTime.startOfDayMs(D3));
        assertThat(run.bars("MSFT")).extracting(RawBar::startMs).containsExactly(MarketTime.startOfDayMs(D1));
        assertThat(run.barEvents()).flatExtracting(b -> b.bars()).extracting(RawBar::ticker)
                .containsOnly("AAPL", "MSFT");
        assertThat(run.done()).containsExactlyInAnyOrder("AAPL", "MSFT");
        assertThat(polygon.arrivals()).extracting(ScriptedPolygon.Arrival::target).containsExactlyInAnyOrder(
                "/v2/aggs/grouped/locale/us/market/stocks/2024-01-02?adjusted=true",
                "/v2/aggs/grouped/locale/us/market/stocks/2024-01-03?adjusted=true",
                "/v2/aggs/grouped/locale/us/market/stocks/2024-01-04?adjusted=true");
        // TickerDone comes after every bar of that ticker.
        int lastAaplBars = -1;
        for (int i = 0; i < run.events().size(); i++) {
            if (run.events().get(i) instanceof dev.tickeretl.spi.SourceEvent.Bars b
                    && b.bars().get(0).ticker().equals("AAPL")) {
                lastAaplBars = i;
            }
        }
        assertThat(run.events().indexOf(new dev.tickeretl.spi.SourceEvent.PartitionDone(run.partition("AAPL"))))
                .isGreaterThan(lastAaplBars);
    }

    @Test
    void groupedBarsStampedAtFourPmNewYorkAreKeyedAtMidnightLikeRangeBars() throws Exception {
        long fourPm = MarketTime.startOfDayMs(D1) + 16 * 3_600_000L;
        polygon.answer(D1.toString(), Json.json(200, Json.grouped("{\"T\":\"AAPL\",\"o\":1,\"h\":2,\"l\":0.5,"
                + "\"c\":1.5,\"v\":100,\"t\":" + fourPm + "}")));

        Drained run;
        try (PolygonSource source = fast(server).plan(PolygonSource.Plan.GROUPED).build()) {
            run = Drained.run(source, SourceRequest.bounded(Timespan.DAY, true, List.of(new TickerRange("AAPL", D1, D1))));
        }

        assertThat(run.bars("AAPL")).extracting(RawBar::startMs).containsExactly(MarketTime.startOfDayMs(D1));
    }

    @Test
    void aFailedDateFailsEveryTickerThatWantedItAndNoOther() throws Exception {
        market(D1);
        polygon.answer(D2.toString(), Json.json(404, "{\"status\":\"NOT_FOUND\"}"));
        market(D3);

        Drained run;
        try (PolygonSource source = fast(server).plan(PolygonSource.Plan.GROUPED).build()) {
            run = Drained.run(source, REQUEST);
        }

        assertThat(run.failed()).containsOnlyKeys("AAPL");
        assertThat(run.failed().get("AAPL")).contains("grouped daily request for 2024-01-03").contains("HTTP 404");
        assertThat(run.done()).containsExactly("MSFT");
    }

    @Test
    void autoPlanPicksGroupedWhenDatesAreFewerThanTickers() throws Exception {
        market(D1);
        SourceRequest manyTickers = SourceRequest.bounded(Timespan.DAY, true, List.of(
                new TickerRange("AAPL", D1, D1), new TickerRange("MSFT", D1, D1), new TickerRange("KIMPL", D1, D1)));

        Drained run;
        try (PolygonSource source = fast(server).plan(PolygonSource.Plan.AUTO).build()) {
            run = Drained.run(source, manyTickers);
        }

        assertThat(polygon.arrivals()).singleElement().extracting(ScriptedPolygon.Arrival::route)
                .isEqualTo("2024-01-02");
        assertThat(run.done()).containsExactlyInAnyOrder("AAPL", "MSFT", "KIMPL");
        // KIMPL is not the market's KIMpL (tickers are case-sensitive): done, with no bars.
        assertThat(run.bars("KIMPL")).isEmpty();
        assertThat(run.bars("AAPL")).hasSize(1);
    }

    @Test
    void aWantedTickersIncompleteResultIsInvalidAndOthersAreIgnored() throws Exception {
        polygon.answer(D1.toString(), Json.json(200, Json.grouped(
                "{\"T\":\"AAPL\",\"o\":1,\"h\":2,\"l\":0.5,\"t\":" + MarketTime.startOfDayMs(D1) + ",\"v\":9}",
                "{\"T\":\"XYZ\",\"o\":1}", Json.groupedBar("MSFT", D1, 370))));
        SourceRequest oneDay = SourceRequest.bounded(Timespan.DAY, true,
                List.of(new TickerRange("AAPL", D1, D1), new TickerRange("MSFT", D1, D1)));

        Drained run;
        try (PolygonSource source = fast(server).plan(PolygonSource.Plan.GROUPED).build()) {
            run = Drained.run(source, oneDay);
        }

        assertThat(run.invalid()).singleElement().satisfies(i -> {
            assertThat(i.ticker()).isEqualTo("AAPL");
            assertThat(i.reason()).contains("lacks required field(s) c");
        });
        assertThat(run.bars("AAPL")).isEmpty();
        assertThat(run.bars("MSFT")).hasSize(1);
        assertThat(run.done()).containsExactlyInAnyOrder("AAPL", "MSFT");
    }
}
