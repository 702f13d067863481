package dev.tickeretl.server;

import com.sun.net.httpserver.HttpServer;
import dev.tickeretl.Store;
import dev.tickeretl.TickerEtlException;
import dev.tickeretl.internal.DaemonThreads;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The read API over a store, for apps and people who should not need to know the store's layout: bars as JSON
 * Lines, JSON or CSV, the latest bar per ticker, the run history, new and changed bars as Server-Sent Events, and a
 * chart page at {@code /}. Read-only, and bound to 127.0.0.1 unless told otherwise.
 *
 * <pre>
 * try (Store store = Store.open("file:./data");
 *      BarServer server = BarServer.builder(store).port(8080).start()) {
 *     System.out.println(server.uri());  // http://127.0.0.1:8080/
 * }
 * </pre>
 *
 * Endpoints and their parameters are described in the README ("Read API"). The server never closes the store it
 * was given.
 */
public final class BarServer implements AutoCloseable {

    private final HttpServer http;
    private final ExecutorService workers;
    private final ApiHandler handler;
    private final BarChanges changes;
    private final boolean ownsChanges;
    private final URI uri;

    private BarServer(HttpServer http, ExecutorService workers, ApiHandler handler, BarChanges changes,
                      boolean ownsChanges) {
        this.http = http;
        this.workers = workers;
        this.handler = handler;
        this.changes = changes;
        this.ownsChanges = ownsChanges;
        InetSocketAddress address = http.getAddress();
        String host = address.getAddress().getHostAddress();
        this.uri = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort()
                + "/");
    }

    /** A server over {@code store}; nothing listens until {@link Builder#start()}. */
    public static Builder builder(Store store) {
        return new Builder(store);
    }

    /** Where the server listens, e.g. {@code http://127.0.0.1:8080/}. */
    public URI uri() {
        return uri;
    }

    /** The port it listens on (the one chosen when the builder asked for port 0). */
    public int port() {
        return http.getAddress().getPort();
    }

    /** Stops listening and ends every open event stream. The store stays open. */
    @Override
    public void close() {
        handler.close();
        http.stop(0);
        workers.shutdownNow();
        if (ownsChanges) {
            changes.close();
        }
    }

    @Override
    public String toString() {
        return "BarServer[" + uri + "]";
    }

    /** Settings of a {@link BarServer}; {@link #start()} binds the port. */
    public static final class Builder {
        private final Store store;
        private int port = 8080;
        private String bind = "127.0.0.1";
        private Clock clock = Clock.systemUTC();
        private Duration pollInterval = Duration.ofSeconds(1);
        private int maxStreams = 16;
        private BarChanges changes;

        private Builder(Store store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /** The TCP port, 0 for any free one (default 8080). */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port: " + port + " is not between 0 and 65535");
            }
            this.port = port;
            return this;
        }

        /** The address to listen on (default 127.0.0.1); {@code 0.0.0.0} exposes the store to the network. */
        public Builder bind(String address) {
            this.bind = Objects.requireNonNull(address, "bind");
            return this;
        }

        /** Decides "today" in New York: the default day of streams, the search for latest bars, settled ranges. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How often the default {@link BarChanges} re-reads watched partitions (default 1 s). */
        public Builder pollInterval(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("poll-interval: must be positive, got " + interval);
            }
            this.pollInterval = interval;
            return this;
        }

        /** At most this many open event streams (default 16); one more is answered 503. */
        public Builder maxStreams(int maxStreams) {
            if (maxStreams < 1) {
                throw new IllegalArgumentException("max-streams: must be at least 1, got " + maxStreams);
            }
            this.maxStreams = maxStreams;
            return this;
        }

        /** Where {@code /v1/stream} gets changes (default: polling the store); the caller keeps ownership. */
        public Builder changes(BarChanges changes) {
            this.changes = Objects.requireNonNull(changes, "changes");
            return this;
        }

        /** Binds and starts serving. */
        public BarServer start() {
            InetAddress address;
            try {
                address = InetAddress.getByName(bind);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("bind: '" + bind + "' is not an address of this machine");
            }
            boolean ownsChanges = changes == null;
            BarChanges feed = ownsChanges ? new PollingBarChanges(store, clock, pollInterval) : changes;
            // Each open event stream holds a thread; the rest serve ordinary requests.
            int threads = maxStreams + 4;
            ThreadPoolExecutor workers = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), DaemonThreads.named("ticker-etl-http"));
            workers.allowCoreThreadTimeOut(true);
            HttpServer http;
            try {
                http = HttpServer.create(new InetSocketAddress(address, port), 64);
            } catch (IOException e) {
                workers.shutdownNow();
                if (ownsChanges) {
                    feed.close();
                }
                throw new TickerEtlException("port: cannot listen on " + bind + ":" + port + ": " + e.getMessage(), e);
            }
            ApiHandler handler = new ApiHandler(store, feed, clock, maxStreams);
            http.createContext("/", handler);
            http.setExecutor(workers);
            http.start();
            return new BarServer(http, workers, handler, feed, ownsChanges);
        }
    }
}
