package dev.tickeretl.polygon;

import dev.tickeretl.RequestStats;
import java.util.concurrent.atomic.AtomicLong;

/** The live request counters behind {@link PolygonSource#stats()}; updated by every worker. */
final class Counters {
    final AtomicLong requests = new AtomicLong();
    final AtomicLong retries = new AtomicLong();
    final AtomicLong rateLimited = new AtomicLong();
    final AtomicLong rateLimitWaitNanos = new AtomicLong();
    final AtomicLong failedRequests = new AtomicLong();

    RequestStats snapshot() {
        long sent = requests.get();
        // Every request this source sends asks for bars, so data requests equal requests.
        return new RequestStats(sent, sent, retries.get(), rateLimited.get(),
                rateLimitWaitNanos.get() / 1_000_000, failedRequests.get());
    }
}
