package dev.tickeretl.polygon;

import static dev.tickeretl.polygon.Fixtures.D1;
import static dev.tickeretl.polygon.Fixtures.D4;
import static dev.tickeretl.polygon.Fixtures.KEY;
import static dev.tickeretl.polygon.Fixtures.base;
import static dev.tickeretl.polygon.Fixtures.days;
import static dev.tickeretl.polygon.Fixtures.fast;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.Timespan;
import dev.tickeretl.spi.SourceRequest;
import dev.tickeretl.spi.TickerRange;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 point 2: an upstream that is wrong rather than busy ends the run within seconds, with one error line,
 * instead of every ticker retrying for its whole budget; transient faults are still retried and recovered.
 */
class DeadUpstreamTest {

    /** The bound for a 50-ticker run with default settings. */
    private static final Duration BOUND = Duration.ofSeconds(60);
    /** How long a test waits for the run to end before it calls the run hung (old code: hours). */
    private static final Duration GIVE_UP = Duration.ofSeconds(90);

    /** 50 tickers over 2024: the per-ticker plan (50 requests) beats grouped daily (252), so AUTO picks it. */
    private static SourceRequest fiftyTickersOneYear() {
        List<TickerRange> ranges = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ranges.add(new TickerRange("T" + (char) ('A' + i / 26) + (char) ('A' + i % 26),
                    LocalDate.of(2024, 1, 2), LocalDate.of(2024, 12, 31)));
        }
        return SourceRequest.bounded(Timespan.DAY, true, ranges);
    }

    /** Every setting at its default but where to go and the key. */
    private static PolygonSource defaults(String baseUrl) {
        return PolygonSource.builder().baseUrl(baseUrl).apiKey(KEY).build();
    }

    private static Dispatcher always(MockResponse response, AtomicInteger count) {
        return new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                count.incrementAndGet();
                return response;
            }
        };
    }

    @Test
    void anHtmlPageWithStatus200EndsAFiftyTickerRunWithDefaultsWithinSecondsAndOneErrorLine() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        LogCapture log = LogCapture.start();
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(always(new MockResponse.Builder().code(200).setHeader("Content-Type", "text/html")
                    .body("<!doctype html><html><body>Welcome to nginx!</body></html>").build(), requests));
            server.start();

            Drained run;
            try (PolygonSource source = defaults(base(server))) {
                run = Drained.run(source, fiftyTickersOneYear(), GIVE_UP);
            }

            assertThat(run.elapsed()).isLessThan(BOUND);
            assertThat(run.failure()).as("the run ends with one run-wide error").isNotNull();
            assertThat(run.failure().getMessage()).contains("does not answer like the Polygon API")
                    .contains("HTML page instead of JSON").contains("base-url").doesNotContain(KEY);
            assertThat(run.done()).isEmpty();
            // The remaining tickers were not even asked for: four workers, three answers open the breaker.
            assertThat(requests.get()).isLessThanOrEqualTo(2 * 4);
        }
        assertThat(log.at("ERROR")).singleElement().asString().contains("Polygon source stopped")
                .contains("HTML page instead of JSON");
        assertThat(log.at("WARN")).isEmpty();
    }

    @Test
    void aClosedPortEndsAFiftyTickerRunWithDefaultsWithinSeconds() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        LogCapture log = LogCapture.start();

        Drained run;
        try (PolygonSource source = defaults("http://127.0.0.1:" + port)) {
            run = Drained.run(source, fiftyTickersOneYear(), GIVE_UP);
        }

        assertThat(run.elapsed()).isLessThan(BOUND);
        assertThat(run.failure()).isNotNull();
        assertThat(run.failure().getMessage()).contains("nothing answers at http://127.0.0.1:" + port)
                .contains("cannot connect").contains("Check base-url");
        assertThat(run.done()).isEmpty();
        assertThat(log.at("ERROR")).hasSize(1);
        assertThat(log.at("WARN")).isEmpty();
    }

    @Test
    void aServerThatAcceptsAndNeverAnswersEndsAFiftyTickerRunWithDefaultsWithinTheBound() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept()); // read nothing, answer nothing
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "silent-server");
            acceptor.setDaemon(true);
            acceptor.start();

            Drained run;
            try (PolygonSource source = defaults("http://127.0.0.1:" + silent.getLocalPort())) {
                run = Drained.run(source, fiftyTickersOneYear(), GIVE_UP);
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }

            // One request-timeout (PT30S by default) for the first attempts, then the breaker: not 50 x PT10M.
            assertThat(run.elapsed()).isLessThan(BOUND);
            assertThat(run.failure()).isNotNull();
            assertThat(run.failure().getMessage()).contains("nothing answers at")
                    .contains("request-timeout PT30S").contains("the remaining requests were not sent");
            assertThat(held).hasSizeLessThanOrEqualTo(2 * 4);
        }
    }

    @Test
    void anEmpty200StopsTheRun() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(always(new MockResponse.Builder().code(200).body("").build(), requests));
            server.start();

            Drained run;
            try (PolygonSource source = fast(server).build()) {
                run = Drained.run(source, days("AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "META"));
            }

            assertThat(run.failure()).isNotNull();
            assertThat(run.failure().getMessage()).contains("does not answer like the Polygon API")
                    .contains("empty body");
            assertThat(requests.get()).isLessThan(6);
        }
    }

    @Test
    void aNotFoundThatIsNotAPolygonAnswerStopsTheRun() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        try (MockWebServer server = new MockWebServer()) {
            // A base URL with a wrong prefix: the web server's own 404 page, on every path.
            server.setDispatcher(always(new MockResponse.Builder().code(404).setHeader("Content-Type", "text/html")
                    .body("<html><head><title>404 Not Found</title></head></html>").build(), requests));
            server.start();

            Drained run;
            try (PolygonSource source = fast(server).concurrency(1).build()) {
                run = Drained.run(source, days("AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "META"));
            }

            assertThat(run.failure()).isNotNull();
            assertThat(run.failure().getMessage()).contains("HTTP 404 Not Found").contains("is base-url right?");
            assertThat(requests.get()).isEqualTo(AggregatesClient.BREAKER_THRESHOLD);
        }
    }

    @Test
    void aTlsFailureStopsTheRun() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket plain = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // https:// to a port that speaks plain HTTP: it answers the TLS hello with an HTTP error and hangs up.
            Thread server = new Thread(() -> {
                while (!plain.isClosed()) {
                    try (Socket s = plain.accept()) {
                        connections.incrementAndGet();
                        s.getInputStream().read(new byte[512]);
                        s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException e) {
                        // closed by the test, or the client hung up first
                    }
                }
            }, "plain-http-server");
            server.setDaemon(true);
            server.start();

            Drained run;
            try (PolygonSource source = PolygonSource.builder().baseUrl("https://127.0.0.1:" + plain.getLocalPort())
                    .apiKey(KEY).backoff(Duration.ofMillis(10), Duration.ofMillis(40)).concurrency(2).build()) {
                run = Drained.run(source, days("AAPL", "MSFT", "NVDA", "AMZN"));
            }

            assertThat(run.failure()).isNotNull();
            assertThat(run.failure().getMessage()).contains("does not answer like the Polygon API").contains("TLS");
            assertThat(run.done()).isEmpty();
            assertThat(connections.get()).isLessThanOrEqualTo(2 * 2);
        }
    }

    @Test
    void aRedirectIsNeverFollowedFailsItsTickerAndAlonePassesForAWrongAnswerNotADeadUpstream() throws Exception {
        try (MockWebServer server = new MockWebServer(); MockWebServer elsewhere = new MockWebServer()) {
            ScriptedPolygon polygon = new ScriptedPolygon();
            ScriptedPolygon other = new ScriptedPolygon();
            server.setDispatcher(polygon);
            elsewhere.setDispatcher(other);
            server.start();
            elsewhere.start();
            polygon.answer("AAPL", new MockResponse.Builder().code(301)
                    .setHeader("Location", base(elsewhere) + "/v2/aggs/ticker/AAPL/range/1/day/x").build());
            polygon.answer("MSFT", Json.ok("MSFT", D1));

            Drained run;
            try (PolygonSource source = fast(server).concurrency(1).build()) {
                run = Drained.run(source, days("AAPL", "MSFT"));
            }

            assertThat(run.failure()).isNull();
            assertThat(run.failed()).containsOnlyKeys("AAPL");
            assertThat(run.failed().get("AAPL")).contains("HTTP 301").contains("redirects are not followed");
            assertThat(run.done()).containsExactly("MSFT");
            // Nothing, and so no Authorization header, went to where the redirect pointed.
            assertThat(other.arrivals()).isEmpty();
            assertThat(polygon.arrivals("AAPL")).hasSize(1);
        }
    }

    @Test
    void transientFaultsAcrossManyTickersAreRetriedAndNeverOpenTheBreaker() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            ScriptedPolygon polygon = new ScriptedPolygon();
            server.setDispatcher(polygon);
            server.start();
            String page = Json.page("AMZN", "OK", null, Json.bar(D1, 101), Json.bar(D4, 104));
            MockResponse truncated = new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                    .body(page.substring(0, page.length() / 2)).setHeader("Content-Length", page.length())
                    .onResponseEnd(SocketEffect.ShutdownConnection.INSTANCE).build();
            MockResponse reset = new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket())
                    .build();
            polygon.answer("AAPL", new MockResponse.Builder().code(429).setHeader("Retry-After", "1").build(),
                    new MockResponse.Builder().code(503).build(), Json.ok("AAPL", D1, D4));
            polygon.answer("MSFT", new MockResponse.Builder().code(502).build(),
                    new MockResponse.Builder().code(502).build(), new MockResponse.Builder().code(503).build(),
                    new MockResponse.Builder().code(502).build(), Json.ok("MSFT", D1, D4));
            polygon.answer("NVDA", reset, reset, reset, Json.ok("NVDA", D1, D4));
            polygon.answer("AMZN", truncated, truncated, truncated, Json.ok("AMZN", D1, D4));
            polygon.answer("GOOGL", Json.json(200, "{\"status\":\"OK\",,}"), Json.ok("GOOGL", D1, D4));

            Drained run;
            try (PolygonSource source = fast(server).concurrency(4).build()) {
                run = Drained.run(source, days("AAPL", "MSFT", "NVDA", "AMZN", "GOOGL"));
            }

            assertThat(run.failure()).isNull();
            assertThat(run.failed()).isEmpty();
            assertThat(run.done()).containsExactlyInAnyOrder("AAPL", "MSFT", "NVDA", "AMZN", "GOOGL");
            assertThat(run.bars("MSFT")).hasSize(2);
        }
    }

    @Test
    void aWrongAnswerNowAndThenAmongGoodOnesOnlyCostsARetry() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            ScriptedPolygon polygon = new ScriptedPolygon();
            server.setDispatcher(polygon);
            server.start();
            MockResponse html = new MockResponse.Builder().code(200).setHeader("Content-Type", "text/html")
                    .body("<html>maintenance</html>").build();
            List<String> tickers = List.of("AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "META");
            for (String ticker : tickers) {
                polygon.answer(ticker, html, Json.ok(ticker, D1));
            }

            Drained run;
            try (PolygonSource source = fast(server).concurrency(1).build()) {
                run = Drained.run(source, days(tickers.toArray(String[]::new)));
            }

            // Six HTML pages in the run, but never three in a row: a good answer always came between.
            assertThat(run.failure()).isNull();
            assertThat(run.done()).containsExactlyElementsOf(tickers);
            assertThat(polygon.arrivals()).hasSize(12);
        }
    }

    @Test
    void timeoutsAfterTheServerHasAnsweredAreABusyServerNotADeadOne() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            ScriptedPolygon polygon = new ScriptedPolygon();
            server.setDispatcher(polygon);
            server.start();
            polygon.answer("AAPL", Json.ok("AAPL", D1));
            MockResponse slow = new MockResponse.Builder(Json.ok("X", D1)).headersDelay(2, TimeUnit.SECONDS).build();
            for (String ticker : List.of("MSFT", "NVDA", "AMZN", "GOOGL")) {
                polygon.answer(ticker, slow, Json.ok(ticker, D1));
            }

            Drained run;
            try (PolygonSource source = fast(server).concurrency(1).requestTimeout(Duration.ofMillis(300)).build()) {
                run = Drained.run(source, days("AAPL", "MSFT", "NVDA", "AMZN", "GOOGL"));
            }

            // Four timeouts in a row, but AAPL had answered: retried, not taken for a dead upstream.
            assertThat(run.failure()).isNull();
            assertThat(run.done()).containsExactly("AAPL", "MSFT", "NVDA", "AMZN", "GOOGL");
        }
    }
}
