package dev.tickeretl.polygon;

import static dev.tickeretl.polygon.Fixtures.D1;
import static dev.tickeretl.polygon.Fixtures.D2;
import static dev.tickeretl.polygon.Fixtures.D3;
import static dev.tickeretl.polygon.Fixtures.D4;
import static dev.tickeretl.polygon.Fixtures.KEY;
import static dev.tickeretl.polygon.Fixtures.base;
import static dev.tickeretl.polygon.Fixtures.days;
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
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code next_url} is followed to the end, in order, with the key on every page, and only to the base URL's origin. */
class PaginationTest {

    private final MockWebServer server = new MockWebServer();
    private final MockWebServer elsewhere = new MockWebServer();
    private final ScriptedPolygon polygon = new ScriptedPolygon();
    private final ScriptedPolygon other = new ScriptedPolygon();

    @BeforeEach
    void start() throws Exception {
        server.setDispatcher(polygon);
        server.start();
        elsewhere.setDispatcher(other);
        elsewhere.start();
    }

    @AfterEach
    void stop() {
        server.close();
        elsewhere.close();
    }

    private String next(MockWebServer at, String cursor) {
        // Absolute, as Polygon sends it: the same path with a cursor and no key.
        return base(at) + "/v2/aggs/ticker/AAPL/range/1/day/1704171600000/2024-01-05?cursor=" + cursor;
    }

    @Test
    void threePagesAreCollectedInOrderWithTheKeyOnlyInTheHeaderOfEveryRequest() throws Exception {
        polygon.answer("AAPL", Json.json(200, Json.page("AAPL", "OK", next(server, "p2"), Json.bar(D1, 101))));
        polygon.answer("p2", Json.json(200, Json.page("AAPL", "OK", next(server, "p3"), Json.bar(D2, 102),
                Json.bar(D3, 103))));
        polygon.answer("p3", Json.json(200, Json.page("AAPL", "OK", null, Json.bar(D4, 104))));

        Drained run;
        try (PolygonSource source = fast(server).build()) {
            run = Drained.run(source, days("AAPL"));
            assertThat(source.stats().requests()).isEqualTo(3);
            assertThat(source.stats().dataRequests()).isEqualTo(3);
        }

        assertThat(run.failed()).isEmpty();
        assertThat(run.bars("AAPL")).extracting(RawBar::startMs).containsExactly(MarketTime.startOfDayMs(D1),
                MarketTime.startOfDayMs(D2), MarketTime.startOfDayMs(D3), MarketTime.startOfDayMs(D4));
        assertThat(run.barEvents()).extracting(SourceEvent.Bars::offset).extracting(o -> o.position())
                .containsExactly(Map.of("through", "2024-01-02"),
                        Map.of("through", "2024-01-04"),
                        Map.of("through", "2024-01-05"));
        // Covered only once the last page is in, then done.
        assertThat(run.events().subList(run.events().size() - 2, run.events().size()))
                .containsExactly(run.span("AAPL", D1, D4), run.partitionDone("AAPL"));
        assertThat(run.progress("AAPL")).containsExactly(run.span("AAPL", D1, D4), run.partitionDone("AAPL"));
        List<ScriptedPolygon.Arrival> arrivals = polygon.arrivals();
        assertThat(arrivals).extracting(ScriptedPolygon.Arrival::route).containsExactly("AAPL", "p2", "p3");
        assertThat(arrivals).extracting(ScriptedPolygon.Arrival::authorization).containsOnly("Bearer " + KEY);
        assertThat(arrivals).extracting(ScriptedPolygon.Arrival::target).noneMatch(t -> t.contains(KEY))
                .noneMatch(t -> t.toLowerCase().contains("apikey"));
    }

