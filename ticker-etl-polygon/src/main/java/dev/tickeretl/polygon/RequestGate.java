package dev.tickeretl.polygon;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The one gate every request of a source passes before it is sent, shared by all workers. It enforces
 * <ul>
 *   <li>an optional client-side limit: at most N request starts within any rolling window, and</li>
 *   <li>a shared "not before" instant: once one request sees 429, every worker holds off until the wait the server
 *       asked for has passed, instead of each of them spending another request to learn the same thing.</li>
 * </ul>
 * A rolling window rather than Failsafe's smooth or bursty limiters: smooth spacing (one request per period/N)
 * wastes the quota of a window-based plan, and fixed bursty windows can put 2N requests into one rolling window of
 * the server. A rolling window never exceeds N in any window the server may count with, fixed or sliding.
 */
final class RequestGate {

    private final int maxStarts;
    private final long periodNanos;
    private final ArrayDeque<Long> starts = new ArrayDeque<>();
    private long notBefore;
    private boolean holding;

    /** @param rateLimit null for no client-side limit */
    RequestGate(Settings.RateLimit rateLimit) {
        this.maxStarts = rateLimit == null ? 0 : rateLimit.requests();
        this.periodNanos = rateLimit == null ? 0 : rateLimit.period().toNanos();
    }

    /**
     * Waits until a request may start and records the start.
     *
     * @return nanoseconds spent waiting
     */
    long await() throws InterruptedException {
        long began = System.nanoTime();
        while (true) {
            long wait;
            synchronized (this) {
                long now = System.nanoTime();
                wait = holding ? notBefore - now : 0;
                if (wait <= 0) {
                    holding = false;
                    if (maxStarts == 0) {
                        return now - began;
                    }
                    while (!starts.isEmpty() && now - starts.peekFirst() >= periodNanos) {
                        starts.pollFirst();
                    }
                    if (starts.size() < maxStarts) {
                        starts.addLast(now);
                        return now - began;
                    }
                    wait = starts.peekFirst() + periodNanos - now;
                }
            }
            TimeUnit.NANOSECONDS.sleep(Math.max(wait, 1));
        }
    }

    /** Holds every request back until {@code nanoTime} (a {@link System#nanoTime()} value), unless held longer already. */
    synchronized void holdUntil(long nanoTime) {
        if (!holding || nanoTime - notBefore > 0) {
            notBefore = nanoTime;
            holding = true;
        }
    }
}
