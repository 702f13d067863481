package dev.tickeretl.polygon;

import static dev.tickeretl.polygon.Fixtures.D1;
import static dev.tickeretl.polygon.Fixtures.D2;
import static dev.tickeretl.polygon.Fixtures.D3;
import static dev.tickeretl.polygon.Fixtures.D4;
import static dev.tickeretl.polygon.Fixtures.days;
import static dev.tickeretl.polygon.Fixtures.fast;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client-side limit and the shared hold-off after a 429, across concurrent workers. */
class RateLimitTest {

    private static final List<String> SIX = List.of("AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "META");

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

    @Test
    void clientLimitKeepsEveryRollingWindowWithinItsCount() throws Exception {
        for (String ticker : SIX) {
            polygon.answer(ticker, Json.ok(ticker, D1, D2, D3, D4));
        }

        Drained run;
        long waitedMs;
        try (PolygonSource source = fast(server).concurrency(4).rateLimit(2, Duration.ofMillis(500)).build()) {
            run = Drained.run(source, days(SIX.toArray(String[]::new)));
            waitedMs = source.stats().rateLimitWaitMs();
        }

        assertThat(run.done()).containsExactlyInAnyOrderElementsOf(SIX);
        // 6 requests at 2 per 0.5 s: the 5th and 6th cannot start before 1.0 s.
        assertThat(run.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
        List<ScriptedPolygon.Arrival> arrivals = polygon.arrivals();
        assertThat(arrivals).hasSize(6);
        for (int i = 2; i < arrivals.size(); i++) {
            // Request i and request i-2 never start within one window; arrivals get slack for request latency
            // on a busy machine (without the limit they would arrive together).
            assertThat(arrivals.get(i).nanoTime() - arrivals.get(i - 2).nanoTime())
                    .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(400));
        }
        assertThat(waitedMs).isGreaterThan(0);
    }

    @Test
    void maxRequestsPerMinuteAllowsABurstUpToItsCount() throws Exception {
        for (String ticker : SIX.subList(0, 5)) {
            polygon.answer(ticker, Json.ok(ticker, D1));
        }

        Drained run;
        try (PolygonSource source = fast(server).concurrency(4).maxRequestsPerMinute(5).build()) {
            run = Drained.run(source, days(SIX.subList(0, 5).toArray(String[]::new)));
        }

        // The free plan's 5 per minute: five requests need no wait at all (spread evenly they would take 48 s).
        assertThat(run.done()).hasSize(5);
        assertThat(run.elapsed()).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void one429HoldsOffEveryWorkerUntilItsRetryAfter() throws Exception {
        polygon.answer("AAPL", new MockResponse.Builder().code(429).setHeader("Retry-After", "1").build(),
                Json.ok("AAPL", D1));
        // The others fail slowly enough that their retries come after the 429 was seen.
        for (String ticker : List.of("MSFT", "NVDA")) {
            polygon.answer(ticker, new MockResponse.Builder().code(503).headersDelay(200, TimeUnit.MILLISECONDS)
                    .build(), Json.ok(ticker, D1));
        }

        Drained run;
        try (PolygonSource source = fast(server).concurrency(3).build()) {
            run = Drained.run(source, days("AAPL", "MSFT", "NVDA"));
        }

        assertThat(run.done()).containsExactlyInAnyOrder("AAPL", "MSFT", "NVDA");
        long rateLimitedAt = polygon.arrivals("AAPL").get(0).nanoTime();
        for (String ticker : List.of("MSFT", "NVDA")) {
            List<ScriptedPolygon.Arrival> arrivals = polygon.arrivals(ticker);
            assertThat(arrivals).hasSize(2);
            // Without the shared hold-off these retries would come ~0.2 s in, after a 10 ms backoff.
            assertThat(arrivals.get(1).nanoTime() - rateLimitedAt)
                    .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(950));
        }
    }
}
