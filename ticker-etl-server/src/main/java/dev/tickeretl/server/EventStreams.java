package dev.tickeretl.server;

import com.sun.net.httpserver.HttpExchange;
import dev.tickeretl.Bar;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code /v1/stream}: Server-Sent Events, one {@code bar} event per new or changed bar, its data the bar's
 * data-contract line. A new client first gets every bar of the watched day that is stored now. Each stream holds
 * one thread; a comment line every {@link #KEEP_ALIVE_MS} ms keeps proxies from closing it and tells the server
 * when the client has gone.
 */
final class EventStreams {

    static final String CONTENT_TYPE = "text/event-stream; charset=utf-8";
    static final long KEEP_ALIVE_MS = 15_000;
    /** Bars waiting for a client that reads too slowly; past this the stream ends and the client reconnects. */
    static final int MAX_QUEUED = 100_000;

    private final BarChanges changes;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<Thread> serving = new ArrayList<>();

    EventStreams(BarChanges changes) {
        this.changes = changes;
    }

    /** Streams until the client leaves, it falls too far behind, or the server closes. */
    void serve(HttpExchange exchange, BarChanges.Watch watch) throws IOException {
        BlockingQueue<Bar> queue = new LinkedBlockingQueue<>(MAX_QUEUED);
        AtomicBoolean overflowed = new AtomicBoolean();
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
        // Watch before answering, so a watch that cannot start is still an error status, not a broken stream.
        try (AutoCloseable ignored = changes.watch(watch, bar -> {
            if (!queue.offer(bar)) {
                overflowed.set(true);
            }
        })) {
            exchange.sendResponseHeaders(200, 0);
            register();
            try {
                pump(exchange.getResponseBody(), watch, queue, overflowed);
            } finally {
                unregister();
            }
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop watching " + watch, e);
        }
    }

    private void pump(OutputStream out, BarChanges.Watch watch, BlockingQueue<Bar> queue, AtomicBoolean overflowed)
            throws IOException {
        write(out, "retry: 2000\n: watching " + String.join(",", watch.tickers()) + " " + watch.timespan().wireName()
                + " bars" + (watch.date() == null ? " of today (New York)" : " of " + watch.date()) + "\n\n");
        List<Bar> batch = new ArrayList<>();
        while (!closed.get()) {
            Bar next;
            try {
                next = queue.poll(KEEP_ALIVE_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (overflowed.get()) {
                write(out, "event: overflow\ndata: {\"message\":\"the client read too slowly; reconnect\"}\n\n");
                return;
            }
            if (next == null) {
                write(out, ": keep-alive\n\n");
                continue;
            }
            batch.clear();
            batch.add(next);
            queue.drainTo(batch, 999);
            StringBuilder events = new StringBuilder(batch.size() * 360);
            for (Bar bar : batch) {
                events.append("event: bar\ndata: ").append(bar.toJson()).append("\n\n");
            }
            write(out, events.toString());
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private synchronized void register() {
        serving.add(Thread.currentThread());
    }

    private synchronized void unregister() {
        serving.remove(Thread.currentThread());
    }

    /** Ends every stream: their threads wake from waiting and return. */
    synchronized void close() {
        closed.set(true);
        for (Thread t : serving) {
            t.interrupt();
        }
    }
}
