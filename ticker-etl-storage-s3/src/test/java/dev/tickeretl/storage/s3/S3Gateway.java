package dev.tickeretl.storage.s3;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A raw HTTP/1.1 forwarder on 127.0.0.1 in front of S3Proxy, for what S3Proxy cannot do by itself:
 * <ul>
 *   <li>answer the next N requests with a canned S3 error ({@code 503 SlowDown}, {@code 500 InternalError});</li>
 *   <li>record every request line, so tests count the PUTs the server really received;</li>
 *   <li>run writes one at a time, because S3Proxy's in-memory store checks {@code If-Match} and then writes,
 *       which is not atomic when two PUTs overlap (AWS S3 evaluates the condition atomically);</li>
 *   <li>run an action just before the next PUT reaches the server, to make a conflict happen on purpose;</li>
 *   <li>let the next PUT reach the server but lose its response, as a dropped connection would.</li>
 * </ul>
 * It forwards bytes unchanged, so SigV4 signatures stay valid; it only replaces the (unsigned) {@code Connection}
 * header with {@code Connection: close}, so every connection carries exactly one request and each request can be
 * judged on its own.
 */
final class S3Gateway implements AutoCloseable {

    private final ServerSocket server;
    private final int upstreamPort;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "s3-gateway");
        t.setDaemon(true);
        return t;
    });
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger faultsLeft = new AtomicInteger();
    private final AtomicInteger faultsAnswered = new AtomicInteger();
    private volatile Fault fault;
    private volatile boolean serializeWrites;
    private final ReentrantLock writeLock = new ReentrantLock(true);
    private final AtomicReference<Runnable> beforeNextPut = new AtomicReference<>();
    private final AtomicInteger putResponsesToDrop = new AtomicInteger();

    private record Fault(int status, String reason, String code, String method) {
    }

    S3Gateway(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Answers the next {@code n} requests (of {@code method}, or any when null) with an S3 error. */
    void failNext(int n, int status, String reason, String code, String method) {
        fault = new Fault(status, reason, code, method);
        faultsLeft.set(n);
    }

    /** Canned answers given so far. */
    int faultsAnswered() {
        return faultsAnswered.get();
    }

    /** From now on, PUT/POST/DELETE requests reach the server one at a time. */
    void serializeWrites() {
        serializeWrites = true;
    }

    /** Runs {@code action} once, when the next PUT has arrived and before it is forwarded. */
    void beforeNextPut(Runnable action) {
        beforeNextPut.set(action);
    }

    /** Forwards the next PUT, then closes the client's connection instead of relaying the server's answer. */
    void dropNextPutResponse() {
        putResponsesToDrop.set(1);
    }

    /** Request lines seen so far, e.g. {@code PUT /bucket/bars/...?x-id=PutObject}. */
    List<String> requests() {
        return List.copyOf(requests);
    }

    /** Requests with this method whose target, percent-decoded ({@code %3D} is '='), contains {@code fragment}. */
    long count(String method, String fragment) {
        return requests.stream().filter(r -> r.startsWith(method + " ")
                && URLDecoder.decode(r, StandardCharsets.UTF_8).contains(fragment)).count();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                threads.execute(() -> handle(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void handle(Socket client) {
        try (client) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            List<String> head = readHead(in);
            if (head.isEmpty()) {
                return;
            }
            String requestLine = head.get(0);
            String method = requestLine.substring(0, requestLine.indexOf(' '));
            String target = requestLine.split(" ")[1];
            long contentLength = 0;
            for (String h : head.subList(1, head.size())) {
                String name = h.substring(0, h.indexOf(':')).trim().toLowerCase(Locale.ROOT);
                String value = h.substring(h.indexOf(':') + 1).trim();
                if (name.equals("content-length")) {
                    contentLength = Long.parseLong(value);
                } else if (name.equals("transfer-encoding") || name.equals("expect")) {
                    throw new IllegalStateException("gateway does not handle " + h);
                }
            }
            requests.add(method + " " + target);
            Fault f = fault;
            if (f != null && (f.method() == null || f.method().equals(method)) && takeFault()) {
                in.readNBytes((int) contentLength);
                answer(client.getOutputStream(), f, method);
                faultsAnswered.incrementAndGet();
                return;
            }
            if (method.equals("PUT")) {
                Runnable action = beforeNextPut.getAndSet(null);
                if (action != null) {
                    action.run();
                }
            }
            boolean write = !(method.equals("GET") || method.equals("HEAD"));
            boolean locked = serializeWrites && write;
            if (locked) {
                writeLock.lock();
            }
            try {
                boolean dropResponse = method.equals("PUT") && putResponsesToDrop.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
                forward(client, in, head, contentLength, dropResponse);
            } finally {
                if (locked) {
                    writeLock.unlock();
                }
            }
        } catch (IOException e) {
            // The client gave up or the server closed: nothing to relay.
        }
    }

    private boolean takeFault() {
        return faultsLeft.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    private void forward(Socket client, InputStream in, List<String> head, long contentLength, boolean dropResponse)
            throws IOException {
        try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
            StringBuilder rewritten = new StringBuilder();
            for (String line : head) {
                if (!line.toLowerCase(Locale.ROOT).startsWith("connection:")) {
                    rewritten.append(line).append("\r\n");
                }
            }
            rewritten.append("Connection: close\r\n\r\n");
            OutputStream up = upstream.getOutputStream();
            Future<?> response = threads.submit(() -> {
                try {
                    upstream.getInputStream().transferTo(dropResponse ? OutputStream.nullOutputStream()
                            : client.getOutputStream());
                } catch (IOException e) {
                    // either side closed
                }
                return null;
            });
            try {
                up.write(rewritten.toString().getBytes(StandardCharsets.ISO_8859_1));
                up.write(in.readNBytes((int) contentLength));
                up.flush();
            } catch (SocketException e) {
                // the server answered early and closed; its answer is still relayed
            }
            try {
                response.get();
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
    }

    private static void answer(OutputStream out, Fault f, String method) throws IOException {
        String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + f.code() + "</Code><Message>"
                + f.reason() + " (injected by the test gateway)</Message><RequestId>gateway</RequestId></Error>";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + f.status() + " " + f.reason() + "\r\n"
                + "Content-Type: application/xml\r\n"
                + "Content-Length: " + bytes.length + "\r\n"
                + "Connection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        if (!method.equals("HEAD")) {
            out.write(bytes);
        }
        out.flush();
    }

    /** The request line and header lines, or empty at end of stream. */
    private static List<String> readHead(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int lastFour = 0;
        int b;
        while (lastFour != 0x0D0A0D0A) { // CR LF CR LF ends the head
            if ((b = in.read()) == -1) {
                return List.of();
            }
            buf.write(b);
            lastFour = (lastFour << 8) | b;
            if (buf.size() > 65_536) {
                throw new IOException("request head too long");
            }
        }
        List<String> lines = new ArrayList<>(List.of(buf.toString(StandardCharsets.ISO_8859_1).split("\r\n")));
        lines.removeIf(String::isEmpty);
        return lines;
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
