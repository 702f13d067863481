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

    /** The {@code Authorization} header value; the only place the key leaves for the network. */
    String bearer() {
        return "Bearer " + value;
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
