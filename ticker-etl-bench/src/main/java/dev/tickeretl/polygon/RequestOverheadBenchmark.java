package dev.tickeretl.polygon;

import dev.tickeretl.Timespan;
import dev.tickeretl.internal.DaemonThreads;
import dev.tickeretl.spi.OffsetReader;
import dev.tickeretl.spi.SourceEvent;
import dev.tickeretl.spi.SourceRequest;
import dev.tickeretl.spi.TickerRange;
import dev.tickeretl.simulator.PolygonSimulator;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * The server answers every request after a fixed {@value #LATENCY_MS} ms: either a tiny loopback server that sends
 * one fixed one-month page ({@code server=fixed}: blocking sockets, nothing but the sleep and a write) or the Polygon
 * simulator ({@code server=simulator}: the JDK's HttpServer, real pages). Scores are milliseconds per request:
 * <ul>
 *   <li>{@code polygonSource}: a whole source run (build, start, {@value #REQUESTS} per-ticker requests, drain to
 *       END, close), as the pipeline uses it;</li>
 *   <li>{@code rawUrlConnection}: the same requests with bare {@link HttpURLConnection}s (blocking, keep-alive),
 *       the transport the source uses: its floor;</li>
 *   <li>{@code rawHttpClient}: the same requests with one bare JDK {@link HttpClient} ({@code send}), the
 *       transport the source used before;</li>
 *   <li>{@code sleepOnly}: {@value #REQUESTS} sleeps of the latency, no network: what the machine's scheduler adds
 *       to any wait (on a busy machine, more than a millisecond).</li>
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
        request = SourceRequest.bounded(Timespan.DAY, true, ranges);
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

    @Benchmark
    @OperationsPerInvocation(REQUESTS)
    public long rawUrlConnection() throws IOException {
        long bytes = 0;
        for (URI uri : uris) {
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
            if (connection.getResponseCode() != 200) {
                throw new IllegalStateException("HTTP " + connection.getResponseCode() + " for " + uri);
            }
            try (InputStream in = connection.getInputStream()) {
                bytes += in.readAllBytes().length;
            }
        }
        return bytes;
    }

    @Benchmark
    @OperationsPerInvocation(REQUESTS)
    public void sleepOnly() throws InterruptedException {
        for (int i = 0; i < REQUESTS; i++) {
            Thread.sleep(latencyMs);
        }
    }

    /** One source run at concurrency 1; fails loudly unless every ticker is done and bars arrived. */
    static long fetchAll(String baseUrl, SourceRequest request) throws InterruptedException {
        long bars = 0;
        int done = 0;
        try (PolygonSource source = PolygonSource.builder().baseUrl(baseUrl).requireKey(false).concurrency(1)
                .plan(PolygonSource.Plan.PER_TICKER).build()) {
            source.start(request, OffsetReader.EMPTY);
            while (true) {
                SourceEvent event = source.poll(Duration.ofSeconds(10));
                if (event == null || event == SourceEvent.END) {
                    break;
                }
                if (event instanceof SourceEvent.Bars b) {
                    bars += b.bars().size();
                } else if (event instanceof SourceEvent.PartitionDone) {
                    done++;
                } else if (!(event instanceof SourceEvent.Warning) && !(event instanceof SourceEvent.Covered)) {
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

    /**
     * Answers any GET after a fixed sleep with one fixed per-ticker page of January 2025 (21 daily bars). Plain
     * blocking sockets, a thread per connection, keep-alive, no Nagle: the only wait is the sleep, so what a client
     * adds on top of the latency is the client's own doing.
     */
    static final class FixedLatencyServer implements AutoCloseable {
        private final ServerSocket socket;
        private final Duration latency;
        private final byte[] response;
        private final List<Socket> open = new CopyOnWriteArrayList<>();

        FixedLatencyServer(Duration latency) throws IOException {
            this.latency = latency;
            byte[] page = page();
            byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + page.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            response = new byte[head.length + page.length];
            System.arraycopy(head, 0, response, 0, head.length);
            System.arraycopy(page, 0, response, head.length, page.length);
            socket = new ServerSocket(0, 64, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
            DaemonThreads.thread("fixed-latency-server", this::accept).start();
        }

        String baseUrl() {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    connection.setTcpNoDelay(true);
                    open.add(connection);
                    DaemonThreads.thread("fixed-latency-connection", () -> serve(connection)).start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket connection) {
            try (connection; InputStream in = new BufferedInputStream(connection.getInputStream());
                 OutputStream out = connection.getOutputStream()) {
                while (readRequestHead(in)) {
                    Thread.sleep(latency.toMillis());
                    out.write(response);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the client hung up, or the bench is over
            } finally {
                open.remove(connection);
            }
        }

        /** Reads up to the blank line after the headers (a GET has no body); false at the end of the stream. */
        private static boolean readRequestHead(InputStream in) throws IOException {
            int matched = 0;
            int b;
            while ((b = in.read()) >= 0) {
                matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
                if (matched == 4) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket connection : open) {
                connection.close();
            }
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
