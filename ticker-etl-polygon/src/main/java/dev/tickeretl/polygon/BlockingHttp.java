package dev.tickeretl.polygon;

import dev.tickeretl.internal.DaemonThreads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * HTTP/1.1 GETs that block the calling thread ({@link HttpURLConnection}, keep-alive connections reused by the
 * JDK). The worker that sends a request reads its answer itself, as Python's http.client does: no hand-off to a
 * selector thread and an executor and back, which cost the JDK's asynchronous HttpClient 2–3 ms per request on a
 * busy two-core machine (docs/benchmarks.md, issue 10).
 *
 * <p>Each exchange, body included, is bounded by the request timeout: a watchdog thread drops the connection of an
 * exchange past its deadline, so neither a silent server nor one that trickles bytes holds a worker longer.
 * {@link #close()} drops every connection in flight.
 */
final class BlockingHttp implements AutoCloseable {

    static {
        // The JDK keeps at most 5 idle connections per host by default: with more workers than that, each request
        // beyond the fifth would pay a new TCP (and TLS) handshake. Only set when the application has not.
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", "64");
        }
    }

    /** A complete answer, with the response headers the caller asked for (by name, any case). */
    record Answer(int status, Map<String, String> headers, byte[] body) {
        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name));
        }
    }

    /** No complete answer within the request timeout; {@code headersReceived} tells whether the server began one. */
    static final class NoAnswerInTime extends IOException {
        final boolean headersReceived;

        NoAnswerInTime(boolean headersReceived) {
            super(headersReceived ? "the body did not arrive in time" : "no answer in time");
            this.headersReceived = headersReceived;
        }
    }

    /** The connection broke after the status and headers arrived: the body is incomplete. */
    static final class Truncated extends IOException {
        Truncated(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final AtomicInteger WATCHDOGS = new AtomicInteger();

    private final int connectTimeoutMs;
    private final long requestTimeoutNanos;
    private final long maxBodyBytes;
    private final Set<Exchange> inFlight = ConcurrentHashMap.newKeySet();
    private final Thread watchdog;
    private volatile boolean closed;

    BlockingHttp(Duration connectTimeout, Duration requestTimeout, long maxBodyBytes) {
        this.connectTimeoutMs = (int) Math.max(1, Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
        this.requestTimeoutNanos = requestTimeout.toNanos();
        this.maxBodyBytes = maxBodyBytes;
        // A deadline is acted on within a tick; the tick is short next to the timeout and never busy.
        long tick = Math.max(TimeUnit.MILLISECONDS.toNanos(5),
                Math.min(TimeUnit.MILLISECONDS.toNanos(250), requestTimeoutNanos / 8));
        this.watchdog = DaemonThreads.thread("polygon-watchdog-" + WATCHDOGS.incrementAndGet(), () -> watch(tick));
        watchdog.start();
    }

    /**
     * Sends {@code GET uri} with {@code headers} and reads the whole answer, keeping the response headers named in
     * {@code keep}; {@code onHeaders} runs once the status and headers are in.
     *
     * @throws NoAnswerInTime         past the request timeout
     * @throws Truncated              when the connection broke during the body
     * @throws BoundedBody.TooLarge   when the body is larger than the cap
     * @throws IOException            when no connection could be made or it broke before the answer
     */
    Answer get(URI uri, Map<String, String> headers, List<String> keep, Runnable onHeaders) throws IOException {
        if (closed) {
            throw new IOException("closed");
        }
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
        // A redirect could carry the Authorization header to another host.
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        connection.setConnectTimeout(connectTimeoutMs);
        connection.setReadTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE,
                TimeUnit.NANOSECONDS.toMillis(requestTimeoutNanos))));
        headers.forEach(connection::setRequestProperty);
        Exchange exchange = new Exchange(connection, System.nanoTime() + requestTimeoutNanos);
        inFlight.add(exchange);
        try {
            int status;
            try {
                status = connection.getResponseCode();
            } catch (IOException e) {
                throw exchange.timedOut() ? new NoAnswerInTime(false) : e;
            }
            exchange.headersReceived = true;
            onHeaders.run();
            Map<String, String> responseHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (String name : keep) {
                String value = connection.getHeaderField(name);
                if (value != null) {
                    responseHeaders.put(name, value);
                }
            }
            byte[] body = readBody(exchange, status);
            return new Answer(status, responseHeaders, body);
        } catch (IOException e) {
            exchange.abort();
            throw e;
        } catch (RuntimeException e) {
            exchange.abort();
            // HttpURLConnection, disconnected from another thread mid-read, can throw a NullPointerException
            // ("this.http is null"): that is the close or the watchdog's cut, not a bug of the exchange.
            if (closed) {
                throw new IOException("closed", e);
            }
            if (exchange.timedOut()) {
                throw new NoAnswerInTime(exchange.headersReceived);
            }
            throw e;
        } finally {
            inFlight.remove(exchange);
        }
    }

    private byte[] readBody(Exchange exchange, int status) throws IOException {
        HttpURLConnection connection = exchange.connection;
        long declared = connection.getContentLengthLong();
        if (declared > maxBodyBytes) {
            throw new BoundedBody.TooLarge(maxBodyBytes, "the body (by its Content-Length)");
        }
        InputStream in;
        try {
            in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        } catch (IOException e) {
            throw exchange.timedOut() ? new NoAnswerInTime(true) : new Truncated(e.getMessage(), e);
        }
        if (in == null) {
            return new byte[0];
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(declared > 0 ? (int) declared : 8192);
        byte[] buffer = new byte[16 * 1024];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (body.size() + (long) n > maxBodyBytes) {
                    throw new BoundedBody.TooLarge(maxBodyBytes, "the body");
                }
                body.write(buffer, 0, n);
                // A body that trickles in never trips the socket's read timeout: the worker checks the deadline.
                if (exchange.timedOut()) {
                    throw new NoAnswerInTime(true);
                }
            }
            if (!exchange.finish()) {
                throw new NoAnswerInTime(true);
            }
        } catch (BoundedBody.TooLarge | NoAnswerInTime e) {
            throw e;
        } catch (IOException e) {
            // The socket's read timeout is the request timeout: a body that stalls that long is too late too.
            throw exchange.timedOut() || e instanceof SocketTimeoutException ? new NoAnswerInTime(true)
                    : new Truncated("the connection broke after " + body.size() + " bytes of the body ("
                            + e.getMessage() + ")", e);
        }
        if (declared >= 0 && body.size() < declared) {
            // The JDK may end a fixed-length body quietly when the connection closes early.
            exchange.abort();
            throw new Truncated(body.size() + " of " + declared + " bytes received", null);
        }
        return body.toByteArray();
    }

    private void watch(long tickNanos) {
        while (!closed) {
            LockSupport.parkNanos(this, tickNanos);
            long now = System.nanoTime();
            for (Exchange exchange : inFlight) {
                // Only while the status and headers are awaited. Once the body is read the worker keeps the
                // deadline itself (between reads, and the socket's read timeout): a disconnect from here would wait
                // for the body stream's lock, which a worker reading a trickling body keeps taking back, and would
                // hold up every other exchange's deadline meanwhile.
                if (!exchange.headersReceived && now - exchange.deadline >= 0) {
                    exchange.expire();
                }
            }
        }
    }

    /** Drops every connection in flight; their workers get an IOException at once. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(watchdog);
        for (Exchange exchange : inFlight) {
            exchange.abort();
        }
    }

    /** One exchange in flight; the watchdog and the worker agree under its lock on how it ended. */
    private static final class Exchange {
        final HttpURLConnection connection;
        final long deadline;
        volatile boolean headersReceived;
        private boolean finished;
        private volatile boolean expired;

        Exchange(HttpURLConnection connection, long deadline) {
            this.connection = connection;
            this.deadline = deadline;
        }

        /** The body was read in time: the connection may go back to the keep-alive cache. */
        synchronized boolean finish() {
            if (!expired) {
                finished = true;
            }
            return finished;
        }

        void expire() {
            synchronized (this) {
                if (finished || expired) {
                    return;
                }
                expired = true;
            }
            // Outside the lock: the worker may need it (timedOut, finish) to get out of its read.
            connection.disconnect();
        }

        boolean timedOut() {
            return expired || System.nanoTime() - deadline >= 0;
        }

        void abort() {
            synchronized (this) {
                if (finished) {
                    return;
                }
            }
            connection.disconnect();
        }
    }
}
