package dev.tickeretl.simulator;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP/1.1 request head as the simulator's server read it off the socket. Only what a GET API and a WebSocket
 * upgrade need: no request bodies beyond a bounded {@code Content-Length} that is read and dropped.
 *
 * @param method   e.g. {@code GET}
 * @param rawPath  the path as sent, still percent-encoded
 * @param rawQuery the query as sent, {@code ""} when there is none
 * @param version  {@code HTTP/1.1} or {@code HTTP/1.0}
 * @param headers  names case-insensitive, values in the order sent
 */
record HttpRequest(String method, String rawPath, String rawQuery, String version,
                   Map<String, List<String>> headers) {

    private static final int MAX_LINE = 16 * 1024;
    private static final int MAX_HEADERS = 100;
    private static final long MAX_DISCARDED_BODY = 1 << 20;

    /** The first value of a header, or null. */
    String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Whether a comma-separated header (such as {@code Connection}) holds {@code token}, ignoring case. */
    boolean headerHasToken(String name, String token) {
        List<String> values = headers.get(name);
        if (values == null) {
            return false;
        }
        for (String value : values) {
            for (String part : value.split(",")) {
                if (part.strip().equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether the client asked to keep the connection for another request. */
    boolean keepAlive() {
        if (version.equals("HTTP/1.0")) {
            return headerHasToken("Connection", "keep-alive");
        }
        return !headerHasToken("Connection", "close");
    }

    /** A malformed request: answered with {@code status} and the connection closed. */
    static final class Malformed extends Exception {
        final int status;

        Malformed(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    /**
     * Reads one request head (and drops a small body).
     *
     * @return null when the stream ends before the first byte (the client closed an idle connection)
     */
    static HttpRequest read(InputStream in) throws IOException, Malformed {
        String requestLine = readLine(in, true);
        if (requestLine == null) {
            return null;
        }
        // Tolerate the empty lines RFC 9112 lets a server skip before a request.
        for (int skipped = 0; requestLine.isEmpty(); skipped++) {
            if (skipped > 8) {
                throw new Malformed(400, "no request line");
            }
            requestLine = readLine(in, true);
            if (requestLine == null) {
                return null;
            }
        }
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty() || !parts[1].startsWith("/")) {
            throw new Malformed(400, "malformed request line");
        }
        if (!parts[2].equals("HTTP/1.1") && !parts[2].equals("HTTP/1.0")) {
            throw new Malformed(505, "HTTP version not supported: " + parts[2]);
        }
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int count = 0; ; count++) {
            String line = readLine(in, false);
            if (line.isEmpty()) {
                break;
            }
            if (count >= MAX_HEADERS) {
                throw new Malformed(431, "too many header fields");
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                throw new Malformed(400, "malformed header field");
            }
            headers.computeIfAbsent(line.substring(0, colon).strip(), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).strip());
        }
        headers.replaceAll((name, values) -> List.copyOf(values));
        String target = parts[1];
        int question = target.indexOf('?');
        int hash = target.indexOf('#');
        if (hash >= 0) {
            target = target.substring(0, hash);
        }
        String path = question < 0 ? target : target.substring(0, question);
        String query = question < 0 ? "" : target.substring(question + 1);
        HttpRequest request = new HttpRequest(parts[0], path, query, parts[2],
                Collections.unmodifiableMap(headers));
        request.discardBody(in);
        return request;
    }

    private void discardBody(InputStream in) throws IOException, Malformed {
        if (headers.containsKey("Transfer-Encoding")) {
            throw new Malformed(501, "request bodies in Transfer-Encoding are not supported");
        }
        String length = header("Content-Length");
        if (length == null) {
            return;
        }
        long bytes;
        try {
            bytes = Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            throw new Malformed(400, "malformed Content-Length");
        }
        if (bytes < 0) {
            throw new Malformed(400, "malformed Content-Length");
        }
        if (bytes > MAX_DISCARDED_BODY) {
            throw new Malformed(413, "request body too large");
        }
        long left = bytes;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("request body ended early");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    // Header lines are ISO-8859-1 by the letter of RFC 9110; the simulator's own clients send ASCII.
    private static String readLine(InputStream in, boolean eofAllowed) throws IOException, Malformed {
        byte[] buffer = new byte[256];
        int length = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (eofAllowed && length == 0) {
                    return null;
                }
                throw new EOFException("connection closed inside a request head");
            }
            if (b == '\n') {
                if (length > 0 && buffer[length - 1] == '\r') {
                    length--;
                }
                return new String(buffer, 0, length, StandardCharsets.ISO_8859_1);
            }
            if (length == MAX_LINE) {
                throw new Malformed(431, "request line or header field too long");
            }
            if (length == buffer.length) {
                buffer = java.util.Arrays.copyOf(buffer, Math.min(MAX_LINE, buffer.length * 2));
            }
            buffer[length++] = (byte) b;
        }
    }

    @Override
    public String toString() {
        return method + " " + rawPath + (rawQuery.isEmpty() ? "" : "?…") + " " + version.toLowerCase(Locale.ROOT);
    }
}
