package dev.tickeretl.simulator;

import dev.tickeretl.internal.DaemonThreads;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;

/**
 * A small HTTP/1.1 server on 127.0.0.1 with one thread per connection, serving the REST API and, on the same port,
 * upgrading WebSocket handshakes. Written on plain sockets rather than the JDK's {@code HttpServer} because the
 * simulator must own the raw connection: answer nothing, cut a body short, reset a WebSocket without a close frame,
 * stop answering pings, split a message into many frames.
 */
final class LoopbackServer implements AutoCloseable {

    /** What the server does with requests. */
    interface Routes {
        /** Answers one REST request; an exception or no answer gets a 500 and a closed connection. */
        void http(HttpExchange exchange) throws IOException;

        /**
         * Whether a WebSocket handshake on this path is accepted: 101 to go ahead, else the HTTP status to refuse it
         * with (404 for no endpoint, 503 while the stream is down).
         */
        int webSocketStatus(String rawPath);

        /** Runs one upgraded connection on the calling thread until it closes. */
        void webSocket(WebSocketConnection connection);
    }

    // Like the JDK server's default: an idle keep-alive connection is closed after 30 s.
    private static final int IDLE_TIMEOUT_MS = 30_000;

    private final ServerSocket listener;
    private final Routes routes;
    private final Semaphore workers;
    private final String threadPrefix;
    private final ThreadFactory connectionThreads;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @param concurrentRequests REST requests answered at once; more wait (a slow answer holds its slot)
     */
    LoopbackServer(int port, Routes routes, int concurrentRequests, String threadPrefix) {
        this.routes = routes;
        this.workers = new Semaphore(concurrentRequests);
        this.threadPrefix = threadPrefix;
        try {
            InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(loopback, port), 128);
            this.listener = socket;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
        this.connectionThreads = DaemonThreads.named(threadPrefix + "-" + port());
        DaemonThreads.thread(threadPrefix + "-" + port() + "-accept", this::acceptLoop).start();
    }

    int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue; // e.g. too many open files for a moment: keep serving the connections that work
            }
            open.add(socket);
            connectionThreads.newThread(() -> serve(socket)).start();
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            // Small answers must not wait for the client's delayed ACK (Nagle's algorithm).
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(IDLE_TIMEOUT_MS);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            while (!closed) {
                HttpRequest request;
                try {
                    request = HttpRequest.read(in);
                } catch (HttpRequest.Malformed e) {
                    plainError(out, e.status, e.getMessage());
                    return;
                }
                if (request == null) {
                    return;
                }
                if (WebSocketConnection.isUpgrade(request)) {
                    int status = routes.webSocketStatus(request.rawPath());
                    if (status != 101) {
                        plainError(out, status, status == 404 ? "no WebSocket endpoint at this path"
                                : "the stream is unavailable");
                        return;
                    }
                    WebSocketConnection connection = WebSocketConnection.accept(request, socket, in, out);
                    if (connection != null) {
                        socket.setSoTimeout(0); // a stream may be quiet for hours (overnight)
                        routes.webSocket(connection);
                    }
                    return;
                }
                HttpExchange exchange = new HttpExchange(request, socket, out);
                answer(exchange);
                if (exchange.closesConnection() || socket.isClosed()) {
                    return;
                }
            }
        } catch (SocketTimeoutException | SocketException e) {
            // Idle too long, or the peer went away: nothing to answer.
        } catch (IOException | RuntimeException e) {
            // The client broke the exchange mid-way; this connection is done either way.
        } finally {
            open.remove(socket);
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        try {
            workers.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.abort();
            return;
        }
        try {
            routes.http(exchange);
        } catch (RuntimeException e) {
            if (!exchange.answered()) {
                exchange.header("Connection", "close");
                exchange.sendFixed(500, "text/plain; charset=utf-8",
                        ("simulator failure: " + e).getBytes(StandardCharsets.UTF_8));
            }
            throw e;
        } finally {
            workers.release();
        }
        if (!exchange.answered()) {
            exchange.sendFixed(500, "text/plain; charset=utf-8", "no answer".getBytes(StandardCharsets.UTF_8));
        }
    }

    // For requests that never reached the API (malformed, wrong path): text, then close.
    private static void plainError(OutputStream out, int status, String message) throws IOException {
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + HttpExchange.reason(status) + "\r\nContent-Type: text/plain; "
                + "charset=utf-8\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    /** Stops accepting and closes every connection at once, answers in progress included. */
    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // Closing anyway.
        }
        for (Socket socket : open) {
            try {
                socket.close();
            } catch (IOException e) {
                // Closing anyway.
            }
        }
    }
}
