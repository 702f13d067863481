package dev.tickeretl.simulator;

import dev.tickeretl.internal.DaemonThreads;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server side of one RFC 6455 WebSocket on a raw socket: reads the client's (masked) frames, reassembles text
 * messages and answers pings and closes; writes through a queue drained by its own thread, so a slow client never
 * blocks the market feed. The faults live here too: {@link #drop()} resets the TCP connection without a close frame,
 * {@link #pause()} stops every outgoing byte (data and pongs) until {@link #resume()}, and text can go out split into
 * continuation frames.
 */
final class WebSocketConnection {

    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int OP_CONTINUATION = 0x0;
    private static final int OP_TEXT = 0x1;
    private static final int OP_BINARY = 0x2;
    private static final int OP_CLOSE = 0x8;
    private static final int OP_PING = 0x9;
    private static final int OP_PONG = 0xA;
    /** Polygon accepts subscribe messages up to 1 MB; a little more leaves room for JSON around the topics. */
    static final int MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

    static final int CLOSE_NORMAL = 1000;
    static final int CLOSE_PROTOCOL_ERROR = 1002;
    static final int CLOSE_UNSUPPORTED_DATA = 1003;
    static final int CLOSE_INVALID_PAYLOAD = 1007;
    static final int CLOSE_POLICY = 1008;
    static final int CLOSE_TOO_BIG = 1009;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final LinkedBlockingQueue<Outgoing> outbox = new LinkedBlockingQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final Object pauseLock = new Object();
    private final Thread writer;
    private boolean paused;
    private final AtomicBoolean closeSent = new AtomicBoolean();
    private volatile boolean closeReceived;
    private volatile boolean open = true;

    private WebSocketConnection(Socket socket, InputStream in, OutputStream out, String threadName) {
        this.socket = socket;
        this.in = in;
        this.out = out;
        this.writer = DaemonThreads.thread(threadName + "-ws-writer", this::writeLoop);
        this.writer.start();
    }

    /** A frame (or a message's frames) to write, and whether the connection ends after it. */
    private record Outgoing(List<byte[]> frames, long bytes, boolean closeAfter) {
    }

    /** Whether a request asks to upgrade to a WebSocket. */
    static boolean isUpgrade(HttpRequest request) {
        return request.headerHasToken("Upgrade", "websocket");
    }

    /**
     * Completes the handshake, or answers why not (and the caller closes the connection).
     *
     * @return the open connection, or null when the handshake was refused
     */
    static WebSocketConnection accept(HttpRequest request, Socket socket, InputStream in, OutputStream out)
            throws IOException {
        String key = request.header("Sec-WebSocket-Key");
        if (!request.method().equals("GET") || !request.version().equals("HTTP/1.1")
                || !request.headerHasToken("Connection", "upgrade") || !validKey(key)) {
            refuse(out, 400, "", "a WebSocket handshake needs GET, HTTP/1.1, Connection: Upgrade and a "
                    + "Sec-WebSocket-Key");
            return null;
        }
        if (!"13".equals(request.header("Sec-WebSocket-Version"))) {
            refuse(out, 426, "Sec-WebSocket-Version: 13\r\n", "WebSocket version 13 only");
            return null;
        }
        String head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + acceptValue(key) + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return new WebSocketConnection(socket, in, out, Thread.currentThread().getName());
    }

    private static boolean validKey(String key) {
        if (key == null) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key.strip()).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static String acceptValue(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((key.strip() + ACCEPT_GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    private static void refuse(OutputStream out, int status, String extraHeaders, String message) throws IOException {
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + HttpExchange.reason(status) + "\r\n" + extraHeaders
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    // ---- reading (the connection's own thread only) -----------------------------------------------------------

    /**
     * The next complete text message. Pings are answered, pongs ignored, a close is answered and ends the stream.
     *
     * @return the message, or null once the connection is closed (by either side, or because the client broke the
     *         protocol: then it was sent the matching close code first)
     */
    String nextText() {
        ByteArrayOutputStream message = null;
        int messageOpcode = -1;
        try {
            while (open) {
                int b0 = in.read();
                if (b0 < 0) {
                    break;
                }
                int b1 = readByte();
                boolean fin = (b0 & 0x80) != 0;
                int opcode = b0 & 0x0F;
                if ((b0 & 0x70) != 0) {
                    return failed(CLOSE_PROTOCOL_ERROR, "no extension was negotiated");
                }
                if ((b1 & 0x80) == 0) {
                    return failed(CLOSE_PROTOCOL_ERROR, "client frames must be masked");
                }
                long length = b1 & 0x7F;
                if (length == 126) {
                    length = ((long) readByte() << 8) | readByte();
                } else if (length == 127) {
                    length = 0;
                    for (int i = 0; i < 8; i++) {
                        length = (length << 8) | readByte();
                    }
                    if (length < 0) {
                        return failed(CLOSE_PROTOCOL_ERROR, "bad frame length");
                    }
                }
                boolean control = (opcode & 0x8) != 0;
                if (control && (length > 125 || !fin)) {
                    return failed(CLOSE_PROTOCOL_ERROR, "control frames are short and unfragmented");
                }
                long buffered = message == null ? 0 : message.size();
                if (!control && buffered + length > MAX_MESSAGE_BYTES) {
                    return failed(CLOSE_TOO_BIG, "message larger than " + MAX_MESSAGE_BYTES + " bytes");
                }
                byte[] mask = readFully(4);
                byte[] payload = readFully((int) length);
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i & 3];
                }
                switch (opcode) {
                    case OP_PING -> sendControl(OP_PONG, payload);
                    case OP_PONG -> {
                        // Unsolicited pongs are allowed and mean nothing.
                    }
                    case OP_CLOSE -> {
                        closeReceived = true;
                        if (!closeSent.get()) {
                            int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF)
                                    : CLOSE_NORMAL;
                            close(code, "");
                        } else {
                            socket.close();
                        }
                        return null;
                    }
                    case OP_TEXT, OP_BINARY -> {
                        if (message != null) {
                            return failed(CLOSE_PROTOCOL_ERROR, "a new message began inside a fragmented one");
                        }
                        message = new ByteArrayOutputStream((int) Math.min(length, 64 * 1024));
                        messageOpcode = opcode;
                        message.write(payload);
                    }
                    case OP_CONTINUATION -> {
                        if (message == null) {
                            return failed(CLOSE_PROTOCOL_ERROR, "continuation frame without a message");
                        }
                        message.write(payload);
                    }
                    default -> {
                        return failed(CLOSE_PROTOCOL_ERROR, "unknown opcode " + opcode);
                    }
                }
                if (fin && !control && message != null) {
                    if (messageOpcode == OP_BINARY) {
                        return failed(CLOSE_UNSUPPORTED_DATA, "the stream speaks JSON text only");
                    }
                    try {
                        return StandardCharsets.UTF_8.newDecoder()
                                .onMalformedInput(CodingErrorAction.REPORT)
                                .onUnmappableCharacter(CodingErrorAction.REPORT)
                                .decode(ByteBuffer.wrap(message.toByteArray())).toString();
                    } catch (CharacterCodingException e) {
                        return failed(CLOSE_INVALID_PAYLOAD, "text is not UTF-8");
                    }
                }
            }
        } catch (IOException e) {
            // Reset, dropped, or closed by us: the connection is over.
        }
        markClosed();
        return null;
    }

    private String failed(int code, String reason) {
        close(code, reason);
        return null;
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection closed inside a frame");
        }
        return b;
    }

    private byte[] readFully(int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length != n) {
            throw new EOFException("connection closed inside a frame");
        }
        return bytes;
    }

    // ---- writing (any thread) ---------------------------------------------------------------------------------

    /**
     * Queues one text message. With {@code fragmentBytes > 0} a longer message goes out as a text frame followed by
     * continuation frames of at most that many bytes each, each flushed on its own.
     */
    void sendText(byte[] utf8, int fragmentBytes) {
        if (fragmentBytes <= 0 || utf8.length <= fragmentBytes) {
            enqueue(List.of(frame(OP_TEXT, true, utf8, 0, utf8.length)), utf8.length, false);
            return;
        }
        List<byte[]> frames = new java.util.ArrayList<>(utf8.length / fragmentBytes + 1);
        for (int off = 0; off < utf8.length; off += fragmentBytes) {
            int len = Math.min(fragmentBytes, utf8.length - off);
            frames.add(frame(off == 0 ? OP_TEXT : OP_CONTINUATION, off + len == utf8.length, utf8, off, len));
        }
        enqueue(frames, utf8.length, false);
    }

    private void sendControl(int opcode, byte[] payload) {
        enqueue(List.of(frame(opcode, true, payload, 0, payload.length)), payload.length, false);
    }

    /** Queues a close frame; the connection ends once it is written (or at once if it never can be). */
    void close(int code, String reason) {
        if (!closeSent.compareAndSet(false, true)) {
            return;
        }
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + Math.min(text.length, 123)];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, payload.length - 2);
        enqueue(List.of(frame(OP_CLOSE, true, payload, 0, payload.length)), payload.length, true);
    }

    /** Ends the TCP connection at once with a reset: no close frame, queued data discarded. */
    void drop() {
        open = false;
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // Closing anyway.
        }
        closeSocket();
    }

    /** From now on nothing goes out, not even pongs, until {@link #resume()}: a stalled server or network. */
    void pause() {
        synchronized (pauseLock) {
            paused = true;
        }
    }

    void resume() {
        synchronized (pauseLock) {
            paused = false;
            pauseLock.notifyAll();
        }
    }

    boolean isPaused() {
        synchronized (pauseLock) {
            return paused;
        }
    }

    boolean isOpen() {
        return open;
    }

    /** Whether the connection is over or a close frame is on its way: send it nothing more. */
    boolean isClosing() {
        return !open || closeSent.get();
    }

    /** Waits (a little) until queued frames, a final close frame above all, are written. */
    void awaitEnd() {
        try {
            writer.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        markClosed();
    }

    /** Bytes queued but not yet written: how far the client is behind. */
    long queuedBytes() {
        return queuedBytes.get();
    }

    /** Throws away what is queued and not yet being written (before a slow-consumer close). */
    void discardQueued() {
        Outgoing item;
        while ((item = outbox.poll()) != null) {
            queuedBytes.addAndGet(-item.bytes());
        }
    }

    private void enqueue(List<byte[]> frames, long bytes, boolean closeAfter) {
        if (!open) {
            return;
        }
        queuedBytes.addAndGet(bytes);
        outbox.add(new Outgoing(frames, bytes, closeAfter));
    }

    private void writeLoop() {
        try {
            while (open) {
                Outgoing item = outbox.poll(200, TimeUnit.MILLISECONDS);
                if (item == null) {
                    continue;
                }
                synchronized (pauseLock) {
                    while (paused && open) {
                        pauseLock.wait(200);
                    }
                }
                if (!open) {
                    return;
                }
                for (byte[] frame : item.frames()) {
                    out.write(frame);
                    out.flush();
                }
                queuedBytes.addAndGet(-item.bytes());
                if (item.closeAfter()) {
                    // Give the client a moment to answer with its own close frame, then end the connection.
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                    while (!closeReceived && open && System.nanoTime() < deadline) {
                        Thread.sleep(10);
                    }
                    markClosed();
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The peer is gone.
        }
        markClosed();
    }

    private void markClosed() {
        open = false;
        resume();
        closeSocket();
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing anyway.
        }
    }

    static byte[] frame(int opcode, boolean fin, byte[] payload, int off, int len) {
        int header = len < 126 ? 2 : len < 65_536 ? 4 : 10;
        byte[] frame = new byte[header + len];
        frame[0] = (byte) ((fin ? 0x80 : 0) | opcode);
        if (len < 126) {
            frame[1] = (byte) len;
        } else if (len < 65_536) {
            frame[1] = 126;
            frame[2] = (byte) (len >> 8);
            frame[3] = (byte) len;
        } else {
            frame[1] = 127;
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) ((long) len >> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, off, frame, header, len);
        return frame;
    }
}
