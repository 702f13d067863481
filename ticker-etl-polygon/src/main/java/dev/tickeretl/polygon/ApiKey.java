package dev.tickeretl.polygon;

import java.util.Objects;

/**
 * The API key, kept apart so that nothing prints it by accident: {@link #toString()} is masked, and every text that
 * came from the server passes through {@link #redact} before it reaches a log line, an event or an exception.
 */
final class ApiKey {

    private static final String MASK = "<redacted>";

    private final String value;

    ApiKey(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /** The {@code Authorization} header value; with {@link #authMessage()} the only places the key leaves. */
    String bearer() {
        return "Bearer " + value;
    }

    /**
     * The WebSocket's {@code auth} message: the stream takes the key in its first message, never in a URL or a
     * header. JSON-escaped, so any key a header can carry is sent intact.
     */
    String authMessage() {
        StringBuilder json = new StringBuilder("{\"action\":\"auth\",\"params\":\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\');
            }
            json.append(c);
        }
        return json.append("\"}").toString();
    }

    /** {@code text} with every occurrence of the key masked; a server may echo the key back in an error body. */
    String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        return text.replace(value, MASK);
    }

    /** Masks {@code text} for a key that may be absent. */
    static String redact(ApiKey key, String text) {
        return key == null ? text : key.redact(text);
    }

    @Override
    public String toString() {
        return "ApiKey[" + MASK + "]";
    }
}
