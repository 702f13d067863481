package dev.tickeretl.polygon;

import static dev.tickeretl.polygon.Fixtures.D1;
import static dev.tickeretl.polygon.Fixtures.D2;
import static dev.tickeretl.polygon.Fixtures.D3;
import static dev.tickeretl.polygon.Fixtures.D4;
import static dev.tickeretl.polygon.Fixtures.KEY;
import static dev.tickeretl.polygon.Fixtures.days;
import static dev.tickeretl.polygon.Fixtures.fast;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickeretl.RequestStats;
import dev.tickeretl.Timespan;
import dev.tickeretl.spi.Metrics;
import dev.tickeretl.spi.TickerRange;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: the REST client reports the upstream metrics of {@link Metrics} through the observer it is given, per
 * attempt, with bounded tag values only.
 */
class RequestMetricsTest {

    private static final String RANGE = "aggs_range";
    private static final String GROUPED = "grouped_daily";

    private final MockWebServer server = new MockWebServer();
    private final ScriptedPolygon polygon = new ScriptedPolygon();
    private final RecordingObserver observer = new RecordingObserver();
    private RequestStats stats;

    @BeforeEach
    void start() throws Exception {
        server.setDispatcher(polygon);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Drained fetch(PolygonSource.Builder builder, dev.tickeretl.spi.SourceRequest request)
            throws InterruptedException {
        try (PolygonSource source = builder.observer(observer).build()) {
            Drained run = Drained.run(source, request);
            stats = source.stats();
            return run;
        }
    }

    private long requests(String endpoint, String status) {
        return observer.total(Metrics.REQUESTS, Metrics.ENDPOINT, endpoint, Metrics.HTTP_STATUS, status);
    }

    private long retries(String endpoint, String reason) {
        return observer.total(Metrics.REQUEST_RETRIES, Metrics.ENDPOINT, endpoint, Metrics.REASON, reason);
    }

    private List<Duration> durations(String endpoint) {
        return observer.times(Metrics.REQUEST_DURATION, Metrics.ENDPOINT, endpoint);
    }

    private List<Duration> waits(String cause) {
        return observer.times(Metrics.RATE_LIMIT_WAIT, Metrics.CAUSE, cause);
    }

    private List<Double> breaker() {
        return observer.gauges(Metrics.BREAKER_STATE, Metrics.BREAKER, "polygon");
    }

    private static Duration sum(List<Duration> durations) {
        return durations.stream().reduce(Duration.ZERO, Duration::plus);
    }

    private static MockResponse status(int code) {
        return new MockResponse.Builder().code(code).body("").build();
    }

    private static MockResponse html() {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "text/html")
                .body("<!doctype html><html><body>Welcome to nginx!</body></html>").build();
    }

