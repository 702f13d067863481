package dev.tickeretl.cli;

import static dev.tickeretl.cli.CliRunner.cli;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickeretl.MarketTime;
import dev.tickeretl.RunRecord;
import dev.tickeretl.Store;
import dev.tickeretl.metrics.PrometheusText;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code ingest --metrics-port / --metrics-file}: real HTTP on loopback and a real textfile. */
class CliMetricsTest {

    private static final Pattern METRICS_URI = Pattern.compile("metrics at (http://127\\.0\\.0\\.1:\\d+/metrics)");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private String store() {
        return dir.resolve("data").toString();
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private RunRecord lastRun() {
        try (Store s = Store.open(store())) {
            return s.runs().get(0);
        }
    }

    @Test
    @Timeout(120)
    void metricsPortServesTheRunsSeriesWhileItIngestsWithHealthAndReadyAndStopsWhenItEnds() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // Slow enough to be watched: pages of 2 bars, 100 ms each, one request at a time (about 10 s).
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Main.run(new PrintWriter(out, true),
                new PrintWriter(err, true), "ingest", "--source", "simulator", "--source-option", "latency=PT0.1S",
                "--source-option", "page-size=2", "--concurrency", "1", "--tickers", "AAPL,MSFT,NVDA", "--from",
                "2025-01-02", "--to", "2025-01-31", "--store", store(), "--metrics-port", "0"));

        URI metrics = URI.create(await(() -> {
            Matcher m = METRICS_URI.matcher(err.toString());
            return m.find() ? m.group(1) : null;
        }));
        assertThat(await(() -> status(metrics.resolve("/ready")) == 200 ? "ready" : null))
                .as("/ready once the run is under way").isEqualTo("ready");
        HttpResponse<String> health = get(metrics.resolve("/health"));
        assertThat(health.statusCode()).isEqualTo(200);
        // A ticker is stored while others are still being fetched: its series are there already.
        PrometheusText during = await(() -> {
            PrometheusText p = PrometheusText.parse(get(metrics).body());
            return p.find("ticker_etl_bars_written_total", "ticker", "AAPL").isEmpty() ? null : p;
        });
        assertThat(exit).as("still running when scraped").isNotDone();
        assertThat(during.value("ticker_etl_bars_written_total", "ticker", "AAPL")).isEqualTo(21.0);
        assertThat(during.find("ticker_etl_partition_write_duration_seconds_bucket")).isNotEmpty();
        assertThat(during.find("ticker_etl_last_bar_age_seconds", "ticker", "AAPL")).hasSize(1);
        assertThat(during.value("ticker_etl_bars_fetched_total", "ticker", "AAPL")).isEqualTo(21.0);

