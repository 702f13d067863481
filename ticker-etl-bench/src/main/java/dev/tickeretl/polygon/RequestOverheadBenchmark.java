package dev.tickeretl.polygon;

import com.sun.net.httpserver.HttpServer;
import dev.tickeretl.Timespan;
import dev.tickeretl.spi.SourceEvent;
import dev.tickeretl.spi.SourceRequest;
import dev.tickeretl.spi.TickerRange;
import dev.tickeretl.testkit.simulator.PolygonSimulator;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 10 point 5: what one request costs the Polygon source on top of the server's own latency, at concurrency 1.
 * The server answers every request after a fixed {@value #LATENCY_MS} ms: either the Polygon simulator
 * ({@code server=simulator}) or a tiny loopback server that sends one fixed one-month page ({@code server=fixed},
 * nothing but the sleep and a write). Scores are milliseconds per request:
 * <ul>
 *   <li>{@code polygonSource}: a whole source run (build, start, {@value #REQUESTS} per-ticker requests, drain to
 *       END, close), as the pipeline uses it;</li>
 *   <li>{@code rawHttpClient}: the same requests with one bare JDK {@link HttpClient}, the floor for any JVM
 *       client.</li>
 * </ul>
 * Target: {@code polygonSource} at most 22 ms per request (2 ms over the latency).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 4)
public class RequestOverheadBenchmark {

    public static final int LATENCY_MS = 20;
    public static final int REQUESTS = 20;
    static final LocalDate FROM = LocalDate.of(2025, 1, 2);
    static final LocalDate TO = LocalDate.of(2025, 1, 31);

    static {
        // Like the simulator: the JDK server would otherwise wait for the client's delayed ACK on small answers.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    @Param({"fixed", "simulator"})
    public String server;

    /** The server's latency per answer; {@code -p latencyMs=0} shows the client's own cost alone. */
    @Param({"" + LATENCY_MS})
    public int latencyMs;

    private AutoCloseable running;
    private String baseUrl;
    private SourceRequest request;
    private List<URI> uris;
    private HttpClient raw;

    @Setup(Level.Trial)
    public void start() throws IOException {
        Duration latency = Duration.ofMillis(latencyMs);
        if (server.equals("simulator")) {
            PolygonSimulator simulator = PolygonSimulator.builder().latency(latency).start();
            running = simulator;
            baseUrl = simulator.baseUrl();
        } else {
            FixedLatencyServer fixed = new FixedLatencyServer(latency);
            running = fixed;
            baseUrl = fixed.baseUrl();
        }
        List<TickerRange> ranges = new ArrayList<>();
        uris = new ArrayList<>();
        List<String> tickers = PolygonSimulator.defaultUniverse().subList(0, REQUESTS);
        for (String ticker : tickers) {
            ranges.add(new TickerRange(ticker, FROM, TO));
            uris.add(URI.create(baseUrl + "/v2/aggs/ticker/" + ticker + "/range/1/day/" + FROM + "/" + TO
                    + "?adjusted=true&sort=asc&limit=50000"));
        }
        request = new SourceRequest(Timespan.DAY, true, ranges);
        raw = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        running.close();
    }

    /** Milliseconds per request of a whole source run; the number of bars it delivered, so nothing is elided. */
    @Benchmark
    @OperationsPerInvocation(REQUESTS)
    public long polygonSource() throws InterruptedException {
        return fetchAll(baseUrl, request);
    }

    @Benchmark
    @OperationsPerInvocation(REQUESTS)
    public long rawHttpClient() throws IOException, InterruptedException {
        long bytes = 0;
        for (URI uri : uris) {
            HttpResponse<byte[]> response = raw.send(HttpRequest.newBuilder(uri).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + response.statusCode() + " for " + uri);
            }
            bytes += response.body().length;
        }
        return bytes;
    }

    /** One source run at concurrency 1; fails loudly unless every ticker is done and bars arrived. */
    static long fetchAll(String baseUrl, SourceRequest request) throws InterruptedException {
        long bars = 0;
        int done = 0;
        try (PolygonSource source = PolygonSource.builder().baseUrl(baseUrl).requireKey(false).concurrency(1)
                .plan(PolygonSource.Plan.PER_TICKER).build()) {
            source.start(request);
            while (true) {
                SourceEvent event = source.poll(Duration.ofSeconds(10));
                if (event == null || event == SourceEvent.END) {
                    break;
                }
                if (event instanceof SourceEvent.Bars b) {
                    bars += b.bars().size();
                } else if (event instanceof SourceEvent.TickerDone) {
                    done++;
                } else if (!(event instanceof SourceEvent.Warning)) {
                    throw new IllegalStateException("unexpected event " + event);
                }
            }
            if (done != request.ranges().size() || bars == 0 || source.stats().requests() != request.ranges().size()) {
                throw new IllegalStateException("expected " + request.ranges().size() + " tickers done in as many"
                        + " requests, got " + done + " done, " + bars + " bars, " + source.stats());
            }
        }
        return bars;
    }

    /** Answers any GET after a fixed sleep with one fixed per-ticker page of January 2025 (21 daily bars). */
    static final class FixedLatencyServer implements AutoCloseable {
        private final HttpServer http;
        private final ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "fixed-latency-server");
            t.setDaemon(true);
            return t;
        });

        FixedLatencyServer(Duration latency) throws IOException {
            byte[] page = page();
            http = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0),
                    64);
            http.createContext("/", exchange -> {
                try (exchange) {
                    exchange.getRequestBody().readAllBytes();
                    try {
                        Thread.sleep(latency.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, page.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(page);
                    }
                }
            });
            http.setExecutor(executor);
            http.start();
        }

        String baseUrl() {
            return "http://127.0.0.1:" + http.getAddress().getPort();
        }

        @Override
        public void close() {
            http.stop(0);
            executor.shutdownNow();
        }

        private static byte[] page() {
            StringBuilder results = new StringBuilder();
            int n = 0;
            for (LocalDate d : dev.tickeretl.TradingCalendar.nyse().tradingDays(FROM, TO)) {
                if (n++ > 0) {
                    results.append(',');
                }
                double c = 100 + d.getDayOfMonth();
                results.append("{\"v\":5.5432e+07,\"vw\":").append(c).append(",\"o\":").append(c - 0.5)
                        .append(",\"c\":").append(c).append(",\"h\":").append(c + 1).append(",\"l\":").append(c - 1)
                        .append(",\"t\":").append(dev.tickeretl.MarketTime.startOfDayMs(d)).append(",\"n\":412345}");
            }
            return ("{\"ticker\":\"X\",\"queryCount\":" + n + ",\"resultsCount\":" + n + ",\"adjusted\":true,"
                    + "\"results\":[" + results + "],\"status\":\"OK\",\"request_id\":\"r\",\"count\":" + n + "}")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }
}
