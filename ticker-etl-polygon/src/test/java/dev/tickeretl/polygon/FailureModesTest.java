package dev.tickeretl.polygon;

import static dev.tickeretl.polygon.Fixtures.D1;
import static dev.tickeretl.polygon.Fixtures.D2;
import static dev.tickeretl.polygon.Fixtures.D3;
import static dev.tickeretl.polygon.Fixtures.D4;
import static dev.tickeretl.polygon.Fixtures.KEY;
import static dev.tickeretl.polygon.Fixtures.days;
import static dev.tickeretl.polygon.Fixtures.fast;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.MarketTime;
import dev.tickeretl.Timespan;
import dev.tickeretl.spi.RawBar;
import dev.tickeretl.spi.SourceEvent;
import dev.tickeretl.spi.SourcePartition;
import dev.tickeretl.RequestStats;
import dev.tickeretl.spi.SourceRequest;
import dev.tickeretl.spi.TickerRange;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One test per way the API can misbehave, each asserting what the pipeline (the user of the source) sees. */
class FailureModesTest {

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

    private Drained fetch(PolygonSource.Builder builder, SourceRequest request) throws InterruptedException {
        try (PolygonSource source = builder.build()) {
            Drained drained = Drained.run(source, request);
            stats = source.stats();
            return drained;
        }
    }

    private RequestStats stats;

    private static MockResponse status(int code) {
        return new MockResponse.Builder().code(code).body("").build();
    }

    private static MockResponse truncated() {
        // Content-Length promises the whole page, then the connection closes halfway through it.
        String body = Json.page("AAPL", "OK", null, Json.bar(D1, 101), Json.bar(D2, 102));
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                .body(body.substring(0, body.length() / 2))
                .setHeader("Content-Length", body.length())
                .onResponseEnd(SocketEffect.ShutdownConnection.INSTANCE)
                .build();
    }

