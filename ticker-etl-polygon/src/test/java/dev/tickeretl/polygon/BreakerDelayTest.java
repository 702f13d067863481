package dev.tickeretl.polygon;

import static dev.tickeretl.polygon.Fixtures.D1;
import static dev.tickeretl.polygon.Fixtures.fast;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickeretl.Timespan;
import dev.tickeretl.spi.Metrics;
import dev.tickeretl.spi.TickerRange;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The REST client's circuit breaker with a delay short enough to half-open again, as a stream's gap repairs use it:
 * while it is open, requests are refused before they take anything from the rate limit, so the request let through
 * after the delay finds its slot free.
 */
@Timeout(60)
class BreakerDelayTest {

    private final MockWebServer server = new MockWebServer();
    private final ScriptedPolygon polygon = new ScriptedPolygon();
    private final RecordingObserver observer = new RecordingObserver();

    @BeforeEach
    void start() throws Exception {
        server.setDispatcher(polygon);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static MockResponse html() {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "text/html")
                .body("<!doctype html><html><body>Welcome to nginx!</body></html>").build();
    }

    @Test
    void anOpenBreakerRefusesRequestsWithoutSpendingTheRateLimitSoTheRequestAfterTheDelayGoesAtOnce()
            throws Exception {
        polygon.answer("AAPL", html(), html(), html(), Json.ok("AAPL", D1));
        // Four requests per 10 s: the three wrong answers use three slots, each blocked for a window after its use.
        Settings settings;
        try (PolygonSource source = fast(server).rateLimit(4, Duration.ofSeconds(10)).build()) {
            settings = source.settings();
        }
        TickerRange range = new TickerRange("AAPL", D1, D1);
        PageParser.Target target = PageParser.Target.ticker("AAPL", Timespan.DAY, true);

        try (AggregatesClient client = new AggregatesClient(settings, new Counters(), observer,
                Duration.ofMillis(500))) {
            assertThatThrownBy(() -> client.fetchPage(client.tickerUri(range, Timespan.DAY, true), target))
                    .isInstanceOfSatisfying(FetchFailure.class, f -> assertThat(f.breakerOpen()).isTrue());
            // Open: refused at once, and said to be the breaker's doing (a stream waits and retries such a refusal).
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> client.fetchPage(client.tickerUri(range, Timespan.DAY, true), target))
                        .isInstanceOfSatisfying(FetchFailure.class, f -> assertThat(f.breakerOpen()).isTrue());
            }
            assertThat(client.breakerClosed()).isFalse();
            assertThat(polygon.arrivals()).hasSize(AggregatesClient.BREAKER_THRESHOLD);

            Thread.sleep(600); // past the breaker's delay
            PageParser.Page page = client.fetchPage(client.tickerUri(range, Timespan.DAY, true), target);

            assertThat(page.bars()).hasSize(1);
            assertThat(client.breakerClosed()).isTrue();
        }
        assertThat(polygon.arrivals()).hasSize(AggregatesClient.BREAKER_THRESHOLD + 1);
        // The fourth slot was still free: had the refusals taken it, this request would have waited about 10 s.
        assertThat(observer.times(Metrics.RATE_LIMIT_WAIT, Metrics.CAUSE, "client"))
                .allSatisfy(wait -> assertThat(wait).isLessThan(Duration.ofSeconds(2)));
    }
}
