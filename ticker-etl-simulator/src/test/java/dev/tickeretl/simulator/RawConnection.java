package dev.tickeretl.simulator;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A plain TCP connection to the simulator for tests that must see or send exact bytes: HTTP/1.1 messages and
 * WebSocket frames. Reads time out after 10 s so a test cannot hang.
 */
final class RawConnection implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawConnection(int port) throws IOException {
        socket = new Socket(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    void write(String text) throws IOException {
        write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** An HTTP response: status, headers (names case-insensitive) and the decoded body. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Reads one HTTP response; {@code head}: a HEAD request's answer has no body whatever its headers say. */
    Response readResponse(boolean head) throws IOException {
        String statusLine = line();
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String line = line(); !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
        }
        if (head || status == 101) {
            return new Response(status, headers, new byte[0]);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if ("chunked".equalsIgnoreCase(headers.get("Transfer-Encoding"))) {
            while (true) {
                int size = Integer.parseInt(line().toLowerCase(Locale.ROOT), 16);
                if (size == 0) {
                    line();
                    break;
                }
                body.write(exactly(size));
                line();
            }
        } else if (headers.containsKey("Content-Length")) {
            body.write(exactly(Integer.parseInt(headers.get("Content-Length"))));
        }
        return new Response(status, headers, body.toByteArray());
    }

    Response readResponse() throws IOException {
        return readResponse(false);
    }

    /** One WebSocket frame from the server: FIN bit, opcode, payload (servers do not mask). */
    record Frame(boolean fin, int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }
    }

    Frame readFrame() throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            throw new EOFException("closed");
        }
        int b1 = in.read();
        long length = b1 & 0x7F;
        if (length == 126) {
            length = ((in.read() & 0xFF) << 8) | (in.read() & 0xFF);
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | (in.read() & 0xFF);
            }
        }
        if ((b1 & 0x80) != 0) {
            throw new IOException("server frames must not be masked");
        }
        return new Frame((b0 & 0x80) != 0, b0 & 0x0F, exactly((int) length));
    }

    /** A client frame: masked, as RFC 6455 requires, unless {@code masked} is false (a protocol error). */
    static byte[] frame(int opcode, boolean fin, byte[] payload, boolean masked) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write((fin ? 0x80 : 0) | opcode);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            frame.write(maskBit | payload.length);
        } else if (payload.length < 65_536) {
            frame.write(maskBit | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length);
        } else {
            frame.write(maskBit | 127);
            for (int i = 7; i >= 0; i--) {
                frame.write((int) ((long) payload.length >> (8 * i)));
            }
        }
        byte[] mask = {0x12, 0x34, 0x56, 0x78};
        if (masked) {
            frame.writeBytes(mask);
        }
        for (int i = 0; i < payload.length; i++) {
            frame.write(masked ? payload[i] ^ mask[i & 3] : payload[i]);
        }
        return frame.toByteArray();
    }

    /** A whole text message in one masked frame. */
    static byte[] text(String text) {
        return frame(0x1, true, text.getBytes(StandardCharsets.UTF_8), true);
    }

    /** Opens the WebSocket with the RFC's sample key and returns the handshake response. */
    Response upgrade(String path) throws IOException {
        write("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        return readResponse();
    }

    /** Whether the server has closed its side: the next read sees the end of the stream (or a reset). */
    boolean endOfStream() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    private byte[] exactly(int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length != n) {
            throw new EOFException("expected " + n + " bytes, got " + bytes.length);
        }
        return bytes;
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("closed inside a line");
            }
            line.write(b);
        }
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