    @Test
    void rateLimitedWithRetryAfterSecondsWaitsThatLongThenStores() throws Exception {
        polygon.answer("AAPL", new MockResponse.Builder().code(429).setHeader("Retry-After", "1").build(),
                Json.ok("AAPL", D1, D2, D3, D4));

        Drained run = fetch(fast(server), days("AAPL"));

        assertThat(run.failed()).isEmpty();
        assertThat(run.done()).containsExactly("AAPL");
        assertThat(run.bars("AAPL")).hasSize(4);
        assertThat(run.progress("AAPL")).containsExactly(run.span("AAPL", D1, D4), run.partitionDone("AAPL"));
        List<ScriptedPolygon.Arrival> arrivals = polygon.arrivals("AAPL");
        assertThat(arrivals).hasSize(2);
        assertThat(arrivals.get(1).nanoTime() - arrivals.get(0).nanoTime())
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(950));
        assertThat(stats.rateLimited()).isEqualTo(1);
        assertThat(stats.retries()).isEqualTo(1);
        assertThat(stats.rateLimitWaitMs()).isGreaterThanOrEqualTo(900);
        assertThat(stats.failedRequests()).isZero();
    }

    @Test
    void rateLimitedWithRetryAfterHttpDateWaitsUntilThatDateThenStores() throws Exception {
        polygon.answer("AAPL", () -> new MockResponse.Builder().code(429)
                .setHeader("Retry-After", DateTimeFormatter.RFC_1123_DATE_TIME
                        .format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(2)))
                .build());
        polygon.answer("AAPL", Json.ok("AAPL", D1, D2, D3, D4));

        Drained run = fetch(fast(server), days("AAPL"));

        assertThat(run.done()).containsExactly("AAPL");
        assertThat(run.bars("AAPL")).hasSize(4);
        assertThat(run.progress("AAPL")).containsExactly(run.span("AAPL", D1, D4), run.partitionDone("AAPL"));
        List<ScriptedPolygon.Arrival> arrivals = polygon.arrivals("AAPL");
        assertThat(arrivals).hasSize(2);
        // An HTTP-date has whole seconds: "now + 2 s" truncated is still more than one second away.
        assertThat(arrivals.get(1).nanoTime() - arrivals.get(0).nanoTime())
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(950));
        assertThat(stats.rateLimited()).isEqualTo(1);
    }

    @Test
    void rateLimitedWithoutRetryAfterBacksOffThenStores() throws Exception {
        polygon.answer("AAPL", status(429), status(429), Json.ok("AAPL", D1, D2, D3, D4));

        Drained run = fetch(fast(server), days("AAPL"));

        assertThat(run.failed()).isEmpty();
        assertThat(run.bars("AAPL")).hasSize(4);
        assertThat(polygon.arrivals("AAPL")).hasSize(3);
        assertThat(run.progress("AAPL")).containsExactly(run.span("AAPL", D1, D4), run.partitionDone("AAPL"));
        assertThat(stats.rateLimited()).isEqualTo(2);
        assertThat(stats.retries()).isEqualTo(2);
        assertThat(stats.requests()).isEqualTo(3);
    }

    @Test
    void serverErrorsAreRetriedThenStored() throws Exception {
        polygon.answer("AAPL", status(500), status(502), status(503), Json.ok("AAPL", D1, D2, D3, D4));

        Drained run = fetch(fast(server), days("AAPL"));

        assertThat(run.failed()).isEmpty();
        assertThat(run.done()).containsExactly("AAPL");
        assertThat(run.bars("AAPL")).extracting(RawBar::startMs).containsExactly(
                MarketTime.startOfDayMs(D1), MarketTime.startOfDayMs(D2), MarketTime.startOfDayMs(D3),
                MarketTime.startOfDayMs(D4));
        assertThat(run.progress("AAPL")).containsExactly(run.span("AAPL", D1, D4), run.partitionDone("AAPL"));
        assertThat(stats.retries()).isEqualTo(3);
        assertThat(stats.rateLimited()).isZero();
    }

    @Test
    void slowBodyTimesOutAndTheRetrySucceeds() throws Exception {
        polygon.answer("AAPL", new MockResponse.Builder(Json.ok("AAPL", D1, D2, D3, D4))
                        .bodyDelay(15, TimeUnit.SECONDS).build(),
                Json.ok("AAPL", D1, D2, D3, D4));

        Drained run = fetch(fast(server).requestTimeout(Duration.ofMillis(400)), days("AAPL"));

        assertThat(run.failed()).isEmpty();
        assertThat(run.bars("AAPL")).hasSize(4);
        assertThat(polygon.arrivals("AAPL")).hasSize(2);
        assertThat(run.progress("AAPL")).containsExactly(run.span("AAPL", D1, D4), run.partitionDone("AAPL"));
        // Cut at the request-timeout, not after the slow body finally arrived (the bound is generous: a loaded
        // 2-core machine can hold a thread back for seconds, never for the body's 15).
        assertThat(run.elapsed()).isLessThan(Duration.ofSeconds(8));
    }

    @Test
    void aBodyThatTricklesInIsCutAtTheRequestTimeoutThoughBytesKeepComing() throws Exception {
        // One byte every 50 ms: no read ever waits long, but the whole page would take about 15 s.
        polygon.answer("AAPL", new MockResponse.Builder(Json.ok("AAPL", D1, D2, D3, D4))
                        .throttleBody(1, 50, TimeUnit.MILLISECONDS).build(),
                Json.ok("AAPL", D1, D2, D3, D4));

        Drained run = fetch(fast(server).requestTimeout(Duration.ofMillis(800)), days("AAPL"));

        assertThat(run.failed()).isEmpty();
        assertThat(run.bars("AAPL")).hasSize(4);
        assertThat(polygon.arrivals("AAPL")).hasSize(2);
        assertThat(run.elapsed()).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void truncatedBodyIsRetriedThenStored() throws Exception {
        polygon.answer("AAPL", truncated(), Json.ok("AAPL", D1, D2, D3, D4));

        Drained run = fetch(fast(server), days("AAPL"));

        assertThat(run.failed()).isEmpty();
        assertThat(run.bars("AAPL")).hasSize(4);
        assertThat(polygon.arrivals("AAPL")).hasSize(2);
        assertThat(run.progress("AAPL")).containsExactly(run.span("AAPL", D1, D4), run.partitionDone("AAPL"));
    }

    @Test
    void persistentTruncationFailsTheTickerWithAReasonNeverAnEmptySuccess() throws Exception {
        polygon.answer("AAPL", () -> truncated());

        Drained run = fetch(fast(server).retryBudget(Duration.ofMillis(500)), days("AAPL"));

        assertThat(run.done()).isEmpty();
        assertThat(run.barEvents()).isEmpty();
        assertThat(run.covered()).isEmpty();
        assertThat(run.failed()).containsOnlyKeys("AAPL");
        assertThat(run.failed().get("AAPL")).contains("/v2/aggs/ticker/AAPL/range/1/day/2024-01-02/2024-01-05")
                .contains("gave up after").contains("truncated body");
        assertThat(polygon.arrivals("AAPL").size()).isGreaterThan(1);
        assertThat(stats.failedRequests()).isEqualTo(1);
    }

    @ParameterizedTest(name = "cut {0} characters before the end")
    @ValueSource(ints = {1, 40, 100, 200})
    void truncatedJsonWithACompleteHttpBodyIsRetriedThenFails(int cut) throws Exception {
        String page = Json.page("AAPL", "OK", null, Json.bar(D1, 101), Json.bar(D2, 102));
        polygon.answer("AAPL", Json.json(200, page.substring(0, page.length() - cut)));

        Drained run = fetch(fast(server).retryBudget(Duration.ofMillis(300)), days("AAPL"));

        assertThat(run.barEvents()).isEmpty();
        assertThat(run.covered()).isEmpty();
        assertThat(run.failed().get("AAPL")).contains("truncated body (the JSON ends early)").contains("gave up after");
        assertThat(polygon.arrivals("AAPL").size()).isGreaterThan(1);
    }

    @Test
    void malformedJsonIsRetriedThenFailsTheTicker() throws Exception {
        polygon.answer("AAPL", Json.json(200, "{\"status\": OK, \"results\": []}"));

        Drained run = fetch(fast(server).retryBudget(Duration.ofMillis(300)), days("AAPL"));

        assertThat(run.barEvents()).isEmpty();
        assertThat(run.done()).isEmpty();
        assertThat(run.covered()).isEmpty();
        assertThat(run.failed().get("AAPL")).contains("malformed JSON").contains("gave up after");
        assertThat(polygon.arrivals("AAPL").size()).isGreaterThan(1);
    }

    @Test
    void malformedJsonOnceThenAGoodPageIsStored() throws Exception {
        polygon.answer("AAPL", Json.json(200, "{\"status\":\"OK\",,}"), Json.ok("AAPL", D1, D2, D3, D4));

        Drained run = fetch(fast(server), days("AAPL"));

        assertThat(run.failed()).isEmpty();
        assertThat(run.bars("AAPL")).hasSize(4);
        assertThat(run.progress("AAPL")).containsExactly(run.span("AAPL", D1, D4), run.partitionDone("AAPL"));
    }

    @Test
    void htmlErrorPageWithStatus200IsRetriedNeverTakenForAnEmptyAnswerAndStopsTheRunWhenItPersists()
            throws Exception {
        polygon.answer("AAPL", new MockResponse.Builder().code(200).setHeader("Content-Type", "text/html")
                .body("<html><body><h1>Service temporarily unavailable</h1></body></html>").build());

        Drained run = fetch(fast(server).retryBudget(Duration.ofSeconds(30)), days("AAPL"));

        assertThat(run.done()).isEmpty();
        assertThat(run.covered()).isEmpty();
        assertThat(run.barEvents()).isEmpty();
        assertThat(run.failure()).isNotNull();
        assertThat(run.failure().getMessage()).contains("HTML page instead of JSON")
                .contains("does not answer like the Polygon API");
        // Retried, but only until the breaker saw enough: not for the whole 30 s budget.
        assertThat(polygon.arrivals("AAPL")).hasSize(AggregatesClient.BREAKER_THRESHOLD);
        assertThat(run.elapsed()).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void htmlGatewayPageIsRetriedThenTheGoodPageIsStored() throws Exception {
        polygon.answer("AAPL", new MockResponse.Builder().code(502).setHeader("Content-Type", "text/html")
                        .body("<html><body>502 Bad Gateway</body></html>").build(),
                Json.ok("AAPL", D1, D2, D3, D4));

        Drained run = fetch(fast(server), days("AAPL"));

        assertThat(run.failed()).isEmpty();
        assertThat(run.bars("AAPL")).hasSize(4);
        assertThat(run.progress("AAPL")).containsExactly(run.span("AAPL", D1, D4), run.partitionDone("AAPL"));
    }

    @Test
    void statusErrorBodyFailsTheTickerWithTheServersMessage() throws Exception {
        polygon.answer("AAPL", Json.json(200, "{\"status\":\"ERROR\",\"request_id\":\"r1\","
                + "\"error\":\"Could not parse the time parameter: 'from'\"}"));
        polygon.answer("MSFT", Json.ok("MSFT", D1, D2, D3, D4));

        Drained run = fetch(fast(server), days("AAPL", "MSFT"));

        assertThat(run.failed()).containsOnlyKeys("AAPL");
        assertThat(run.failed().get("AAPL")).contains("status ERROR").contains("Could not parse the time parameter");
        assertThat(run.done()).containsExactly("MSFT");
        assertThat(run.covered()).containsExactly(run.span("MSFT", D1, D4));
        assertThat(polygon.arrivals("AAPL")).hasSize(1);
    }

    @Test
    void unauthorizedFailsTheWholeRunAtOnceAndSendsNothingMore() throws Exception {
        polygon.answer("AAPL", Json.json(401, "{\"status\":\"ERROR\",\"error\":\"Unknown API Key\"}"));
        polygon.answer("MSFT", Json.ok("MSFT", D1));
        polygon.answer("NVDA", Json.ok("NVDA", D1));

        Drained run = fetch(fast(server).concurrency(1), days("AAPL", "MSFT", "NVDA"));

        assertThat(run.failure()).isNotNull();
        assertThat(run.failure().getMessage()).contains("HTTP 401").contains("POLYGON_API_KEY")
                .contains("MASSIVE_API_KEY").doesNotContain(KEY);
        assertThat(run.done()).isEmpty();
        assertThat(run.covered()).isEmpty();
        Thread.sleep(200);
        assertThat(polygon.arrivals()).hasSize(1);
        assertThat(stats.retries()).isZero();
        assertThat(stats.failedRequests()).isEqualTo(1);
    }

    @Test
    void forbiddenFailsTheWholeRunAtOnceAndSendsNothingMore() throws Exception {
        polygon.answer("AAPL", Json.json(403, "{\"status\":\"NOT_AUTHORIZED\","
                + "\"message\":\"You are not entitled to this data. Please upgrade your plan.\"}"));

        Drained run = fetch(fast(server).concurrency(1), days("AAPL", "MSFT", "NVDA"));

        assertThat(run.failure()).isNotNull();
        assertThat(run.failure().getMessage()).contains("HTTP 403").contains("not entitled").doesNotContain(KEY);
        Thread.sleep(200);
        assertThat(polygon.arrivals()).hasSize(1);
    }

    @Test
    void notAuthorizedBodyWithStatus200FailsTheRunLike403() throws Exception {
        polygon.answer("AAPL", Json.json(200, "{\"status\":\"NOT_AUTHORIZED\",\"request_id\":\"r2\","
                + "\"message\":\"Your plan doesn't include this data timeframe.\"}"));

        Drained run = fetch(fast(server).concurrency(1), days("AAPL", "MSFT"));

        assertThat(run.failure()).isNotNull();
        assertThat(run.failure().getMessage()).contains("NOT_AUTHORIZED").contains("data timeframe");
        assertThat(polygon.arrivals()).hasSize(1);
    }

    @Test
    void notFoundFailsOnlyThatTickerAndTheOthersAreStored() throws Exception {
        polygon.answer("ZZZZ", Json.json(404, "{\"status\":\"NOT_FOUND\",\"message\":\"Ticker not found\"}"));
        polygon.answer("MSFT", Json.ok("MSFT", D1, D2, D3, D4));
        polygon.answer("NVDA", Json.ok("NVDA", D1, D2, D3, D4));

        Drained run = fetch(fast(server), days("ZZZZ", "MSFT", "NVDA"));

        assertThat(run.failure()).isNull();
        assertThat(run.failed()).containsOnlyKeys("ZZZZ");
        assertThat(run.failed().get("ZZZZ")).contains("HTTP 404 Not Found")
                .contains("/v2/aggs/ticker/ZZZZ/range/1/day/").contains("Ticker not found");
        assertThat(run.done()).containsExactlyInAnyOrder("MSFT", "NVDA");
        assertThat(run.covered("ZZZZ")).isEmpty();
        assertThat(run.progress("MSFT")).containsExactly(run.span("MSFT", D1, D4), run.partitionDone("MSFT"));
        assertThat(run.bars("MSFT")).hasSize(4);
        assertThat(polygon.arrivals("ZZZZ")).hasSize(1);
    }

    @Test
    void badRequestFailsOnlyThatTickerWithoutRetrying() throws Exception {
        polygon.answer("AAPL", Json.json(400, "{\"status\":\"ERROR\",\"error\":\"limit is out of range\"}"));
        polygon.answer("MSFT", Json.ok("MSFT", D1, D2, D3, D4));

        Drained run = fetch(fast(server), days("AAPL", "MSFT"));

        assertThat(run.failed()).containsOnlyKeys("AAPL");
        assertThat(run.failed().get("AAPL")).contains("HTTP 400 Bad Request").contains("limit is out of range");
        assertThat(run.done()).containsExactly("MSFT");
        assertThat(run.covered()).containsExactly(run.span("MSFT", D1, D4));
        assertThat(polygon.arrivals("AAPL")).hasSize(1);
    }

    @Test
    void delayedStatusDeliversTheBarsWithAWarning() throws Exception {
        polygon.answer("AAPL", Json.json(200, Json.page("AAPL", "DELAYED", null, Json.bar(D1, 101),
                Json.bar(D2, 102))));

        Drained run = fetch(fast(server), days("AAPL"));

        assertThat(run.bars("AAPL")).hasSize(2);
        assertThat(run.done()).containsExactly("AAPL");
        // Answered all the same: the core re-asks an answer given before the session settled.
        assertThat(run.progress("AAPL")).containsExactly(run.span("AAPL", D1, D4), run.partitionDone("AAPL"));
        assertThat(run.warnings()).singleElement().satisfies(w -> {
            assertThat(w.ticker()).isEqualTo("AAPL");
            assertThat(w.message()).contains("DELAYED");
        });
    }

    @Test
    void zeroResultsCountWithoutResultsIsAnEmptySuccess() throws Exception {
        polygon.answer("AAPL", Json.json(200, "{\"ticker\":\"AAPL\",\"queryCount\":0,\"resultsCount\":0,"
                + "\"adjusted\":true,\"status\":\"OK\",\"request_id\":\"r3\"}"));

        Drained run = fetch(fast(server), days("AAPL"));

        assertThat(run.failed()).isEmpty();
        assertThat(run.barEvents()).isEmpty();
        assertThat(run.done()).containsExactly("AAPL");
        // "No bars" is an answer: these days are covered, so an incremental run does not ask for them again.
        assertThat(run.progress("AAPL")).containsExactly(run.span("AAPL", D1, D4), run.partitionDone("AAPL"));
        assertThat(polygon.arrivals("AAPL")).hasSize(1);
    }

    @Test
    void okWithoutResultsOrCountIsNotTakenForAnEmptySuccess() throws Exception {
        polygon.answer("AAPL", Json.json(200, "{\"status\":\"OK\",\"request_id\":\"r4\"}"));

        Drained run = fetch(fast(server).retryBudget(Duration.ofMillis(300)), days("AAPL"));

        assertThat(run.done()).isEmpty();
        assertThat(run.covered()).isEmpty();
        assertThat(run.failed().get("AAPL")).contains("without results").contains("gave up after");
    }

    @Test
    void barMissingARequiredFieldIsReportedInvalidAndTheRestAreStored() throws Exception {
        String noClose = "{\"h\":11,\"l\":9,\"o\":10,\"t\":" + MarketTime.startOfDayMs(D2) + ",\"v\":1000}";
        polygon.answer("AAPL", Json.json(200, Json.page("AAPL", "OK", null, Json.bar(D1, 101), noClose,
                Json.bar(D3, 103))));

        Drained run = fetch(fast(server), days("AAPL"));

        assertThat(run.bars("AAPL")).extracting(RawBar::startMs)
                .containsExactly(MarketTime.startOfDayMs(D1), MarketTime.startOfDayMs(D3));
        assertThat(run.invalid()).singleElement().satisfies(i -> {
            assertThat(i.ticker()).isEqualTo("AAPL");
            assertThat(i.reason()).contains("t=" + MarketTime.startOfDayMs(D2)).contains("lacks").contains("c");
        });
        assertThat(run.done()).containsExactly("AAPL");
        assertThat(run.failed()).isEmpty();
        // D2 has a bar upstream that could not be delivered: the range must not count as answered, or an
        // incremental run would take D2 for a day without a bar and never ask for it again.
        assertThat(run.progress("AAPL")).containsExactly(run.partitionDone("AAPL"));
    }

    @Test
    void fractionalVolumeAndAbsentOptionalFieldsAreAcceptedAsTheyCame() throws Exception {
        String lean = "{\"c\":10.5,\"h\":11,\"l\":9.25,\"o\":10,\"t\":" + MarketTime.startOfDayMs(D1)
                + ",\"v\":1234.5}";
        polygon.answer("AAPL", Json.json(200, Json.page("AAPL", "OK", null, lean)));
        SourceRequest unadjusted = SourceRequest.bounded(Timespan.DAY, false, List.of(new TickerRange("AAPL", D1, D4)));

        Drained run = fetch(fast(server), unadjusted);

        assertThat(run.bars("AAPL")).containsExactly(new RawBar("AAPL", Timespan.DAY, MarketTime.startOfDayMs(D1),
                10, 11, 9.25, 10.5, 1234.5, null, null, false));
        assertThat(polygon.arrivals("AAPL").get(0).target()).contains("adjusted=false").contains("sort=asc")
                .contains("limit=50000");
        assertThat(run.progress("AAPL")).containsExactly(new SourceEvent.Covered(
                new SourcePartition("AAPL", Timespan.DAY, false), D1, D4), run.partitionDone("AAPL"));
    }

    @Test
    void retryBudgetExhaustedFailsTheTickerNamingTheStatus() throws Exception {
        polygon.answer("AAPL", status(503));
        polygon.answer("MSFT", Json.ok("MSFT", D1, D2, D3, D4));

        Drained run = fetch(fast(server).retryBudget(Duration.ofMillis(400)), days("AAPL", "MSFT"));

        assertThat(run.failed()).containsOnlyKeys("AAPL");
        assertThat(run.failed().get("AAPL")).contains("HTTP 503 Service Unavailable")
                .contains("retry budget PT0.4S").contains("gave up after");
        assertThat(run.done()).containsExactly("MSFT");
        assertThat(run.covered()).containsExactly(run.span("MSFT", D1, D4));
        assertThat(polygon.arrivals("AAPL").size()).isGreaterThan(2);
        assertThat(stats.failedRequests()).isEqualTo(1);
    }

    @Test
    void retryAfterBeyondTheBudgetFailsAtOnceInsteadOfRetryingEarly() throws Exception {
        polygon.answer("AAPL", new MockResponse.Builder().code(429).setHeader("Retry-After", "3600").build());

        Drained run = fetch(fast(server).retryBudget(Duration.ofSeconds(5)), days("AAPL"));

        assertThat(run.failed().get("AAPL")).contains("HTTP 429 Too Many Requests").contains("Retry-After")
                .contains("3600");
        assertThat(run.covered()).isEmpty();
        assertThat(polygon.arrivals("AAPL")).hasSize(1);
        assertThat(run.elapsed()).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void retryingEndsWithinTheBudgetWhenTheRateLimitWouldHoldTheNextAttemptLonger() throws Exception {
        polygon.answer("AAPL", status(503));

        // One request per 8 s: the retry of the first 503 could only go 8 s later, far past the 1 s budget.
        Drained run = fetch(fast(server).concurrency(1).rateLimit(1, Duration.ofSeconds(8))
                .retryBudget(Duration.ofSeconds(1)).requestTimeout(Duration.ofSeconds(1)), days("AAPL"));

        assertThat(run.failed().get("AAPL")).contains("HTTP 503").contains("gave up after 1 attempt")
                .contains("past the retry budget PT1S");
        assertThat(polygon.arrivals("AAPL")).hasSize(1);
        // The documented bound: the budget plus one request-timeout (plus slack for a busy machine).
        assertThat(run.elapsed()).isLessThan(Duration.ofSeconds(1 + 1 + 1));
    }

    @Test
    void anotherTickersHoldOffDoesNotStretchARequestsRetryingPastItsBudget() throws Exception {
        // MSFT's 503 comes first; then AAPL's 429 asks everyone to wait 5 s, beyond MSFT's 1 s budget.
        polygon.answer("MSFT", new MockResponse.Builder().code(503).build());
        polygon.answer("AAPL", new MockResponse.Builder().code(429).setHeader("Retry-After", "5")
                .headersDelay(100, TimeUnit.MILLISECONDS).build(), Json.ok("AAPL", D1));

        Drained run = fetch(fast(server).concurrency(2).backoff(Duration.ofMillis(300), Duration.ofMillis(300))
                .retryBudget(Duration.ofSeconds(1)).requestTimeout(Duration.ofSeconds(1)), days("MSFT", "AAPL"));

        assertThat(run.failed()).containsOnlyKeys("AAPL", "MSFT");
        assertThat(run.failed().get("MSFT")).contains("HTTP 503").contains("past the retry budget PT1S");
        // AAPL's own Retry-After (5 s) is beyond its 1 s budget too: it gives up at once, as before.
        assertThat(run.failed().get("AAPL")).contains("Retry-After");
        assertThat(run.elapsed()).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aZeroRetryBudgetMeansOneAttempt() throws Exception {
        polygon.answer("AAPL", status(503), Json.ok("AAPL", D1));

        Drained run = fetch(fast(server).retryBudget(Duration.ZERO), days("AAPL"));

        assertThat(run.failed().get("AAPL")).contains("HTTP 503").contains("gave up after 1 attempt ");
        assertThat(run.covered()).isEmpty();
        assertThat(polygon.arrivals("AAPL")).hasSize(1);
    }

    @Test
    void gzippedPagesAreDecoded() throws Exception {
        java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(zipped)) {
            gzip.write(Json.page("AAPL", "OK", null, Json.bar(D1, 101), Json.bar(D2, 102))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        polygon.answer("AAPL", new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                .setHeader("Content-Encoding", "gzip").body(new okio.Buffer().write(zipped.toByteArray())).build());

        Drained run = fetch(fast(server), days("AAPL"));

        assertThat(run.bars("AAPL")).hasSize(2);
        assertThat(run.failed()).isEmpty();
        assertThat(run.progress("AAPL")).containsExactly(run.span("AAPL", D1, D4), run.partitionDone("AAPL"));
    }
}
