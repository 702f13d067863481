package dev.tickeretl.polygon;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The gate every request passes before it is sent. There is one per (base URL, API key) in a JVM, shared by every
 * source that uses them ({@link #share}): the server keeps one quota per key, so two sources with one key must not
 * each spend it in full. It enforces
 * <ul>
 *   <li>an optional client-side limit of N requests per window, and</li>
 *   <li>a shared "not before" instant: once one request sees 429, every request holds off until the wait the server
 *       asked for has passed, instead of each of them spending another request to learn the same thing.</li>
 * </ul>
 * The limit is N slots. A request holds a slot from before it is sent until its answer has arrived, and the slot
 * is free again one window after that answer. The server counted the request at some moment before it answered, so
 * no N+1 requests can ever fall into one window of the server's, fixed or sliding, however late or early requests
 * travel. (Failsafe's smooth limiter spaces requests period/N apart and wastes a window-based quota; its bursty one
 * counts fixed windows, which can put 2N requests into one rolling window of the server.)
 *
 * <p>Waiting requests sleep on a condition until a slot can be free or the hold ends; an answer coming in wakes
 * them, so nothing polls.
 */
final class RequestGate {

    /** A held slot; {@link #release()} once the answer (or the failure) is in. Releasing twice is harmless. */
    interface Permit {
        /** Nanoseconds spent waiting for the permit. */
        long waitedNanos();

        /** The part of {@link #waitedNanos()} spent blocked by a hold-off after a 429 (the server's limit). */
        long heldNanos();

        /** The part of {@link #waitedNanos()} spent blocked until a slot of the client-side limit was free. */
        long limitedNanos();

        void release();
    }

    /** The use of a shared gate by one source run; {@link #close()} ends it. */
    static final class Lease implements AutoCloseable {
        private final Identity identity;
        private final RequestGate gate;
        private boolean closed;

        private Lease(Identity identity, RequestGate gate) {
            this.identity = identity;
            this.gate = gate;
        }

        RequestGate gate() {
            return gate;
        }

        @Override
        public void close() {
            synchronized (SHARED) {
                if (!closed) {
                    closed = true;
                    SHARED.get(identity).users--;
                }
            }
        }
    }

    /** The base URL and a digest of the key: the registry must not keep the key itself. */
    private record Identity(String baseUrl, String keyDigest) {
    }

    private static final class Shared {
        final RequestGate gate;
        int users;

        Shared(RequestGate gate) {
            this.gate = gate;
        }
    }

    private static final Map<Identity, Shared> SHARED = new HashMap<>();
    private static final long IN_FLIGHT = Long.MAX_VALUE;
    private static final long UNTIL_SIGNALLED = -1;

    private final Settings.RateLimit rateLimit;
    private final long periodNanos;
    /** Per slot: the {@link System#nanoTime()} at which it may be used again, or IN_FLIGHT; empty without a limit. */
    private final long[] freeAt;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long notBefore;
    private boolean holding;

    /** @param rateLimit null for no client-side limit */
    RequestGate(Settings.RateLimit rateLimit) {
        this.rateLimit = rateLimit;
        this.periodNanos = rateLimit == null ? 0 : rateLimit.period().toNanos();
        this.freeAt = new long[rateLimit == null ? 0 : rateLimit.requests()];
        Arrays.fill(freeAt, System.nanoTime()); // free now (nanoTime values compare only by difference)
    }

    /**
     * The gate of {@code baseUrl} and {@code key} in this JVM, created on first use. Its window history and any
     * hold-off outlive one run, so back-to-back runs keep the quota too.
     *
     * @throws IllegalArgumentException naming {@code rate-limit} when a running source uses the same base URL and
     *                                  key with a different client-side limit: one key has one quota
     */
    static Lease share(URI baseUrl, ApiKey key, Settings.RateLimit rateLimit) {
        Identity identity = new Identity(baseUrl.toString(), key == null ? "" : digest(key.value()));
        synchronized (SHARED) {
            Shared shared = SHARED.get(identity);
            if (shared != null && !Objects.equals(shared.gate.rateLimit, rateLimit)) {
                if (shared.users > 0) {
                    throw new IllegalArgumentException("rate-limit: another Polygon source in this JVM is running"
                            + " against " + baseUrl + " with the same API key and the client limit "
                            + describe(shared.gate.rateLimit) + "; this one asks for " + describe(rateLimit)
                            + ". One key has one quota, so give both the same limit");
                }
                shared = null; // idle, and the user changed the limit: start afresh
            }
            if (shared == null) {
                shared = new Shared(new RequestGate(rateLimit));
                SHARED.put(identity, shared);
            }
            shared.users++;
            return new Lease(identity, shared.gate);
        }
    }

    /** Waits until a request may be sent and takes a slot for it. */
    Permit acquire() throws InterruptedException {
        return acquire(false, 0);
    }

    /**
     * Like {@link #acquire()}, but gives up at once, returning null, when no slot can be had within
     * {@code maxWaitNanos}: a slot's free time and a hold only ever move later, so waiting would not help.
     */
    Permit tryAcquire(long maxWaitNanos) throws InterruptedException {
        return acquire(true, Math.max(0, maxWaitNanos));
    }

    private Permit acquire(boolean bounded, long maxWaitNanos) throws InterruptedException {
        long began = System.nanoTime();
        // Blocked time by what blocked it: the metrics tell a server's 429 from the client's own limit.
        long held = 0;
        long limited = 0;
        lock.lockInterruptibly();
        try {
            while (true) {
                long now = System.nanoTime();
                long wait;
                boolean forHold = holding && notBefore - now > 0;
                if (forHold) {
                    wait = notBefore - now;
                } else {
                    holding = false;
                    if (freeAt.length == 0) {
                        return permit(-1, now - began, held, limited);
                    }
                    int soonest = soonestSlot();
                    if (soonest >= 0 && freeAt[soonest] - now <= 0) {
                        freeAt[soonest] = IN_FLIGHT;
                        return permit(soonest, now - began, held, limited);
                    }
                    wait = soonest < 0 ? UNTIL_SIGNALLED : freeAt[soonest] - now;
                }
                if (bounded) {
                    long left = began + maxWaitNanos - now;
                    if (left <= 0 || wait != UNTIL_SIGNALLED && wait > left) {
                        return null;
                    }
                    wait = wait == UNTIL_SIGNALLED ? left : wait;
                }
                if (wait == UNTIL_SIGNALLED) {
                    changed.await();
                } else {
                    changed.awaitNanos(wait);
                }
                long blocked = System.nanoTime() - now;
                if (forHold) {
                    held += blocked;
                } else {
                    limited += blocked;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** The slot that frees soonest, or -1 when every slot is in flight. */
    private int soonestSlot() {
        int soonest = -1;
        for (int i = 0; i < freeAt.length; i++) {
            if (freeAt[i] != IN_FLIGHT && (soonest < 0 || freeAt[i] - freeAt[soonest] < 0)) {
                soonest = i;
            }
        }
        return soonest;
    }

    /** Holds every request back until {@code nanoTime} (a {@link System#nanoTime()} value), unless held longer already. */
    void holdUntil(long nanoTime) {
        lock.lock();
        try {
            // Waiters wake at their own deadlines and see the longer hold then: no signal needed.
            if (!holding || nanoTime - notBefore > 0) {
                notBefore = nanoTime;
                holding = true;
            }
        } finally {
            lock.unlock();
        }
    }

    private void release(int slot) {
        lock.lock();
        try {
            freeAt[slot] = System.nanoTime() + periodNanos;
            // Whoever waited for "any answer" now has a time to wait for.
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private Permit permit(int slot, long waited, long held, long limited) {
        return new Permit() {
            private boolean released;

            @Override
            public long waitedNanos() {
                return waited;
            }

            @Override
            public long heldNanos() {
                return held;
            }

            @Override
            public long limitedNanos() {
                return limited;
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

    private static String describe(Settings.RateLimit limit) {
        return limit == null ? "none" : limit.toString();
    }

    private static String digest(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "RequestGate[" + describe(rateLimit) + "]";
    }
}
