package dev.tickeretl.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A test's view of the simulator's stream through the JDK's own WebSocket client: every message as received (with
 * how many parts it came in), every event flattened, the close or error that ended it. Waits are bounded.
 */
final class StreamClient implements WebSocket.Listener, AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(20);

    /** One text message: the JSON array and the number of onText parts it arrived in. */
    record Message(String text, int parts) {
        JsonNode json() {
            try {
                return new ObjectMapper().readTree(text);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + text, e);
            }
        }
    }

    private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final List<JsonNode> pending = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private int parts;
    private final WebSocket socket;
    final LinkedBlockingQueue<String> pongs = new LinkedBlockingQueue<>();
    volatile int amReceived;
    /** The stream's delivered-events count when this client joined (tests with one reader at a time). */
    volatile long baseline;
    volatile Integer closeCode;
    volatile Throwable error;
    final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final boolean autoRequest;

    private StreamClient(String url, boolean autoRequest) {
        this.autoRequest = autoRequest;
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(url), this).orTimeout(10, TimeUnit.SECONDS).join();
    }

    static StreamClient connect(String url) {
        return new StreamClient(url, true);
    }

    /** A client that reads nothing after the first message: TCP backpressure reaches the server. */
    static StreamClient connectNotReading(String url) {
        return new StreamClient(url, false);
    }

    WebSocket socket() {
        return socket;
    }

    void send(String text) {
        socket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** Connects, authenticates with {@code key}, and returns after the auth answer; fails unless it succeeded. */
    static StreamClient authenticated(String url, String key) throws InterruptedException {
        StreamClient client = connect(url);
        client.expectStatus("connected");
        client.send("{\"action\":\"auth\",\"params\":\"" + key + "\"}");
        client.expectStatus("auth_success");
        return client;
    }

    /** Subscribes and waits for one ack per topic. */
    void subscribe(String params) throws InterruptedException {
        send("{\"action\":\"subscribe\",\"params\":\"" + params + "\"}");
        int topics = params.split(",").length;
        for (int i = 0; i < topics; i++) {
            expectStatus("success");
        }
    }

    /** The next message, waiting at most {@link #WAIT}. */
    Message next() throws InterruptedException {
        Object item = inbox.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (item == null) {
            throw new AssertionError("no message within " + WAIT);
        }
        if (item instanceof Message message) {
            return message;
        }
        throw new AssertionError("the connection ended: " + item);
    }

    /** Waits for the next status event, failing on anything else first. */
    JsonNode expectStatus(String status) throws InterruptedException {
        JsonNode event = nextEvent(e -> true);
        if (!event.path("ev").asText().equals("status") || !event.path("status").asText().equals(status)) {
            throw new AssertionError("expected status " + status + ", got " + event);
        }
        return event;
    }

    /** The next event (element of a message's array) that matches, skipping others. */
    JsonNode nextEvent(Predicate<JsonNode> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            while (!pending.isEmpty()) {
                JsonNode event = pending.remove(0);
                if (wanted.test(event)) {
                    return event;
                }
            }
            Message message = next();
            message.json().forEach(pending::add);
        }
        throw new AssertionError("no matching event within " + WAIT);
    }

    /** Every AM event received until {@code done} holds for the list so far (bounded by {@link #WAIT}). */
    List<JsonNode> collectAm(Predicate<List<JsonNode>> done) throws InterruptedException {
        List<JsonNode> am = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.test(am)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not done within " + WAIT + "; got " + am.size() + " AM events");
            }
            JsonNode event = nextEvent(e -> true);
            if (event.path("ev").asText().equals("AM")) {
                am.add(event);
                amReceived++;
            }
        }
        return am;
    }

    /** Waits until the server ended the connection (close frame or error); returns the close code or -1. */
    int awaitEnd() {
        try {
            ended.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("the connection did not end within " + WAIT, e);
        }
        return closeCode == null ? -1 : closeCode;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        parts++;
        if (last) {
            inbox.add(new Message(partial.toString(), parts));
            partial.setLength(0);
            parts = 0;
            if (!autoRequest) {
                return null;
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        byte[] bytes = new byte[message.remaining()];
        message.get(bytes);
        pongs.add(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        inbox.add("binary");
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode = statusCode;
        inbox.add("close " + statusCode + " " + reason);
        ended.complete(null);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        this.error = error;
        inbox.add("error " + error);
        ended.complete(null);
    }

    @Override
    public void close() {
        socket.abort();
    }
}
