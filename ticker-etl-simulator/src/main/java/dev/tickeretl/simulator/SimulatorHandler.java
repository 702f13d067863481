package dev.tickeretl.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tickeretl.MarketTime;
import dev.tickeretl.Timespan;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Answers one exchange: latency, key check, rate limit, fault, then the endpoint. Every answer is journaled before
 * its first byte leaves, so a client that has seen a response always finds it in the request log.
 */
final class SimulatorHandler {

    private static final JsonFactory JSON = PolygonJson.FACTORY;
    private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern DIGITS = Pattern.compile("\\d{1,18}");
    private static final Set<String> POLYGON_TIMESPANS =
            Set.of("second", "minute", "hour", "day", "week", "month", "quarter", "year");
    private static final int MAX_LIMIT = 50_000;
    private static final int DEFAULT_LIMIT = 5_000;
    private static final String REDACTED = "REDACTED";
    private static final String RATE_LIMIT_MESSAGE = "You've exceeded the maximum requests per minute, please wait or "
            + "upgrade your subscription to continue. https://polygon.io/pricing";
    private static final byte[] HTML_PAGE = ("<!DOCTYPE html>\n<html><head><title>Service temporarily unavailable"
            + "</title></head>\n<body><h1>Service temporarily unavailable</h1><p>Please try again in a few moments."
            + "</p></body></html>\n").getBytes(StandardCharsets.UTF_8);

    private final SimulatorConfig config;
    private final SyntheticMarket market;
    private final String baseUrl;
    private final SlidingWindowLimiter limiter;
    private final ActiveFaults faults;
    private final RequestJournal journal;
    private final AtomicLong arrivals = new AtomicLong();

    SimulatorHandler(SimulatorConfig config, SyntheticMarket market, String baseUrl, ActiveFaults faults,
                     RequestJournal journal) {
        this.config = config;
        this.market = market;
        this.baseUrl = baseUrl;
        this.limiter = config.rateLimitPermits() > 0
                ? new SlidingWindowLimiter(config.rateLimitPermits(), config.rateLimitWindow().toNanos())
                : null;
        this.faults = faults;
        this.journal = journal;
    }

