package dev.tickeretl.polygon;

import static dev.tickeretl.polygon.Fixtures.days;
import static dev.tickeretl.polygon.Fixtures.fast;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickeretl.spi.OffsetReader;
import dev.tickeretl.spi.SourceEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

/** close() stops every worker, whatever it is doing; nothing keeps running or keeps the JVM alive. */
class CloseTest {

    private static List<Thread> fetchThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("polygon-fetch-") && t.isAlive()).toList();
    }

    /** A pool reports termination just before its last thread has fully exited: allow it a moment. */
    private static List<Thread> fetchThreadsAfterAMoment() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        while (!fetchThreads().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return fetchThreads();
    }

    private static void awaitRequests(ScriptedPolygon polygon, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (polygon.arrivals().size() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(polygon.arrivals()).hasSizeGreaterThanOrEqualTo(n);
    }

    @Test
    void closeDuringABackoffStopsTheWorkersAtOnce() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            ScriptedPolygon polygon = new ScriptedPolygon();
            server.setDispatcher(polygon);
            server.start();
            polygon.answer("AAPL", new MockResponse.Builder().code(503).build());
            polygon.answer("MSFT", new MockResponse.Builder().code(503).build());
            PolygonSource source = fast(server).backoff(Duration.ofSeconds(20), Duration.ofSeconds(20))
                    .retryBudget(Duration.ofMinutes(1)).build();
            source.start(days("AAPL", "MSFT"), OffsetReader.EMPTY);
            awaitRequests(polygon, 2);
            assertThat(fetchThreads()).isNotEmpty();

            long closing = System.nanoTime();
            source.close();

            assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(2));
            assertThat(fetchThreadsAfterAMoment()).isEmpty();
            assertThat(polygon.arrivals()).hasSize(2);
            // What the JDK's HttpClient keeps until it is collected never holds the JVM open.
            assertThat(Thread.getAllStackTraces().keySet()).filteredOn(t -> t.getName().startsWith("HttpClient-"))
                    .allMatch(Thread::isDaemon);
        }
    }

    @Test
    void closeDuringASlowResponseCancelsIt() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            ScriptedPolygon polygon = new ScriptedPolygon();
            server.setDispatcher(polygon);
            server.start();
            polygon.answer("AAPL", new MockResponse.Builder(Json.ok("AAPL", Fixtures.D1))
                    .headersDelay(10, TimeUnit.SECONDS).build());
            PolygonSource source = fast(server).requestTimeout(Duration.ofSeconds(30)).build();
            source.start(days("AAPL"), OffsetReader.EMPTY);
            awaitRequests(polygon, 1);

            source.close();

            assertThat(fetchThreadsAfterAMoment()).isEmpty();
        }
    }

    @Test
    void workersEndByThemselvesAfterEnd() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            ScriptedPolygon polygon = new ScriptedPolygon();
            server.setDispatcher(polygon);
            server.start();
            polygon.answer("AAPL", Json.ok("AAPL", Fixtures.D1));
            PolygonSource source = fast(server).build();

            Drained.run(source, days("AAPL"));
            assertThat(source.poll(Duration.ZERO)).isEqualTo(SourceEvent.END);

            assertThat(fetchThreadsAfterAMoment()).isEmpty();
            source.close();
        }
    }

    @Test
    void aSourceServesOneStartAndNotAfterClose() {
        PolygonSource source = PolygonSource.builder().requireKey(false).baseUrl("http://127.0.0.1:9").build();
        assertThatThrownBy(() -> source.poll(Duration.ZERO)).isInstanceOf(IllegalStateException.class);
        source.close();
        assertThatThrownBy(() -> source.start(days("AAPL"), OffsetReader.EMPTY)).isInstanceOf(IllegalStateException.class);
    }
}
