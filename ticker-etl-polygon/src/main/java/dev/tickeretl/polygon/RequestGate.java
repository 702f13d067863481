package dev.tickeretl.polygon;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The one gate every request of a source passes before it is sent, shared by all workers. It enforces
 * <ul>
 *   <li>an optional client-side limit of N requests per window, and</li>
 *   <li>a shared "not before" instant: once one request sees 429, every worker holds off until the wait the server
 *       asked for has passed, instead of each of them spending another request to learn the same thing.</li>
 * </ul>
 * The limit is N slots. A request holds a slot from before it is sent until its answer has arrived, and the slot
 * is free again one window after that answer. The server counted the request at some moment before it answered, so
 * no N+1 requests can ever fall into one window of the server's, fixed or sliding, however late or early requests
 * travel. (Failsafe's smooth limiter spaces requests period/N apart and wastes a window-based quota; its bursty one
 * counts fixed windows, which can put 2N requests into one rolling window of the server.)
 */
final class RequestGate {

    /** A held slot; {@link #release()} once the answer (or the failure) is in. */
    interface Permit {
        /** Nanoseconds spent waiting for the permit. */
        long waitedNanos();

        void release();
    }

    private static final long IN_FLIGHT = Long.MAX_VALUE;

    private final long periodNanos;
    /** Per slot: the {@link System#nanoTime()} at which it may be used again, or IN_FLIGHT; empty without a limit. */
    private final long[] freeAt;
    private long notBefore;
    private boolean holding;

    /** @param rateLimit null for no client-side limit */
    RequestGate(Settings.RateLimit rateLimit) {
        this.periodNanos = rateLimit == null ? 0 : rateLimit.period().toNanos();
        this.freeAt = new long[rateLimit == null ? 0 : rateLimit.requests()];
        Arrays.fill(freeAt, System.nanoTime()); // free now (nanoTime values compare only by difference)
    }

    /** Waits until a request may be sent and takes a slot for it. */
    Permit acquire() throws InterruptedException {
        long began = System.nanoTime();
        while (true) {
            long wait;
            synchronized (this) {
                long now = System.nanoTime();
                wait = holding ? notBefore - now : 0;
                if (wait <= 0) {
                    holding = false;
                    if (freeAt.length == 0) {
                        return permit(-1, now - began);
                    }
                    int soonest = 0;
                    for (int i = 0; i < freeAt.length; i++) {
                        if (freeAt[i] != IN_FLIGHT && (freeAt[soonest] == IN_FLIGHT || freeAt[i] < freeAt[soonest])) {
                            soonest = i;
                        }
                    }
                    if (freeAt[soonest] != IN_FLIGHT && freeAt[soonest] - now <= 0) {
                        freeAt[soonest] = IN_FLIGHT;
                        return permit(soonest, now - began);
                    }
                    // Every slot in flight: poll briefly for an answer; else sleep until the soonest slot frees.
                    wait = freeAt[soonest] == IN_FLIGHT ? TimeUnit.MILLISECONDS.toNanos(5) : freeAt[soonest] - now;
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

    private synchronized void release(int slot) {
        freeAt[slot] = System.nanoTime() + periodNanos;
    }

    private Permit permit(int slot, long waited) {
        return new Permit() {
            private boolean released;

            @Override
            public long waitedNanos() {
                return waited;
            }

            @Override
            public void release() {
                if (slot >= 0 && !released) {
                    released = true;
                    RequestGate.this.release(slot);
                }
            }
        };
    }
}
