package dev.tickeretl.simulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One request the simulator answered, with secrets removed: every {@code Authorization} value reads
 * {@code "Bearer REDACTED"} (or {@code "REDACTED"} for other schemes) and an {@code apiKey} query parameter's value
 * reads {@code REDACTED}, so a test can still see <em>that</em> a key was sent, and where, without the key itself.
 *
 * @param sequence  arrival order, from 1
 * @param method    e.g. {@code GET}
 * @param path      the raw (still percent-encoded) path
 * @param query     the raw query string with {@code apiKey} redacted, {@code ""} when there was none
 * @param headers   request headers, names case-insensitive, {@code Authorization} redacted
 * @param hadBearer whether an {@code Authorization: Bearer <token>} header was present
 * @param status    the HTTP status sent, or 0 when the connection was closed without a response
 * @param fault     the injected fault, or {@code null} when the request was answered normally
 */
public record RecordedRequest(
        long sequence,
        String method,
        String path,
        String query,
        Map<String, List<String>> headers,
        boolean hadBearer,
        int status,
        Fault fault) {

    /** The first value of a query parameter, percent-decoded. */
    public Optional<String> queryParameter(String name) {
        if (query.isEmpty()) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return Optional.of(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    /** The path and query as sent, e.g. {@code /v2/aggs/grouped/locale/us/market/stocks/2024-01-02?adjusted=true}. */
    public String target() {
        return query.isEmpty() ? path : path + "?" + query;
    }
}
