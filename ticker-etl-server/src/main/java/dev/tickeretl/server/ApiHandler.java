package dev.tickeretl.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tickeretl.Bar;
import dev.tickeretl.MarketTime;
import dev.tickeretl.RunRecord;
import dev.tickeretl.Store;
import dev.tickeretl.StoreException;
import dev.tickeretl.Timespan;
import dev.tickeretl.TradingCalendar;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tickeretl.internal.JsonCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes and answers every request. Failures the client caused are 4xx JSON errors naming the field; a store that
 * cannot be read is a 503; nothing else should happen, and if it does it is a logged 500 without details.
 */
final class ApiHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

    /** Minute partitions are one file per day: a request may span at most this many days of them. */
    static final int MAX_MINUTE_DAYS = 31;
    static final int MAX_RUNS = 10_000;

    private static final Set<String> BARS_PARAMS = Set.of("ticker", "from", "to", "timespan", "adjusted", "format");
    private static final Set<String> LATEST_PARAMS = Set.of("tickers", "timespan", "adjusted");
    private static final Set<String> RUNS_PARAMS = Set.of("limit");
    private static final Set<String> STREAM_PARAMS = Set.of("tickers", "timespan", "adjusted", "date");

    /** A settled range may still be corrected by a later ingest; browsers re-check it after this long. */
    static final String SETTLED_CACHE = "public, max-age=3600";
    static final String LIVE_CACHE = "no-cache";

    private final Store store;
    private final BarChanges changes;
    private final Clock clock;
    private final Semaphore streams;
    private final EventStreams eventStreams;

    ApiHandler(Store store, BarChanges changes, Clock clock, int maxStreams) {
        this.store = store;
        this.changes = changes;
        this.clock = clock;
        this.streams = new Semaphore(maxStreams);
        this.eventStreams = new EventStreams(changes);
    }

    void close() {
        eventStreams.close();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            boolean head = method.equals("HEAD");
            try {
                if (!method.equals("GET") && !head) {
                    exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                    throw new ApiException(405, null, "method " + QueryParams.echo(method)
                            + " is not allowed: this API is read-only (GET, HEAD)");
                }
                checkHost(exchange);
                route(exchange, head);
            } catch (ApiException e) {
                error(exchange, head, e.status(), e.field(), e.getMessage());
            } catch (StoreException e) {
                LOG.warn("store read failed for {}: {}", exchange.getRequestURI().getRawPath(), e.getMessage());
                error(exchange, head, 503, null, "the store cannot be read right now");
            } catch (IOException e) {
                throw e; // the client went away; nothing to answer
            } catch (RuntimeException e) {
                LOG.error("unexpected failure answering {}", exchange.getRequestURI().getRawPath(), e);
                error(exchange, head, 500, null, "internal error");
            }
        }
    }

    private void route(HttpExchange exchange, boolean head) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String query = exchange.getRequestURI().getRawQuery();
        switch (path) {
            case "/v1/bars" -> bars(exchange, head, QueryParams.parse(query, BARS_PARAMS));
            case "/v1/latest" -> latest(exchange, head, QueryParams.parse(query, LATEST_PARAMS));
            case "/v1/runs" -> runs(exchange, head, QueryParams.parse(query, RUNS_PARAMS));
            case "/v1/stream" -> stream(exchange, head, QueryParams.parse(query, STREAM_PARAMS));
            default -> {
                Assets.Asset asset = Assets.at(path);
                if (asset == null) {
                    throw new ApiException(404, null, "no such endpoint: " + QueryParams.echo(path)
                            + " (try /v1/bars, /v1/latest, /v1/runs, /v1/stream or /)");
                }
                send(exchange, head, 200, asset.contentType(), asset.cacheControl(), Assets.etag(asset.resource()),
                        Assets.bytes(asset.resource()));
            }
        }
    }

    private void bars(HttpExchange exchange, boolean head, QueryParams q) throws IOException {
        String ticker = q.ticker("ticker");
        LocalDate from = q.date("from");
        LocalDate to = q.date("to");
        Timespan timespan = q.timespan("timespan", Timespan.DAY);
        boolean adjusted = q.bool("adjusted", defaultAdjusted(timespan));
        BarFormat format = q.format("format", BarFormat.NDJSON);
        if (from.isAfter(to)) {
            throw ApiException.badRequest("from", from + " is after to: " + to);
        }
        if (timespan == Timespan.MINUTE && ChronoUnit.DAYS.between(from, to) >= MAX_MINUTE_DAYS) {
            throw ApiException.badRequest("to", "minute bars are served for at most " + MAX_MINUTE_DAYS
                    + " days a request; " + from + ".." + to + " is longer");
        }
        byte[] body = format.encode(StoreReads.bars(store, ticker, timespan, adjusted, from, to));
        send(exchange, head, 200, format.contentType(), settled(to) ? SETTLED_CACHE : LIVE_CACHE, ETags.of(body),
                body);
    }

    /**
     * Whether bars up to {@code to} are final as far as this server can tell: the range ends before the last
     * completed session (whose bar may still be corrected the next morning, and whose minutes the stream may still
     * repair). Answers carry an ETag either way; this only decides how long a browser may reuse one unasked.
     */
    boolean settled(LocalDate to) {
        LocalDate today = today();
        return to.isBefore(TradingCalendar.nyse().previousTradingDay(today));
    }

    private void latest(HttpExchange exchange, boolean head, QueryParams q) throws IOException {
        List<String> tickers = q.tickers("tickers");
        Timespan timespan = q.timespan("timespan", Timespan.DAY);
        boolean adjusted = q.bool("adjusted", defaultAdjusted(timespan));
        LocalDate today = today();
        StringBuilder json = new StringBuilder("{");
        for (String ticker : tickers) {
            Optional<Bar> last = StoreReads.latest(store, ticker, timespan, adjusted, today);
            json.append(json.length() > 1 ? "," : "").append('"').append(ticker).append("\":")
                    .append(last.map(Bar::toJson).orElse("null"));
        }
        byte[] body = json.append('}').toString().getBytes(StandardCharsets.UTF_8);
        send(exchange, head, 200, "application/json", LIVE_CACHE, ETags.of(body), body);
    }

    private void runs(HttpExchange exchange, boolean head, QueryParams q) throws IOException {
        int limit = q.integer("limit", 100, 1, MAX_RUNS);
        List<RunRecord> runs = store.runs();
        byte[] body = JsonCodec.toJsonArray(runs.subList(0, Math.min(limit, runs.size())));
        send(exchange, head, 200, "application/json", LIVE_CACHE, ETags.of(body), body);
    }

    private void stream(HttpExchange exchange, boolean head, QueryParams q) throws IOException {
        List<String> tickers = q.tickers("tickers");
        Timespan timespan = q.timespan("timespan", Timespan.MINUTE);
        boolean adjusted = q.bool("adjusted", defaultAdjusted(timespan));
        LocalDate date = q.date("date", null);
        if (head) {
            send(exchange, true, 200, EventStreams.CONTENT_TYPE, LIVE_CACHE, null, new byte[0]);
            return;
        }
        if (!streams.tryAcquire()) {
            throw new ApiException(503, null, "too many open streams; try again later");
        }
        try {
            eventStreams.serve(exchange, new BarChanges.Watch(tickers, timespan, adjusted, date));
        } finally {
            streams.release();
        }
    }

    /**
     * Day bars are read split-adjusted unless asked otherwise, as {@code bars} does. Minute bars come from the
     * WebSocket stream, which sends unadjusted prices, so their dataset is the unadjusted one.
     */
    static boolean defaultAdjusted(Timespan timespan) {
        return timespan == Timespan.DAY;
    }

    private LocalDate today() {
        return clock.instant().atZone(MarketTime.ZONE).toLocalDate();
    }

    /**
     * When the server listens on a loopback address, only requests addressed to a loopback name are answered: a web
     * page elsewhere cannot rebind its own host name to 127.0.0.1 and read the store through a visitor's browser.
     */
    private static void checkHost(HttpExchange exchange) {
        InetSocketAddress local = exchange.getLocalAddress();
        if (local == null || !local.getAddress().isLoopbackAddress()) {
            return;
        }
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (host == null) {
            return; // HTTP/1.0 without Host: no browser sends that
        }
        String name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[")) {
            int close = name.indexOf(']');
            name = close < 0 ? name : name.substring(1, close);
        } else if (name.indexOf(':') >= 0) {
            name = name.substring(0, name.indexOf(':'));
        }
        if (name.equals("localhost") || isLoopbackLiteral(name)) {
            return;
        }
        throw new ApiException(403, "Host", "Host: '" + QueryParams.echo(host) + "' is not a loopback name; this"
                + " server listens on " + local.getAddress().getHostAddress() + " only");
    }

    private static boolean isLoopbackLiteral(String name) {
        if (!name.matches("[0-9.]+|[0-9a-f:]+")) {
            return false; // never resolve a name from a request
        }
        try {
            return InetAddress.getByName(name).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    static void send(HttpExchange exchange, boolean head, int status, String contentType, String cacheControl,
                     String etag, byte[] body) throws IOException {
        Headers h = exchange.getResponseHeaders();
        h.set("Content-Type", contentType);
        h.set("X-Content-Type-Options", "nosniff");
        if (cacheControl != null) {
            h.set("Cache-Control", cacheControl);
        }
        if (etag != null) {
            h.set("ETag", etag);
            if (status == 200 && ETags.matches(exchange.getRequestHeaders().getFirst("If-None-Match"), etag)) {
                exchange.sendResponseHeaders(304, -1);
                return;
            }
        }
        if (head) {
            h.set("Content-Length", Long.toString(body.length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static final ObjectMapper ERRORS = new ObjectMapper();

    /** {@code {"error":{"status":400,"field":"from","message":"from: ..."}}}. */
    static void error(HttpExchange exchange, boolean head, int status, String field, String message)
            throws IOException {
        ObjectNode root = ERRORS.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("status", status);
        error.put("field", field);
        error.put("message", message);
        byte[] body;
        try {
            body = ERRORS.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            body = "{\"error\":{\"status\":500}}".getBytes(StandardCharsets.UTF_8);
        }
        send(exchange, head, status, "application/json", "no-store", null, body);
    }
}
