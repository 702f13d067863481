package dev.tickeretl.simulator;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One request and the means to answer it on the raw connection: normally (fixed length or chunked), or broken on
 * purpose (closed without an answer, a body cut short). Exactly one answer per exchange.
 */
final class HttpExchange {

    private final HttpRequest request;
    private final Socket socket;
    private final OutputStream out;
    private final Map<String, String> responseHeaders = new LinkedHashMap<>();
    private boolean answered;
    private boolean closeConnection;

    HttpExchange(HttpRequest request, Socket socket, OutputStream out) {
        this.request = request;
        this.socket = socket;
        this.out = out;
        this.closeConnection = !request.keepAlive();
    }

    HttpRequest request() {
        return request;
    }

    /** Adds a header to the answer (before it is sent). */
    void header(String name, String value) {
        responseHeaders.put(name, value);
    }

    boolean answered() {
        return answered;
    }

    /** Whether the connection must close after this exchange. */
    boolean closesConnection() {
        return closeConnection;
    }

    /** A complete answer with {@code Content-Length}. */
    void sendFixed(int status, String contentType, byte[] body) throws IOException {
        begin(status, contentType, "Content-Length", Integer.toString(body.length));
        if (!request.method().equals("HEAD")) {
            out.write(body);
        }
        out.flush();
    }

    /**
     * Starts a chunked answer and returns its body stream; closing the stream ends the body (the connection stays
     * open for the next request).
     */
    OutputStream sendChunked(int status, String contentType) throws IOException {
        begin(status, contentType, "Transfer-Encoding", "chunked");
        return new ChunkedOutputStream(out);
    }

    /**
     * Promises {@code body.length} bytes but sends only the first {@code sent}, then closes the connection: the
     * client meets the end of the stream inside the body.
     */
    void sendTruncated(int status, String contentType, byte[] body, int sent) throws IOException {
        closeConnection = true;
        begin(status, contentType, "Content-Length", Integer.toString(body.length));
        out.write(body, 0, sent);
        out.flush();
        socket.close();
    }

    /** Closes the connection without a single byte of answer. */
    void abort() throws IOException {
        answered = true;
        closeConnection = true;
        socket.close();
    }

    private void begin(int status, String contentType, String lengthHeader, String lengthValue) throws IOException {
        if (answered) {
            throw new IllegalStateException("already answered");
        }
        answered = true;
        StringBuilder head = new StringBuilder(256);
        head.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        head.append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)))
                .append("\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        for (Map.Entry<String, String> h : responseHeaders.entrySet()) {
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        head.append(lengthHeader).append(": ").append(lengthValue).append("\r\n");
        if (closeConnection) {
            head.append("Connection: close\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    static String reason(int status) {
        return switch (status) {
            case 101 -> "Switching Protocols";
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 413 -> "Content Too Large";
            case 426 -> "Upgrade Required";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> "Status " + status;
        };
    }

    /** RFC 9112 chunked coding over the connection's buffered stream; {@link #close()} writes the last chunk. */
    private static final class ChunkedOutputStream extends OutputStream {
        private static final byte[] CRLF = {'\r', '\n'};
        private final OutputStream out;
        private final byte[] buffer = new byte[16 * 1024];
        private int count;
        private boolean closed;

        ChunkedOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            if (count == buffer.length) {
                flushChunk();
            }
            buffer[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (count == buffer.length) {
                    flushChunk();
                }
                int n = Math.min(len, buffer.length - count);
                System.arraycopy(b, off, buffer, count, n);
                count += n;
                off += n;
                len -= n;
            }
        }

        private void flushChunk() throws IOException {
            if (count > 0) {
                out.write(Integer.toHexString(count).getBytes(StandardCharsets.ISO_8859_1));
                out.write(CRLF);
                out.write(buffer, 0, count);
                out.write(CRLF);
                count = 0;
            }
        }

        @Override
        public void flush() throws IOException {
            flushChunk();
            out.flush();
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                flushChunk();
                out.write('0');
                out.write(CRLF);
                out.write(CRLF);
                out.flush();
            }
        }
    }
}
