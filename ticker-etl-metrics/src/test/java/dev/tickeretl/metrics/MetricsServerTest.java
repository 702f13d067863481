package dev.tickeretl.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickeretl.spi.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The endpoints over real HTTP on the loopback interface. */
class MetricsServerTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private MetricsServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(server.uri().resolve(path)).timeout(Duration.ofSeconds(10)).GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsServesThePrometheusTextFormatWithTheObservedSeries() throws Exception {
        server = MetricsServer.builder(registry).start();
        MicrometerObserver.of(registry).count(Metrics.BARS_WRITTEN, 42, Metrics.TICKER, "AAPL");

        HttpResponse<String> r = get("/metrics");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(PrometheusText.parse(r.body()).value("ticker_etl_bars_written_total", "ticker", "other"))
                .isEqualTo(42.0);
    }

    @Test
    void healthIs200WhileTheProcessLives() throws Exception {
        server = MetricsServer.builder(registry).readiness(() -> Readiness.notReady("not yet")).start();

        HttpResponse<String> r = get("/health");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("ok\n");
    }

    @Test
    void readyIs503WithTheReasonUntilTheCheckPassesThen200() throws Exception {
        AtomicBoolean connected = new AtomicBoolean();
        server = MetricsServer.builder(registry)
                .readiness(ReadinessCheck.of(connected::get, () -> "stream not connected")).start();

        HttpResponse<String> before = get("/ready");
        connected.set(true);
        HttpResponse<String> after = get("/ready");

        assertThat(before.statusCode()).isEqualTo(503);
        assertThat(before.body()).isEqualTo("not ready: stream not connected\n");
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.body()).isEqualTo("ready\n");
    }

    @Test
    void combinedChecksReportTheFirstThatFails() throws Exception {
        AtomicBoolean connected = new AtomicBoolean(true);
        AtomicBoolean fresh = new AtomicBoolean(false);
        server = MetricsServer.builder(registry).readiness(ReadinessCheck.of(connected::get, () -> "disconnected")
                .and(ReadinessCheck.of(fresh::get, () -> "last bar older than 2 minutes"))).start();

        assertThat(get("/ready").body()).isEqualTo("not ready: last bar older than 2 minutes\n");
        connected.set(false);
        assertThat(get("/ready").body()).isEqualTo("not ready: disconnected\n");
    }

    @Test
    void aReadinessCheckThatThrowsIsNotReadyWithItsError() throws Exception {
        server = MetricsServer.builder(registry).readiness(() -> {
            throw new IllegalStateException("clock unavailable");
        }).start();

        HttpResponse<String> r = get("/ready");

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("clock unavailable");
    }

    @Test
    void itListensOnLoopbackByDefaultAndStopsListeningWhenClosed() throws Exception {
        server = MetricsServer.builder(registry).start();
        URI uri = server.uri();
        assertThat(uri.getHost()).isEqualTo("127.0.0.1");
        assertThat(server.port()).isPositive();

        server.close();
        server = null;

        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(uri.resolve("/health"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void otherPathsAre404AndOtherMethods405() throws Exception {
        server = MetricsServer.builder(registry).start();

        assertThat(get("/metric").statusCode()).isEqualTo(404);
        HttpResponse<String> post = send(HttpRequest.newBuilder(server.uri().resolve("/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        HttpResponse<String> head = send(HttpRequest.newBuilder(server.uri().resolve("/health"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void aTakenPortIsAnErrorNamingTheOption() {
        server = MetricsServer.builder(registry).start();

        assertThatThrownBy(() -> MetricsServer.builder(registry).port(server.port()).start())
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("metrics-port")
                .hasMessageContaining(Integer.toString(server.port()));
        assertThatThrownBy(() -> MetricsServer.builder(registry).port(70_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metrics-port");
    }
}
