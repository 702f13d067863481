package dev.tickeretl.cli;

import dev.tickeretl.RunListener;
import dev.tickeretl.RunRecord;
import dev.tickeretl.RequestStats;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.LongSupplier;

/** A progress line on a terminal (rewritten in place), or one plain line per ticker otherwise. */
final class ProgressListener implements RunListener {

    /** The client-side request limit the run was given: {@code requests} per {@code window}. */
    record RateLimit(int requests, Duration window) {
        RateLimit {
            if (requests < 1 || window.isZero() || window.isNegative()) {
                throw new IllegalArgumentException("rate limit: needs N >= 1 per a positive window");
            }
        }

        /** At best, how long {@code n} more requests take under this limit. */
        long secondsFor(long n) {
            return (long) Math.ceil(n * (window.toMillis() / 1000.0) / requests);
        }
    }

    private final PrintWriter err;
    private final boolean terminal;
    private final LongSupplier nanoTime;
    private final RateLimit rateLimit;
    private long startedNanos;

    ProgressListener(PrintWriter err, boolean terminal, RateLimit rateLimit) {
        this(err, terminal, rateLimit, System::nanoTime);
    }

    /** {@code rateLimit} may be null (no client-side limit). */
    ProgressListener(PrintWriter err, boolean terminal, RateLimit rateLimit, LongSupplier nanoTime) {
        this.err = err;
        this.terminal = terminal;
        this.rateLimit = rateLimit;
        this.nanoTime = nanoTime;
    }

    @Override
    public void runStarted(RunRecord running) {
        startedNanos = nanoTime.getAsLong();
        if (!terminal) {
            err.printf("run %s started: %d tickers %s..%s%n", running.runId(), running.parameters().tickers().size(),
                    running.parameters().from(), running.parameters().to());
            err.flush();
        }
    }

    @Override
    public void tickerFinished(String ticker, RunRecord.TickerOutcome o, int done, int total, RequestStats requests) {
        if (terminal) {
            // 429 answers are the server's verdict; the time workers spent waiting (summed over threads, and
            // including the client's own limit) says nothing a user can act on, so the line does not show it.
            err.printf("\r[%d/%d tickers] %d requests (%d answered 429), ETA %s   ", done, total,
                    requests.requests(), requests.rateLimited(), eta(done, total, requests.requests()));
            if (done == total) {
                err.println();
            }
        } else {
            err.printf("ticker %s %s: fetched=%d written=%d updated=%d unchanged=%d invalid=%d%s (%d/%d)%n", ticker,
                    o.status(), o.fetched(), o.written(), o.updated(), o.unchanged(), o.invalid(),
                    o.error() == null ? "" : " error=" + o.error(), done, total);
        }
        err.flush();
    }

    /**
     * The larger of two estimates: the pace so far, and the time the remaining requests need at the client-side
     * rate limit (the pace of the first tickers, which start at once, overstates what the limit allows later).
     */
    String eta(int done, int total, long requests) {
        if (done == 0) {
            return "-";
        }
        if (done >= total) {
            return "0s";
        }
        double elapsedS = (nanoTime.getAsLong() - startedNanos) / 1e9;
        long byPace = Math.round(elapsedS * (total - done) / done);
        long byLimit = 0;
        if (rateLimit != null) {
            long remaining = (long) Math.ceil((double) requests / done * (total - done));
            byLimit = rateLimit.secondsFor(remaining);
        }
        return Math.max(byPace, byLimit) + "s";
    }
}