    @Test
    void nextUrlToAnotherPortFailsTheTickerAndThatServerReceivesNothing() throws Exception {
        polygon.answer("AAPL", Json.json(200, Json.page("AAPL", "OK", next(elsewhere, "p2"), Json.bar(D1, 101))));
        polygon.answer("MSFT", Json.ok("MSFT", D1, D2, D3, D4));
        other.answer("p2", Json.json(200, Json.page("AAPL", "OK", null, Json.bar(D2, 102))));

        Drained run;
        try (PolygonSource source = fast(server).build()) {
            run = Drained.run(source, days("AAPL", "MSFT"));
        }

        assertThat(run.failed()).containsOnlyKeys("AAPL");
        assertThat(run.failed().get("AAPL")).contains("next_url").contains("not followed")
                .contains(":" + elsewhere.getPort()).doesNotContain("cursor");
        assertThat(run.done()).containsExactly("MSFT");
        // The first page's bar came, but the chain did not end: nothing of AAPL's range counts as answered.
        assertThat(run.bars("AAPL")).hasSize(1);
        assertThat(run.covered()).containsExactly(run.span("MSFT", D1, D4));
        assertThat(elsewhere.getRequestCount()).isZero();
        assertThat(other.arrivals()).isEmpty();
    }

    @Test
    void nextUrlToAnotherHostOrSchemeIsNotFollowedEither() throws Exception {
        polygon.answer("AAPL", Json.json(200, Json.page("AAPL", "OK",
                "https://api.polygon.io/v2/aggs/ticker/AAPL/range/1/day/2024-01-02/2024-01-05?cursor=x",
                Json.bar(D1, 101))));
        polygon.answer("MSFT", Json.json(200, Json.page("MSFT", "OK",
                "https://" + server.getHostName() + ":" + server.getPort() + "/v2/aggs/ticker/MSFT/x?cursor=y",
                Json.bar(D1, 101))));

        Drained run;
        try (PolygonSource source = fast(server).build()) {
            run = Drained.run(source, days("AAPL", "MSFT"));
        }

        assertThat(run.failed()).containsOnlyKeys("AAPL", "MSFT");
        assertThat(run.failed().get("AAPL")).contains("https://api.polygon.io:443").contains("not followed");
        assertThat(run.failed().get("MSFT")).contains("https://").contains("not followed");
        assertThat(run.covered()).isEmpty();
        assertThat(polygon.arrivals()).extracting(ScriptedPolygon.Arrival::route).containsOnly("AAPL", "MSFT");
    }

    @Test
    void aCursorLoopFailsTheTickerInsteadOfFetchingForever() throws Exception {
        polygon.answer("AAPL", Json.json(200, Json.page("AAPL", "OK", next(server, "p2"), Json.bar(D1, 101))));
        polygon.answer("p2", Json.json(200, Json.page("AAPL", "OK", next(server, "p3"), Json.bar(D2, 102))));
        polygon.answer("p3", Json.json(200, Json.page("AAPL", "OK", next(server, "p2"), Json.bar(D3, 103))));

        Drained run;
        try (PolygonSource source = fast(server).build()) {
            run = Drained.run(source, days("AAPL"));
        }

        assertThat(run.done()).isEmpty();
        assertThat(run.failed().get("AAPL")).contains("cursor loop").contains("page 3");
        assertThat(run.bars("AAPL")).hasSize(3);
        assertThat(run.covered()).isEmpty();
        assertThat(polygon.arrivals()).extracting(ScriptedPolygon.Arrival::route).containsExactly("AAPL", "p2", "p3");
    }

    @Test
    void aRetriedNextPageStillCarriesTheKeyInTheHeaderOnly() throws Exception {
        polygon.answer("AAPL", Json.json(200, Json.page("AAPL", "OK", next(server, "p2"), Json.bar(D1, 101))));
        polygon.answer("p2", Json.json(503, "{\"status\":\"ERROR\"}"),
                Json.json(200, Json.page("AAPL", "OK", null, Json.bar(D2, 102))));

        Drained run;
        try (PolygonSource source = fast(server).build()) {
            run = Drained.run(source, days("AAPL"));
        }

        assertThat(run.bars("AAPL")).hasSize(2);
        assertThat(run.progress("AAPL")).containsExactly(run.span("AAPL", D1, D4), run.partitionDone("AAPL"));
        assertThat(polygon.arrivals()).extracting(ScriptedPolygon.Arrival::route).containsExactly("AAPL", "p2", "p2");
        assertThat(polygon.arrivals()).extracting(ScriptedPolygon.Arrival::authorization)
                .containsOnly("Bearer " + KEY);
    }

