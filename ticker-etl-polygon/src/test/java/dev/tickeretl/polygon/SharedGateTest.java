package dev.tickeretl.polygon;

import static dev.tickeretl.polygon.Fixtures.D1;
import static dev.tickeretl.polygon.Fixtures.days;
import static dev.tickeretl.polygon.Fixtures.fast;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

/** Issue 10 point 4: one key has one quota, however many sources in the JVM use it. */
class SharedGateTest {

    private static final Duration WINDOW = Duration.ofMillis(600);
    private static final int PER_WINDOW = 2;

    @Test
    void twoSourcesWithOneKeyStayWithinOneLimitTogether() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            ScriptedPolygon polygon = new ScriptedPolygon();
            server.setDispatcher(polygon);
            server.start();
            List<String> first = List.of("A1", "A2", "A3", "A4");
            List<String> second = List.of("B1", "B2", "B3", "B4");
            for (String ticker : first) {
                polygon.answer(ticker, Json.ok(ticker, D1));
            }
            for (String ticker : second) {
                polygon.answer(ticker, Json.ok(ticker, D1));
            }

            Drained one;
            Drained two;
            try (PolygonSource a = fast(server).concurrency(2).rateLimit(PER_WINDOW, WINDOW).build();
                 PolygonSource b = fast(server).concurrency(2).rateLimit(PER_WINDOW, WINDOW).build()) {
                CompletableFuture<Drained> runA = CompletableFuture.supplyAsync(() -> drain(a, first));
                CompletableFuture<Drained> runB = CompletableFuture.supplyAsync(() -> drain(b, second));
                one = runA.get(30, TimeUnit.SECONDS);
                two = runB.get(30, TimeUnit.SECONDS);
            }

            assertThat(one.done()).hasSize(4);
            assertThat(two.done()).hasSize(4);
            List<Long> arrivals = new ArrayList<>(polygon.arrivals().stream().map(ScriptedPolygon.Arrival::nanoTime)
                    .sorted().toList());
            assertThat(arrivals).hasSize(8);
            // The server sees at most PER_WINDOW requests in any window: request i and request i-PER_WINDOW never
            // arrive within one window (each source alone would allow PER_WINDOW, two of them twice that).
            for (int i = PER_WINDOW; i < arrivals.size(); i++) {
                assertThat(arrivals.get(i) - arrivals.get(i - PER_WINDOW))
                        .as("arrival %d after arrival %d", i, i - PER_WINDOW)
                        .isGreaterThanOrEqualTo(WINDOW.toNanos());
            }
        }
    }

    private static Drained drain(PolygonSource source, List<String> tickers) {
        try {
            return Drained.run(source, days(tickers.toArray(String[]::new)));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
