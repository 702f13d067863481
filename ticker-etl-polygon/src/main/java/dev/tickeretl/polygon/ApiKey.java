package dev.tickeretl.polygon;

import java.util.Objects;

/**
 * The API key, kept apart so that nothing prints it by accident: {@link #toString()} is masked, and every text that
 * could carry it passes through the {@link Redactor} before it reaches a log line, an event or an exception.
 */
final class ApiKey {

    private final String value;

    ApiKey(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /**
     * The {@code Authorization} header value; with {@link #authMessage()} the only places the key leaves for the
     * network.
     */
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

    /** For the {@link Redactor} and for the shared rate-limit gate's identity (hashed); never for display. */
    String value() {
        return value;
    }

    @Override
    public String toString() {
        return "ApiKey[" + Redactor.MASK + "]";
    }
}