    void handle(HttpExchange exchange) throws IOException {
        long sequence = arrivals.incrementAndGet();
        if (!config.latency().isZero()) {
            try {
                Thread.sleep(config.latency().toMillis(), config.latency().toNanosPart() % 1_000_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.abort();
                return;
            }
        }
        answer(exchange, sequence);
    }

    private void answer(HttpExchange exchange, long sequence) throws IOException {
        HttpRequest request = exchange.request();
        String method = request.method();
        String rawPath = request.rawPath();
        String rawQuery = request.rawQuery();
        String token = bearerToken(request.headers());
        String requestId = requestId(sequence);
        Journal entry = (status, fault) -> journal.append(new RecordedRequest(sequence, method, rawPath,
                redactQuery(rawQuery), redactHeaders(request.headers()), token != null, status, fault));

        if (config.requiredKey() != null && !keyMatches(token)) {
            send(exchange, error(401, "ERROR", token == null ? "API Key was not provided" : "Unknown API Key",
                    requestId), entry);
            return;
        }
        if (limiter != null) {
            long waitNanos = limiter.tryAcquire(System.nanoTime());
            if (waitNanos > 0) {
                exchange.header("Retry-After", Long.toString(retryAfterSeconds(waitNanos)));
                send(exchange, error(429, "ERROR", RATE_LIMIT_MESSAGE, requestId), entry);
                return;
            }
        }
        Fault fault = faults.next(rawQuery.isEmpty() ? rawPath : rawPath + "?" + rawQuery);
        Reply reply;
        try {
            reply = route(method, rawPath, rawQuery, requestId);
        } catch (RuntimeException e) {
            reply = error(500, "ERROR", "simulator failure: " + e, requestId);
        }
        if (fault == null) {
            send(exchange, reply, entry);
        } else {
            sendFault(exchange, fault, reply, requestId, entry);
        }
    }

    /** Whole seconds, rounded up: a client that waits this long is sure to be let through. */
    static long retryAfterSeconds(long waitNanos) {
        return Math.max(1L, (waitNanos + 999_999_999L) / 1_000_000_000L);
    }

    // ---- endpoints --------------------------------------------------------------------------------------------

    private Reply route(String method, String rawPath, String rawQuery, String requestId) {
        if (!method.equals("GET")) {
            return error(405, "ERROR", "Method " + method + " is not allowed; the simulator serves GET", requestId);
        }
        String[] seg = rawPath.split("/", -1);
        try {
            if (seg.length == 10 && seg[0].isEmpty() && seg[1].equals("v2") && seg[2].equals("aggs")
                    && seg[3].equals("ticker") && seg[5].equals("range")) {
                return range(seg, query(rawQuery), requestId);
            }
            if (seg.length == 9 && seg[0].isEmpty() && seg[1].equals("v2") && seg[2].equals("aggs")
                    && seg[3].equals("grouped") && seg[4].equals("locale") && seg[5].equals("us")
                    && seg[6].equals("market") && seg[7].equals("stocks")) {
                return grouped(decodeSegment(seg[8]), query(rawQuery), requestId);
            }
        } catch (BadRequest e) {
            return error(400, "ERROR", e.getMessage(), requestId);
        } catch (IllegalArgumentException | DateTimeException e) {
            // Malformed escapes, or a date the calendar cannot place.
            return error(400, "ERROR", "Bad request: " + e.getMessage(), requestId);
        }
        if (rawPath.equals(StreamHub.PATH)) {
            return error(426, "ERROR", "The stream at " + StreamHub.PATH + " speaks WebSocket: send an upgrade request",
                    requestId);
        }
        return error(404, "NOT_FOUND", "The requested resource was not found", requestId);
    }

    private Reply range(String[] seg, Map<String, String> query, String requestId) {
        String rawTicker = seg[4];
        String ticker = decodeSegment(rawTicker);
        String multiplier = seg[6];
        String timespanName = decodeSegment(seg[7]);
        String from = decodeSegment(seg[8]);
        String to = decodeSegment(seg[9]);
        if (!DIGITS.matcher(multiplier).matches()) {
            throw new BadRequest("Invalid multiplier: '" + multiplier + "' is not a positive integer");
        }
        if (!multiplier.equals("1")) {
            throw new BadRequest("The simulator serves multiplier 1 only, got " + multiplier);
        }
        Timespan timespan;
        if (timespanName.equals("day")) {
            timespan = Timespan.DAY;
        } else if (timespanName.equals("minute")) {
            timespan = Timespan.MINUTE;
        } else if (POLYGON_TIMESPANS.contains(timespanName)) {
            throw new BadRequest("The simulator serves timespan 'day' and 'minute' only, got '" + timespanName + "'");
        } else {
            throw new BadRequest("Invalid timespan: '" + timespanName + "'");
        }
        Map<String, String> params = query.containsKey("cursor") ? decodeCursor(query.get("cursor")) : query;
        boolean adjusted = parseAdjusted(params.get("adjusted"));
        String sort = params.getOrDefault("sort", "asc");
        if (!sort.equals("asc") && !sort.equals("desc")) {
            throw new BadRequest("Invalid sort: '" + sort + "', expected 'asc' or 'desc'");
        }
        int limit = parseLimit(params.get("limit"));
        long lo = bound(from, "from", false);
        long hi = bound(to, "to", true);
        if (lo > hi) {
            throw new BadRequest("The 'from' parameter (" + from + ") must not be after 'to' (" + to + ")");
        }
        boolean descending = sort.equals("desc");
        int page = Math.min(limit, config.pageSize());
        List<SimulatedBar> bars = market.range(ticker, timespan, lo, hi, descending, adjusted, page + 1);
        String nextUrl = null;
        if (bars.size() > page) {
            long resumeAt = bars.get(page).t();
            bars = bars.subList(0, page);
            // Like Polygon: the next page is the same query narrowed to start at the next bar, plus an opaque cursor.
            nextUrl = baseUrl + "/v2/aggs/ticker/" + rawTicker + "/range/1/" + timespanName + "/"
                    + (descending ? seg[8] + "/" + resumeAt : resumeAt + "/" + seg[9])
                    + "?cursor=" + encodeCursor(adjusted, sort, limit);
        }
        List<SimulatedBar> results = bars;
        String next = nextUrl;
        return json(200, gen -> {
            gen.writeStartObject();
            gen.writeStringField("ticker", ticker);
            gen.writeNumberField("queryCount", results.size());
            gen.writeNumberField("resultsCount", results.size());
            gen.writeBooleanField("adjusted", adjusted);
            writeResults(gen, results, false);
            gen.writeStringField("status", config.delayed() ? "DELAYED" : "OK");
            gen.writeStringField("request_id", requestId);
            gen.writeNumberField("count", results.size());
            if (next != null) {
                gen.writeStringField("next_url", next);
            }
            gen.writeEndObject();
        });
    }

    private Reply grouped(String date, Map<String, String> query, String requestId) {
        if (!ISO_DATE.matcher(date).matches()) {
            throw new BadRequest("Could not parse the date parameter: '" + date + "'. Use YYYY-MM-DD");
        }
        LocalDate day;
        try {
            day = LocalDate.parse(date);
        } catch (DateTimeException e) {
            throw new BadRequest("Could not parse the date parameter: '" + date + "'. Use YYYY-MM-DD");
        }
        boolean adjusted = parseAdjusted(query.get("adjusted"));
        List<SimulatedBar> results = market.grouped(day, adjusted);
        return json(200, gen -> {
            gen.writeStartObject();
            gen.writeNumberField("queryCount", results.size());
            gen.writeNumberField("resultsCount", results.size());
            gen.writeBooleanField("adjusted", adjusted);
            writeResults(gen, results, true);
            gen.writeStringField("status", config.delayed() ? "DELAYED" : "OK");
            gen.writeStringField("request_id", requestId);
            gen.writeEndObject();
        });
    }

    // Polygon leaves "results" out entirely when there are none.
    private static void writeResults(JsonGenerator gen, List<SimulatedBar> bars, boolean withSymbol)
            throws IOException {
        if (bars.isEmpty()) {
            return;
        }
        gen.writeArrayFieldStart("results");
        for (SimulatedBar bar : bars) {
            gen.writeStartObject();
            if (withSymbol) {
                gen.writeStringField("T", bar.ticker());
            }
            writeNumber(gen, "v", bar.volume());
            if (bar.vwap() != null) {
                writeNumber(gen, "vw", bar.vwap());
            }
            writeNumber(gen, "o", bar.open());
            writeNumber(gen, "c", bar.close());
            writeNumber(gen, "h", bar.high());
            writeNumber(gen, "l", bar.low());
            gen.writeNumberField("t", bar.t());
            if (bar.transactions() != null) {
                gen.writeNumberField("n", bar.transactions());
            }
            gen.writeEndObject();
        }
        gen.writeEndArray();
    }

    private static void writeNumber(JsonGenerator gen, String field, double value) throws IOException {
        PolygonJson.writeNumber(gen, field, value);
    }

    // ---- parameters -------------------------------------------------------------------------------------------

    private static long bound(String value, String name, boolean endOfDay) {
        if (ISO_DATE.matcher(value).matches()) {
            LocalDate date;
            try {
                date = LocalDate.parse(value);
            } catch (DateTimeException e) {
                throw new BadRequest(unparseableTime(name));
            }
            return endOfDay ? MarketTime.startOfDayMs(date.plusDays(1)) - 1 : MarketTime.startOfDayMs(date);
        }
        if (DIGITS.matcher(value).matches()) {
            return Long.parseLong(value);
        }
        throw new BadRequest(unparseableTime(name));
    }

    private static String unparseableTime(String name) {
        return "Could not parse the time parameter: '" + name + "'. Use YYYY-MM-DD or Unix MS Timestamps";
    }

    private static boolean parseAdjusted(String value) {
        if (value == null || value.equals("true")) {
            return true;
        }
        if (value.equals("false")) {
            return false;
        }
        throw new BadRequest("Invalid adjusted: '" + value + "', expected 'true' or 'false'");
    }

    private static int parseLimit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        if (!DIGITS.matcher(value).matches() || Long.parseLong(value) < 1) {
            throw new BadRequest("Invalid limit: '" + value + "', expected a positive integer");
        }
        return (int) Math.min(MAX_LIMIT, Long.parseLong(value));
    }

