package dev.tickeretl.metrics;

import java.util.Objects;

/**
 * The answer of a {@link ReadinessCheck}: ready, or not with a reason an operator can act on (served as the body of
 * a 503 from {@code /ready}).
 */
public record Readiness(boolean ready, String reason) {

    /** Ready. */
    public static final Readiness READY = new Readiness(true, "ready");

    public Readiness {
        Objects.requireNonNull(reason, "reason");
    }

    /** Not ready, because of {@code reason} (e.g. "stream disconnected since 12:01:07Z"). */
    public static Readiness notReady(String reason) {
        return new Readiness(false, reason);
    }
}