        assertThat(exit.get(100, TimeUnit.SECONDS)).as(err.toString()).isZero();
        assertThatThrownBy(() -> get(metrics)).as("the port is closed after the run").hasCauseInstanceOf(
                ConnectException.class);
    }

    @Test
    @Timeout(120)
    void streamServesItsSeriesWhileRunningAndIsReadyOnlyWhenConnectedAndBarsArrive() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Main.run(new PrintWriter(out, true),
                new PrintWriter(err, true), "stream", "--source", "simulator", "--source-option", "speed=600",
                "--tickers", "AAPL,MSFT", "--store", store(), "--duration", "PT20S", "--metrics-port", "0"));

        URI metrics = URI.create(await(() -> {
            Matcher m = METRICS_URI.matcher(err.toString());
            return m.find() ? m.group(1) : null;
        }));
        assertThat(await(() -> status(metrics.resolve("/ready")) == 200 ? "ready" : null))
                .as("/ready once connected and bars arrive").isEqualTo("ready");
        PrometheusText during = await(() -> {
            PrometheusText p = PrometheusText.parse(get(metrics).body());
            return p.find("ticker_etl_bars_written_total", "ticker", "AAPL").isEmpty() ? null : p;
        });
        assertThat(exit).as("still running when scraped").isNotDone();
        assertThat(during.value("ticker_etl_stream_connected")).isEqualTo(1.0);
        assertThat(during.value("ticker_etl_stream_bars_received_total")).isPositive();
        assertThat(during.find("ticker_etl_segment_write_duration_seconds_bucket")).isNotEmpty();

        assertThat(exit.get(100, TimeUnit.SECONDS)).as(err.toString()).isZero();
        assertThatThrownBy(() -> get(metrics)).hasCauseInstanceOf(ConnectException.class);
    }

    private int status(URI uri) throws Exception {
        try {
            return get(uri).statusCode();
        } catch (ConnectException e) {
            return -1;
        }
    }

    @Test
    void metricsFileHoldsTheFinishedRunAsValidPrometheusTextMatchingTheRunRecord() throws Exception {
        Path file = dir.resolve("ticker_etl.prom");

        CliRunner.Result r = cli("ingest", "--source", "simulator", "--tickers", "AAPL,MSFT", "--from", "2025-01-02",
                "--to", "2025-01-31", "--store", store(), "--metrics-file", file.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        RunRecord run = lastRun();
        PrometheusText p = PrometheusText.parse(Files.readString(file));
        assertThat(p.value("ticker_etl_runs_total", "status", "SUCCEEDED")).isEqualTo(1.0);
        assertThat(p.value("ticker_etl_run_finished_timestamp_seconds", "status", "SUCCEEDED"))
                .isEqualTo(run.finishedAt().toEpochMilli() / 1000.0);
        assertThat(p.value("ticker_etl_run_duration_seconds_count", "mode", "batch")).isEqualTo(1.0);
        for (String t : List.of("AAPL", "MSFT")) {
            assertThat(p.value("ticker_etl_bars_written_total", "ticker", t))
                    .isEqualTo((double) run.tickers().get(t).written());
            assertThat(p.value("ticker_etl_bars_fetched_total", "ticker", t))
                    .isEqualTo((double) run.tickers().get(t).fetched());
        }
        assertThat(p.value("ticker_etl_offset_lag_seconds")).isZero();
        assertThat(p.value("ticker_etl_partition_files_written_total"))
                .isEqualTo((double) run.totals().filesWritten());
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(f -> !f.getFileName().toString().equals("data"))).containsExactly(file);
        }
    }

    @Test
    @Timeout(120)
    void anIngestFromPolygonLeavesItsUpstreamSeriesInTheMetricsFileAndTheRunRecord() throws Exception {
        String key = "cli-metrics-key-5e1d";
        AtomicInteger aaplRequests = new AtomicInteger();
        Path file = dir.resolve("ticker_etl.prom");
        CliRunner.Result r;
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    String target = request.getTarget();
                    String ticker = target.contains("/ticker/AAPL/") ? "AAPL" : "MSFT";
                    if (ticker.equals("AAPL") && aaplRequests.incrementAndGet() == 1) {
                        return new MockResponse.Builder().code(429).setHeader("Retry-After", "1").build();
                    }
                    long t = MarketTime.startOfDayMs(LocalDate.of(2025, 1, 2));
                    return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                            .body("{\"ticker\":\"" + ticker + "\",\"queryCount\":1,\"resultsCount\":1,"
                                    + "\"adjusted\":true,\"results\":[{\"c\":101,\"h\":102,\"l\":100,\"n\":12,"
                                    + "\"o\":100.5,\"t\":" + t + ",\"v\":1000,\"vw\":101}],\"status\":\"OK\"}")
                            .build();
                }
            });
            server.start(InetAddress.getLoopbackAddress(), 0);
            r = cli("ingest", "--source", "polygon", "--base-url", server.url("/").toString().replaceAll("/$", ""),
                    "--source-option", "api-key=" + key, "--tickers", "AAPL,MSFT", "--from", "2025-01-02", "--to",
                    "2025-01-10", "--store", store(), "--metrics-file", file.toString());
        }

        assertThat(r.exit()).as(r.err()).isZero();
        String text = Files.readString(file);
        assertThat(text).doesNotContain(key);
        PrometheusText p = PrometheusText.parse(text);
        assertThat(p.value("ticker_etl_requests_total", "endpoint", "aggs_range", "status", "200")).isEqualTo(2.0);
        assertThat(p.value("ticker_etl_requests_total", "endpoint", "aggs_range", "status", "429")).isEqualTo(1.0);
        assertThat(p.value("ticker_etl_request_duration_seconds_count", "endpoint", "aggs_range")).isEqualTo(3.0);
        assertThat(p.find("ticker_etl_request_duration_seconds_bucket", "endpoint", "aggs_range")).isNotEmpty();
        assertThat(p.value("ticker_etl_request_retries_total", "endpoint", "aggs_range", "reason", "rate_limited"))
                .isEqualTo(1.0);
        assertThat(p.value("ticker_etl_rate_limit_wait_seconds_sum", "cause", "server")).isGreaterThanOrEqualTo(0.9);
        assertThat(p.value("ticker_etl_breaker_state", "breaker", "polygon")).isZero();
        Map<String, Double> recorded = lastRun().metrics();
        assertThat(recorded.get("ticker_etl_requests_total{endpoint=\"aggs_range\",status=\"200\"}")).isEqualTo(2.0);
        assertThat(recorded.get("ticker_etl_request_retries_total{endpoint=\"aggs_range\",reason=\"rate_limited\"}"))
                .isEqualTo(1.0);
    }

    @Test
    void onlyTheConfiguredTickersKeepTheirOwnLabel() throws Exception {
        Path file = dir.resolve("ticker_etl.prom");

        CliRunner.Result r = cli("ingest", "--source", "simulator", "--tickers", "AAPL,MSFT,NVDA", "--from",
                "2025-01-02", "--to", "2025-01-10", "--store", store(), "--metrics-file", file.toString(),
                "--metrics-tickers", "msft");

        assertThat(r.exit()).as(r.err()).isZero();
        PrometheusText p = PrometheusText.parse(Files.readString(file));
        assertThat(p.find("ticker_etl_bars_written_total")).extracting(s -> s.labels().get("ticker"))
                .containsExactlyInAnyOrder("MSFT", "other");
        assertThat(p.value("ticker_etl_bars_written_total", "ticker", "other"))
                .isEqualTo(2 * p.value("ticker_etl_bars_written_total", "ticker", "MSFT"));
    }

    @Test
    void aMetricsFileNodeExporterWouldNotReadIsAUsageErrorBeforeAnyRun() {
        CliRunner.Result r = cli("ingest", "--source", "simulator", "--store", store(), "--metrics-file",
                dir.resolve("metrics.txt").toString());

        assertThat(r.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.errLines()).hasSize(1).allMatch(l -> l.contains("metrics-file") && l.contains(".prom"));
        assertThat(Files.exists(dir.resolve("data"))).as("no run was recorded").isFalse();
    }

    @Test
    void aCommandThatFailsBeforeItRunsLeavesThePreviousRunsMetricsFileAlone() throws Exception {
        Path file = dir.resolve("ticker_etl.prom");
        String previous = "# TYPE ticker_etl_runs_total counter\nticker_etl_runs_total{status=\"SUCCEEDED\"} 1.0\n";
        Files.writeString(file, previous);

        CliRunner.Result r = cli("ingest", "--source", "simulator", "--from", "2025-01-10", "--to", "2025-01-02",
                "--store", store(), "--metrics-file", file.toString());

        assertThat(r.exit()).as(r.err()).isEqualTo(Main.EXIT_USAGE);
        assertThat(Files.readString(file)).isEqualTo(previous);
    }

    @Test
    void aTakenMetricsPortFailsTheCommandBeforeAnyRunNamingTheOption() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CliRunner.Result r = cli("ingest", "--source", "simulator", "--store", store(), "--metrics-port",
                    Integer.toString(taken.getLocalPort()));

            assertThat(r.exit()).isEqualTo(Main.EXIT_FAILED);
            assertThat(r.err()).contains("metrics-port").contains(Integer.toString(taken.getLocalPort()));
            assertThat(Files.exists(dir.resolve("data"))).as("no run was recorded").isFalse();
        }
    }

    /** Polls {@code probe} (bounded: 30 s) until it gives a value. */
    private static <T> T await(Probe<T> probe) throws Exception {
        long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() - giveUp < 0) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not within 30 s");
    }

    @FunctionalInterface
    private interface Probe<T> {
        T get() throws Exception;
    }
}
