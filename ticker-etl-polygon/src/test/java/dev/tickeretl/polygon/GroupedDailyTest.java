package dev.tickeretl.polygon;

import static dev.tickeretl.polygon.Fixtures.D1;
import static dev.tickeretl.polygon.Fixtures.D2;
import static dev.tickeretl.polygon.Fixtures.D3;
import static dev.tickeretl.polygon.Fixtures.fast;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.MarketTime;
import dev.tickeretl.Timespan;
import dev.tickeretl.spi.RawBar;
import dev.tickeretl.spi.SourceEvent;
import dev.tickeretl.spi.SourceRequest;
import dev.tickeretl.spi.TickerRange;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
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
                "/v2/aggs/grouped/locale/us/market/stocks/2024-01-02?adjusted=true&include_otc=true",
                "/v2/aggs/grouped/locale/us/market/stocks/2024-01-03?adjusted=true&include_otc=true",
                "/v2/aggs/grouped/locale/us/market/stocks/2024-01-04?adjusted=true&include_otc=true");
        // PartitionDone comes after every bar of that ticker.
        int lastAaplBars = -1;
        for (int i = 0; i < run.events().size(); i++) {
            if (run.events().get(i) instanceof SourceEvent.Bars b && b.bars().get(0).ticker().equals("AAPL")) {
                lastAaplBars = i;
            }
        }
        assertThat(run.events().indexOf(run.partitionDone("AAPL"))).isGreaterThan(lastAaplBars);
        // One covered day per answered date (dates are fetched concurrently, so in any order), then done.
        assertThat(run.covered("AAPL")).containsExactlyInAnyOrder(run.span("AAPL", D1, D1),
                run.span("AAPL", D2, D2), run.span("AAPL", D3, D3));
        assertThat(run.progress("AAPL")).hasSize(4).last().isEqualTo(run.partitionDone("AAPL"));
        assertThat(run.progress("MSFT")).containsExactly(run.span("MSFT", D1, D1), run.partitionDone("MSFT"));
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
        assertThat(run.progress("AAPL")).containsExactly(run.span("AAPL", D1, D1), run.partitionDone("AAPL"));
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
        // The failed date is never covered; the others may be, before the failure, whichever answered first.
        assertThat(run.covered("AAPL")).doesNotContain(run.span("AAPL", D2, D2))
                .isSubsetOf(run.span("AAPL", D1, D1), run.span("AAPL", D3, D3));
        assertThat(run.progress("AAPL")).last().isInstanceOf(SourceEvent.PartitionFailed.class);
        assertThat(run.progress("MSFT")).containsExactly(run.span("MSFT", D1, D1), run.partitionDone("MSFT"));
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
        // The market's answer for D1 has no KIMPL: that day is answered, with no bar upstream.
        assertThat(run.progress("KIMPL")).containsExactly(run.span("KIMPL", D1, D1), run.partitionDone("KIMPL"));
        assertThat(run.progress("AAPL")).containsExactly(run.span("AAPL", D1, D1), run.partitionDone("AAPL"));
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
        // AAPL has a bar on D1 that could not be delivered: D1 is not answered for it (an incremental run asks
        // again); XYZ was not asked for, so its broken result concerns nobody.
        assertThat(run.progress("AAPL")).containsExactly(run.partitionDone("AAPL"));
        assertThat(run.progress("MSFT")).containsExactly(run.span("MSFT", D1, D1), run.partitionDone("MSFT"));
    }

    @Test
    void aPartitionsOffsetNeverGoesBackWhenItsDatesAreAnsweredOutOfOrder() throws Exception {
        // D1 answers late, so D2's bars are delivered first.
        polygon.answer(D1.toString(), new MockResponse.Builder(Json.json(200, Json.grouped(
                Json.groupedBar("AAPL", D1, 180)))).headersDelay(500, TimeUnit.MILLISECONDS).build());
        polygon.answer(D2.toString(), Json.json(200, Json.grouped(Json.groupedBar("AAPL", D2, 181))));

        Drained run;
        try (PolygonSource source = fast(server).plan(PolygonSource.Plan.GROUPED).concurrency(2).build()) {
            run = Drained.run(source, SourceRequest.bounded(Timespan.DAY, true,
                    List.of(new TickerRange("AAPL", D1, D2))));
        }

        assertThat(run.barEvents()).extracting(b -> MarketTime.tradingDate(b.bars().get(0).startMs()))
                .as("the late date really came last").containsExactly(D2, D1);
        assertThat(run.barEvents()).extracting(b -> b.offset().position())
                .containsExactly(Map.of("through", D2.toString()), Map.of("through", D2.toString()));
    }

    @Test
    void groupedRequestsIncludeOtcSoAnOtcTickerIsNeitherMissedNorTakenForADayWithoutABar() throws Exception {
        // Polygon leaves OTC securities out of grouped daily unless include_otc=true; the per-ticker endpoint
        // serves them either way. Without them, an OTC ticker's day would be "answered, no bar" for good.
        try (MockWebServer otcAware = new MockWebServer()) {
            List<String> targets = new CopyOnWriteArrayList<>();
            otcAware.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    targets.add(request.getTarget());
                    boolean otc = request.getTarget().contains("include_otc=true");
                    return otc ? Json.json(200, Json.grouped(Json.groupedBar("AAPL", D1, 180),
                            Json.groupedBar("TCEHY", D1, 48)))
                            : Json.json(200, Json.grouped(Json.groupedBar("AAPL", D1, 180)));
                }
            });
            otcAware.start();

            Drained run;
            try (PolygonSource source = fast(otcAware).plan(PolygonSource.Plan.GROUPED).build()) {
                run = Drained.run(source, SourceRequest.bounded(Timespan.DAY, true,
                        List.of(new TickerRange("AAPL", D1, D1), new TickerRange("TCEHY", D1, D1))));
            }

            assertThat(targets).singleElement().asString().contains("include_otc=true");
            assertThat(run.bars("TCEHY")).hasSize(1);
            assertThat(run.progress("TCEHY")).containsExactly(run.span("TCEHY", D1, D1), run.partitionDone("TCEHY"));
        }
    }
}