    @Test
    void aTickerWithTwoRangesIsDoneOnlyAfterBoth() throws Exception {
        polygon.answer("AAPL", Json.ok("AAPL", D1), Json.ok("AAPL", D4));
        SourceRequest gaps = SourceRequest.bounded(Timespan.DAY, true,
                List.of(new TickerRange("AAPL", D1, D1), new TickerRange("AAPL", D4, D4)));

        Drained run;
        try (PolygonSource source = fast(server).build()) {
            run = Drained.run(source, gaps);
        }

        assertThat(polygon.arrivals()).extracting(ScriptedPolygon.Arrival::target).containsExactly(
                "/v2/aggs/ticker/AAPL/range/1/day/2024-01-02/2024-01-02?adjusted=true&sort=asc&limit=50000",
                "/v2/aggs/ticker/AAPL/range/1/day/2024-01-05/2024-01-05?adjusted=true&sort=asc&limit=50000");
        assertThat(run.bars("AAPL")).hasSize(2);
        assertThat(run.done()).containsExactly("AAPL");
        assertThat(run.events().get(run.events().size() - 1)).isEqualTo(run.partitionDone("AAPL"));
        // Each range is covered when its own chain has ended; the days between them were not asked for.
        assertThat(run.progress("AAPL")).containsExactly(run.span("AAPL", D1, D1), run.span("AAPL", D4, D4),
                run.partitionDone("AAPL"));
    }

    @Test
    void aChainThatFailsOnALaterPageCoversNoneOfItsRangeThoughEarlierPagesDeliveredBars() throws Exception {
        polygon.answer("AAPL", Json.json(200, Json.page("AAPL", "OK", next(server, "p2"), Json.bar(D1, 101),
                Json.bar(D2, 102))));
        polygon.answer("p2", Json.json(404, "{\"status\":\"NOT_FOUND\",\"message\":\"cursor expired\"}"));
        polygon.answer("MSFT", Json.ok("MSFT", D1, D2, D3, D4));

        Drained run;
        try (PolygonSource source = fast(server).build()) {
            run = Drained.run(source, days("AAPL", "MSFT"));
        }

        assertThat(run.bars("AAPL")).hasSize(2);
        assertThat(run.failed().get("AAPL")).contains("HTTP 404").contains("cursor expired");
        // D1 and D2 arrived, D3 and D4 may be on the page that failed: no day of the range is answered.
        assertThat(run.progress("AAPL")).singleElement().isInstanceOf(SourceEvent.PartitionFailed.class);
        assertThat(run.progress("MSFT")).containsExactly(run.span("MSFT", D1, D4), run.partitionDone("MSFT"));
    }

    @Test
    void aTickerWhoseSecondRangeFailsIsCoveredForTheFirstRangeOnlyAndFails() throws Exception {
        polygon.answer("AAPL", Json.ok("AAPL", D1), Json.json(404, "{\"status\":\"NOT_FOUND\"}"));
        SourceRequest gaps = SourceRequest.bounded(Timespan.DAY, true,
                List.of(new TickerRange("AAPL", D1, D1), new TickerRange("AAPL", D4, D4)));

        Drained run;
        try (PolygonSource source = fast(server).build()) {
            run = Drained.run(source, gaps);
        }

        assertThat(run.progress("AAPL")).hasSize(2);
        assertThat(run.progress("AAPL").get(0)).isEqualTo(run.span("AAPL", D1, D1));
        assertThat(run.progress("AAPL").get(1)).isInstanceOf(SourceEvent.PartitionFailed.class);
        assertThat(run.failed().get("AAPL")).contains("/v2/aggs/ticker/AAPL/range/1/day/2024-01-05/2024-01-05");
    }
}