    private static String encodeCursor(boolean adjusted, String sort, int limit) {
        String state = "adjusted=" + adjusted + "&sort=" + sort + "&limit=" + limit;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(state.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> decodeCursor(String cursor) {
        try {
            String state = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            Map<String, String> params = query(state);
            if (!params.keySet().equals(Set.of("adjusted", "sort", "limit"))) {
                throw new BadRequest("Invalid cursor");
            }
            return params;
        } catch (IllegalArgumentException e) {
            throw new BadRequest("Invalid cursor");
        }
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> params = new HashMap<>();
        if (rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.putIfAbsent(key, value);
        }
        return params;
    }

    // Percent-decoding only: a '+' in a path segment is a plus, not a space.
    private static String decodeSegment(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    // ---- keys and redaction -----------------------------------------------------------------------------------

    private static String bearerToken(Map<String, List<String>> headers) {
        List<String> values = headers.get("Authorization");
        if (values == null) {
            return null;
        }
        for (String value : values) {
            if (value.regionMatches(true, 0, "Bearer ", 0, 7) && !value.substring(7).isBlank()) {
                return value.substring(7).trim();
            }
        }
        return null;
    }

    private boolean keyMatches(String token) {
        // Constant-time, so response timing does not hint at how much of a guessed key was right.
        return token != null && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                config.requiredKey().getBytes(StandardCharsets.UTF_8));
    }

    private Map<String, List<String>> redactHeaders(Map<String, List<String>> headers) {
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> {
            List<String> redacted = new ArrayList<>(values.size());
            for (String value : values) {
                if (name.equalsIgnoreCase("Authorization")) {
                    redacted.add(value.regionMatches(true, 0, "Bearer ", 0, 7) ? "Bearer " + REDACTED : REDACTED);
                } else {
                    redacted.add(scrubKey(value));
                }
            }
            copy.put(name, List.copyOf(redacted));
        });
        return java.util.Collections.unmodifiableMap(copy);
    }

    private String redactQuery(String rawQuery) {
        if (rawQuery.isEmpty()) {
            return rawQuery;
        }
        String[] pairs = rawQuery.split("&", -1);
        for (int i = 0; i < pairs.length; i++) {
            int eq = pairs[i].indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pairs[i] : pairs[i].substring(0, eq), StandardCharsets.UTF_8);
            if (key.equalsIgnoreCase("apiKey")) {
                pairs[i] = (eq < 0 ? pairs[i] : pairs[i].substring(0, eq)) + "=" + REDACTED;
            }
        }
        return scrubKey(String.join("&", pairs));
    }