    @Test
    void everyAnswerIsCountedByEndpointFamilyAndStatusAndTimedFromSendToWholeBody() throws Exception {
        polygon.answer("AAPL", new MockResponse.Builder(Json.ok("AAPL", D1, D2))
                .bodyDelay(300, TimeUnit.MILLISECONDS).build());
        String next = Fixtures.base(server) + "/v2/aggs/ticker/MSFT/range/1/day/x?cursor=p2";
        polygon.answer("MSFT", Json.json(200, Json.page("MSFT", "OK", next, Json.bar(D1, 101))));
        polygon.answer("p2", Json.json(200, Json.page("MSFT", "OK", null, Json.bar(D2, 102))));

        Drained run = fetch(fast(server), days("AAPL", "MSFT"));

        assertThat(run.done()).containsExactlyInAnyOrder("AAPL", "MSFT");
        // Three exchanges: AAPL's page and both of MSFT's pages (a next_url page is the same endpoint family).
        assertThat(requests(RANGE, "200")).isEqualTo(3);
        assertThat(observer.of(Metrics.REQUESTS)).hasSize(3);
        assertThat(durations(RANGE)).hasSize(3)
                .anySatisfy(d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ofMillis(290)));
        assertThat(observer.of(Metrics.REQUEST_RETRIES)).isEmpty();
        assertThat(observer.of(Metrics.RATE_LIMIT_WAIT)).isEmpty();
    }

    @Test
    void groupedDailyRequestsAreCountedUnderTheirOwnEndpointFamily() throws Exception {
        for (var date : List.of(D1, D2, D3, D4)) {
            polygon.answer(date.toString(), Json.json(200, Json.grouped(Json.groupedBar("AAPL", date, 101),
                    Json.groupedBar("MSFT", date, 201))));
        }

        Drained run = fetch(fast(server).plan(PolygonSource.Plan.GROUPED), days("AAPL", "MSFT"));

        assertThat(run.done()).containsExactlyInAnyOrder("AAPL", "MSFT");
        assertThat(requests(GROUPED, "200")).isEqualTo(4);
        assertThat(requests(RANGE, "200")).isZero();
        assertThat(durations(GROUPED)).hasSize(4);
    }

    @Test
    void a429WithRetryAfterIsCountedAsA429ThenOneRateLimitedRetryAndItsWaitAsServerCaused() throws Exception {
        polygon.answer("AAPL", new MockResponse.Builder().code(429).setHeader("Retry-After", "1").build(),
                Json.ok("AAPL", D1, D2, D3, D4));

        Drained run = fetch(fast(server), days("AAPL"));

        assertThat(run.done()).containsExactly("AAPL");
        assertThat(requests(RANGE, "429")).isEqualTo(1);
        assertThat(requests(RANGE, "200")).isEqualTo(1);
        assertThat(retries(RANGE, "rate_limited")).isEqualTo(1).isEqualTo(stats.retries());
        assertThat(observer.of(Metrics.REQUEST_RETRIES)).hasSize(1);
        // Retry-After: 1, jittered by ±25 %, and the shared hold-off covers the rest of the second.
        assertThat(sum(waits("server"))).isGreaterThanOrEqualTo(Duration.ofMillis(900))
                .isLessThanOrEqualTo(Duration.ofMillis(stats.rateLimitWaitMs() + 1));
        assertThat(waits("client")).isEmpty();
    }

    @Test
    void aServerErrorThenSuccessCountsBothAnswersAndOneServerErrorRetryButNoRateLimitWait() throws Exception {
        polygon.answer("AAPL", status(500), Json.ok("AAPL", D1, D2, D3, D4));

        Drained run = fetch(fast(server), days("AAPL"));

        assertThat(run.done()).containsExactly("AAPL");
        assertThat(requests(RANGE, "500")).isEqualTo(1);
        assertThat(requests(RANGE, "200")).isEqualTo(1);
        assertThat(durations(RANGE)).hasSize(2);
        assertThat(retries(RANGE, "server_error")).isEqualTo(1).isEqualTo(stats.retries());
        assertThat(observer.of(Metrics.REQUEST_RETRIES)).hasSize(1);
        assertThat(observer.of(Metrics.RATE_LIMIT_WAIT)).isEmpty();
        assertThat(breaker()).containsExactly(Metrics.BREAKER_CLOSED);
    }

    @Test
    void a503WithRetryAfterIsAServerErrorRetryWhoseWaitCountsAsServerCaused() throws Exception {
        polygon.answer("AAPL", new MockResponse.Builder().code(503).setHeader("Retry-After", "1").build(),
                Json.ok("AAPL", D1, D2, D3, D4));

        Drained run = fetch(fast(server), days("AAPL"));

        assertThat(run.done()).containsExactly("AAPL");
        assertThat(requests(RANGE, "503")).isEqualTo(1);
        assertThat(retries(RANGE, "server_error")).isEqualTo(1);
        // Retry-After: 1 with ±25 % jitter; not a 429, so RequestStats does not count it as a rate-limit wait.
        assertThat(waits("server")).singleElement()
                .satisfies(d -> assertThat(d).isBetween(Duration.ofMillis(740), Duration.ofMillis(1260)));
        assertThat(stats.rateLimited()).isZero();
    }

    @Test
    void anAnswerCutAtTheTimeoutOrTruncatedIsCountedAsTimeoutOrIoErrorWithItsRetryReason() throws Exception {
        polygon.answer("AAPL", new MockResponse.Builder(Json.ok("AAPL", D1, D2, D3, D4))
                .bodyDelay(3, TimeUnit.SECONDS).build(), Json.ok("AAPL", D1, D2, D3, D4));
        String page = Json.page("MSFT", "OK", null, Json.bar(D1, 101), Json.bar(D2, 102));
        polygon.answer("MSFT", new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                .body(page.substring(0, page.length() / 2)).setHeader("Content-Length", page.length())
                .onResponseEnd(SocketEffect.ShutdownConnection.INSTANCE).build(), Json.ok("MSFT", D1, D2));

        Drained run = fetch(fast(server).requestTimeout(Duration.ofMillis(400)), days("AAPL", "MSFT"));

        assertThat(run.done()).containsExactlyInAnyOrder("AAPL", "MSFT");
        assertThat(requests(RANGE, "timeout")).isEqualTo(1);
        assertThat(requests(RANGE, "io_error")).isEqualTo(1);
        assertThat(requests(RANGE, "200")).isEqualTo(2);
        assertThat(retries(RANGE, "timeout")).isEqualTo(1);
        assertThat(retries(RANGE, "truncated")).isEqualTo(1);
        // The cut attempt is timed too, up to the cut.
        assertThat(durations(RANGE)).hasSize(4)
                .anySatisfy(d -> assertThat(d).isBetween(Duration.ofMillis(390), Duration.ofMillis(2500)));
    }

    @Test
    void waitsForTheClientSideLimitAreRecordedAsClientCaused() throws Exception {
        for (String ticker : List.of("AAPL", "MSFT", "NVDA")) {
            polygon.answer(ticker, Json.ok(ticker, D1));
        }

        Drained run = fetch(fast(server).concurrency(3).rateLimit(1, Duration.ofMillis(400)),
                days("AAPL", "MSFT", "NVDA"));

        assertThat(run.done()).hasSize(3);
        // One slot, free 400 ms after each answer: the second request waits ~0.4 s, the third ~0.8 s.
        assertThat(waits("client")).hasSize(2);
        assertThat(sum(waits("client"))).isGreaterThanOrEqualTo(Duration.ofMillis(700));
        assertThat(waits("server")).isEmpty();
        assertThat(observer.of(Metrics.REQUEST_RETRIES)).isEmpty();
    }

    @Test
    void refusedConnectionsAreCountedAsIoErrorsAndTheBreakerTheyOpenIsReportedOpen() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }

        Drained run = fetch(fast(server).baseUrl("http://127.0.0.1:" + port).concurrency(1), days("AAPL"));

        assertThat(run.failure()).isNotNull();
        // Three attempts without an answer open the breaker; the two between them were retries.
        assertThat(requests(RANGE, "io_error")).isEqualTo(AggregatesClient.BREAKER_THRESHOLD);
        assertThat(retries(RANGE, "connection")).isEqualTo(AggregatesClient.BREAKER_THRESHOLD - 1);
        assertThat(breaker()).containsExactly(Metrics.BREAKER_CLOSED, Metrics.BREAKER_OPEN);
    }

    @Test
    void aWrongUpstreamOpensTheBreakerReportedAsTwoThenHalfOpenAndClosedWhenItAnswersRightAgain()
            throws Exception {
        polygon.answer("AAPL", html(), html(), html(), Json.ok("AAPL", D1));
        Settings settings;
        try (PolygonSource source = fast(server).build()) {
            settings = source.settings();
        }
        TickerRange range = new TickerRange("AAPL", D1, D1);
        PageParser.Target target = PageParser.Target.ticker("AAPL", Timespan.DAY, true);

        try (AggregatesClient client = new AggregatesClient(settings, new Counters(), observer,
                Duration.ofMillis(300))) {
            assertThatThrownBy(() -> client.fetchPage(client.tickerUri(range, Timespan.DAY, true), target))
                    .isInstanceOfSatisfying(FetchFailure.class, f -> assertThat(f.runWide()).isTrue());
            assertThat(breaker()).containsExactly(Metrics.BREAKER_CLOSED, Metrics.BREAKER_OPEN);

            Thread.sleep(400); // past the breaker's delay: the next attempt goes through, half-open
            PageParser.Page page = client.fetchPage(client.tickerUri(range, Timespan.DAY, true), target);

            assertThat(page.bars()).hasSize(1);
        }
        assertThat(breaker()).containsExactly(Metrics.BREAKER_CLOSED, Metrics.BREAKER_OPEN,
                Metrics.BREAKER_HALF_OPEN, Metrics.BREAKER_CLOSED);
        assertThat(requests(RANGE, "200")).isEqualTo(4);
        assertThat(retries(RANGE, "malformed")).isEqualTo(2);
    }

    @Test
    void everyTagIsADefinedKeyWithABoundedValueAndNeverTheKeyATickerOrAPath() throws Exception {
        String next = Fixtures.base(server) + "/v2/aggs/ticker/AAPL/range/1/day/x?cursor=p2&apiKey=" + KEY;
        polygon.answer("AAPL", new MockResponse.Builder().code(429).build(), status(503), html(),
                Json.json(200, Json.page("AAPL", "OK", next, Json.bar(D1, 101))));
        polygon.answer("p2", Json.json(200, Json.page("AAPL", "OK", null, Json.bar(D2, 102))));
        polygon.answer("MSFT", status(404));
        polygon.answer("NVDA", status(401));

        fetch(fast(server).concurrency(1).rateLimit(5, Duration.ofMillis(100)), days("AAPL", "MSFT", "NVDA"));

        List<RecordingObserver.Call> calls = observer.calls();
        assertThat(calls).extracting(RecordingObserver.Call::name).contains(Metrics.REQUESTS,
                Metrics.REQUEST_DURATION, Metrics.REQUEST_RETRIES, Metrics.RATE_LIMIT_WAIT, Metrics.BREAKER_STATE);
        Set<String> bounded = Set.of(RANGE, GROUPED, "timeout", "io_error", "rate_limited", "server_error",
                "connection", "truncated", "malformed", "server", "client", "polygon");
        for (RecordingObserver.Call call : calls) {
            Metrics.Definition definition = Metrics.definition(call.name()).orElseThrow();
            List<String> tags = call.tags();
            assertThat(tags).hasSize(2 * definition.tags().size());
            for (int i = 0; i < tags.size(); i += 2) {
                assertThat(tags.get(i)).as(call.toString()).isEqualTo(definition.tags().get(i / 2));
                String value = tags.get(i + 1);
                assertThat(bounded.contains(value) || value.matches("[1-5][0-9][0-9]")).as(call.toString()).isTrue();
                assertThat(value).doesNotContain(KEY).doesNotContain("AAPL").doesNotContain("/");
            }
        }
        assertThat(requests(RANGE, "404")).isEqualTo(1);
        assertThat(requests(RANGE, "401")).isEqualTo(1);
    }
}
