package dev.tickeretl.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tickeretl.Bar;
import dev.tickeretl.Store;
import dev.tickeretl.TradingCalendar;
import dev.tickeretl.internal.DataStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A file store in a temp directory, writers for it (bars exactly as given, or the core's {@link DataStore} as an
 * ingest or stream writes), and a {@link BarServer} over it on a free loopback port.
 */
final class ServedStore implements AutoCloseable {

    /** 10:00 in New York on Wednesday 2025-03-05: "today" for every server under test. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-05T15:00:00Z"), ZoneOffset.UTC);
    /** Plain JSON for answers; bars in them are read with {@link Bar#parse}, the contract's own reader. */
    static final ObjectMapper JSON = new ObjectMapper();

    final URI uri;
    /** The core's store on the same directory, writing as a run does (runs, tagged day bars, segments). */
    final DataStore data;
    final Store store;
    final BarServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ServedStore(URI uri, DataStore data, Store store, BarServer server) {
        this.uri = uri;
        this.data = data;
        this.store = store;
        this.server = server;
    }

    static ServedStore start(Path dir) {
        return start(dir, Map.of(), b -> b);
    }

    /** {@code recording:} store (see {@link RecordingStoreProvider}) with {@code options}, server as configured. */
    static ServedStore start(Path dir, Map<String, String> options, UnaryOperator<BarServer.Builder> settings) {
        URI file = dir.toUri();
        DataStore data = new DataStore(StoredBars.fileStorage(dir), TradingCalendar.nyse());
        Store store = Store.open(URI.create("recording:" + dir.toAbsolutePath()), options);
        BarServer server = settings.apply(BarServer.builder(store).port(0).clock(CLOCK)).start();
        return new ServedStore(file, data, store, server);
    }

    /** A bar inside a JSON answer, read as the contract line it is. */
    static Bar bar(JsonNode node) {
        return Bar.parse(node.toString());
    }

    /** Stores {@code bars} exactly as given (see {@link StoredBars}). */
    void write(List<Bar> bars) {
        StoredBars.put(data.storage(), bars);
    }

    URI at(String pathAndQuery) {
        return server.uri().resolve(pathAndQuery);
    }

    Response get(String pathAndQuery, String... headers) {
        return send("GET", pathAndQuery, headers);
    }

    Response send(String method, String pathAndQuery, String... headers) {
        if (!isUri(pathAndQuery)) {
            return raw(method + " " + pathAndQuery, "127.0.0.1:" + server.port());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(at(pathAndQuery)).timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            HttpResponse<byte[]> r = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static boolean isUri(String pathAndQuery) {
        try {
            new URI(pathAndQuery);
            return true;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /**
     * A request written by hand on a socket, for what HTTP clients refuse to send: a request target that is not a
     * URI, or a foreign Host header.
     */
    Response raw(String methodAndTarget, String host) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write((methodAndTarget + " HTTP/1.1\r\nHost: " + host
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            byte[] all = socket.getInputStream().readAllBytes();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int split = text.indexOf("\r\n\r\n");
            String[] head = text.substring(0, split).split("\r\n");
            java.util.Map<String, List<String>> fields = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                fields.computeIfAbsent(head[i].substring(0, colon).trim(), k -> new java.util.ArrayList<>())
                        .add(head[i].substring(colon + 1).trim());
            }
            byte[] body = java.util.Arrays.copyOfRange(all, split + 4, all.length);
            return new Response(Integer.parseInt(head[0].split(" ")[1]), HttpHeaders.of(fields, (a, b) -> true),
                    body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        store.close();
        data.close();
    }

    record Response(int status, HttpHeaders headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + text(), e);
            }
        }

        /** The answer read as bars, one data-contract line each (ndjson). */
        List<Bar> bars() {
            return text().lines().map(Bar::parse).toList();
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }
}