    private String scrubKey(String value) {
        String key = config.requiredKey();
        return key == null || key.isEmpty() ? value : value.replace(key, REDACTED);
    }

    private String requestId(long sequence) {
        return hex16(Noise.hash(config.seed(), sequence, 1)) + hex16(Noise.hash(config.seed(), sequence, 2));
    }

    private static String hex16(long value) {
        String hex = Long.toHexString(value);
        return "0".repeat(16 - hex.length()) + hex;
    }

    // ---- answering --------------------------------------------------------------------------------------------

    private static Reply error(int status, String polygonStatus, String message, String requestId) {
        // Polygon puts the text under "message" for NOT_FOUND/NOT_AUTHORIZED and under "error" for ERROR.
        String field = polygonStatus.equals("ERROR") ? "error" : "message";
        return json(status, gen -> {
            gen.writeStartObject();
            gen.writeStringField("status", polygonStatus);
            gen.writeStringField("request_id", requestId);
            gen.writeStringField(field, message);
            gen.writeEndObject();
        });
    }

    private static Reply json(int status, JsonBody body) {
        return new Reply(status, body);
    }

    private static final String JSON_TYPE = "application/json; charset=utf-8";

    private static void send(HttpExchange exchange, Reply reply, Journal entry) throws IOException {
        entry.record(reply.status(), null);
        if (reply.status() == 200) {
            // Data pages can be large: stream them (chunked) straight from the generator.
            try (OutputStream out = exchange.sendChunked(200, JSON_TYPE)) {
                reply.writeTo(out);
            }
        } else {
            exchange.sendFixed(reply.status(), JSON_TYPE, reply.bytes());
        }
    }

    private static void sendFault(HttpExchange exchange, Fault fault, Reply reply, String requestId, Journal entry)
            throws IOException {
        switch (fault) {
            case HTTP_500 -> send(exchange, error(500, "ERROR", "Internal Server Error", requestId),
                    (status, f) -> entry.record(status, fault));
            case HTTP_502 -> send(exchange, error(502, "ERROR", "Bad Gateway", requestId),
                    (status, f) -> entry.record(status, fault));
            case HTTP_503 -> send(exchange, error(503, "ERROR", "Service Unavailable", requestId),
                    (status, f) -> entry.record(status, fault));
            case HTTP_429 -> send(exchange, error(429, "ERROR", RATE_LIMIT_MESSAGE, requestId),
                    (status, f) -> entry.record(status, fault));
            case CONNECTION_RESET -> {
                entry.record(0, fault);
                exchange.abort();
            }
            case MALFORMED_JSON -> {
                byte[] body = reply.bytes();
                entry.record(200, fault);
                exchange.sendFixed(200, JSON_TYPE, Arrays.copyOf(body, body.length / 2));
            }
            case HTML_PAGE -> {
                entry.record(200, fault);
                exchange.sendFixed(200, "text/html; charset=utf-8", HTML_PAGE);
            }
            case TRUNCATED_BODY -> {
                byte[] body = reply.bytes();
                entry.record(200, fault);
                exchange.sendTruncated(200, JSON_TYPE, body, body.length / 2);
            }
            default -> throw new IllegalStateException("unhandled fault " + fault);
        }
    }

    @FunctionalInterface
    private interface JsonBody {
        void write(JsonGenerator gen) throws IOException;
    }

    @FunctionalInterface
    private interface Journal {
        void record(int status, Fault fault);
    }

    private record Reply(int status, JsonBody body) {

        void writeTo(OutputStream out) throws IOException {
            try (JsonGenerator gen = JSON.createGenerator(out)) {
                body.write(gen);
            }
        }

        byte[] bytes() {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            try {
                writeTo(buffer);
            } catch (IOException e) {
                throw new IllegalStateException("cannot render a reply in memory", e);
            }
            return buffer.toByteArray();
        }
    }

    /** A parameter Polygon would reject with 400; the message is the error text. */
    private static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message, null, false, false);
        }
    }
}
