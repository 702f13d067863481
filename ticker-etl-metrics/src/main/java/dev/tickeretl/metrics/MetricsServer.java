package dev.tickeretl.metrics;

import dev.tickeretl.internal.DaemonThreads;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP server (the JDK's) for Prometheus and orchestrators: {@code GET /metrics} (Prometheus text format
 * 0.0.4), {@code GET /health} (200 while the process lives) and {@code GET /ready} (200 when the
 * {@link ReadinessCheck} passes, else 503 with its reason). Binds to 127.0.0.1 unless told otherwise: metrics name
 * tickers and sinks, which are nobody else's business by default.
 */
public final class MetricsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);
    /** The Prometheus text format: every Prometheus version and node_exporter read it. */
    public static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;
    private final PrometheusMeterRegistry registry;
    private final ReadinessCheck readiness;

    private MetricsServer(Builder b) throws IOException {
        this.registry = b.registry;
        this.readiness = b.readiness;
        this.server = HttpServer.create(new InetSocketAddress(b.host, b.port), 16);
        // One thread: scrapes are rare and cheap; it never competes with the pipeline for cores.
        this.executor = Executors.newSingleThreadExecutor(DaemonThreads.named("ticker-etl-metrics-http"));
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public static Builder builder(PrometheusMeterRegistry registry) {
        return new Builder(registry);
    }

    /** The port it listens on (the one chosen when 0 was asked for). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://host:port/}. */
    public URI uri() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            boolean head = method.equals("HEAD");
            if (!head && !method.equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                respond(exchange, 405, "text/plain; charset=utf-8", "only GET and HEAD\n", false);
                return;
            }
            switch (exchange.getRequestURI().getPath()) {
                case "/metrics" -> respond(exchange, 200, TEXT_FORMAT, registry.scrape(), head);
                case "/health" -> respond(exchange, 200, "text/plain; charset=utf-8", "ok\n", head);
                case "/ready" -> {
                    Readiness r = ready();
                    respond(exchange, r.ready() ? 200 : 503, "text/plain; charset=utf-8",
                            (r.ready() ? "ready" : "not ready: " + r.reason()) + "\n", head);
                }
                default -> respond(exchange, 404, "text/plain; charset=utf-8",
                        "not found: try /metrics, /health or /ready\n", head);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("metrics request {} failed: {}", exchange.getRequestURI().getPath(), e.toString());
        }
    }

    private Readiness ready() {
        try {
            return readiness.check();
        } catch (RuntimeException e) {
            return Readiness.notReady("the readiness check failed: " + e);
        }
    }

    private static void respond(HttpExchange exchange, int status, String type, String body, boolean head)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (head) {
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(bytes.length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Stops listening at once. */
    @Override
    public void close() {
        server.stop(0); // a scrape under way is cut short: the process is ending
        executor.shutdownNow();
    }

    /** Where and what to serve. */
    public static final class Builder {
        private final PrometheusMeterRegistry registry;
        private InetAddress host;
        private int port = 0;
        private ReadinessCheck readiness = ReadinessCheck.ALWAYS;

        private Builder(PrometheusMeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            this.host = InetAddress.getLoopbackAddress();
        }

        /** The address to bind (default 127.0.0.1); {@code 0.0.0.0} serves every interface. */
        public Builder host(String host) {
            Objects.requireNonNull(host, "host");
            try {
                this.host = InetAddress.getByName(host.strip());
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("metrics-host: not an address: '" + host + "'");
            }
            return this;
        }

        /** The port (default 0: any free one, see {@link MetricsServer#port()}). */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("metrics-port: must be 0..65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** What {@code /ready} answers (default: always ready). */
        public Builder readiness(ReadinessCheck readiness) {
            this.readiness = Objects.requireNonNull(readiness, "readiness");
            return this;
        }

        /**
         * Binds and starts serving.
         *
         * @throws UncheckedIOException when the address cannot be bound (e.g. the port is taken)
         */
        public MetricsServer start() {
            try {
                return new MetricsServer(this);
            } catch (IOException e) {
                throw new UncheckedIOException("metrics-port: cannot listen on " + host.getHostAddress() + ":" + port
                        + " (" + e.getMessage() + ")", e);
            }
        }
    }
}
