package dev.tickeretl.simulator;

import java.util.ArrayDeque;

/**
 * At most {@code permits} accepted requests in any window of the given length (a sliding log, so a burst at the end
 * of one window cannot be followed by another at the start of the next). Rejected requests do not count, so a client
 * that waits as told is never punished for having asked.
 */
final class SlidingWindowLimiter {

    private final int permits;
    private final long windowNanos;
    private final ArrayDeque<Long> accepted = new ArrayDeque<>();

    SlidingWindowLimiter(int permits, long windowNanos) {
        this.permits = permits;
        this.windowNanos = windowNanos;
    }

    /** @return 0 when the request may proceed, else the nanoseconds until it would be accepted */
    synchronized long tryAcquire(long nowNanos) {
        while (!accepted.isEmpty() && nowNanos - accepted.peekFirst() >= windowNanos) {
            accepted.removeFirst();
        }
        if (accepted.size() < permits) {
            accepted.addLast(nowNanos);
            return 0L;
        }
        return Math.max(1L, accepted.peekFirst() + windowNanos - nowNanos);
    }
}
