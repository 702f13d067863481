package dev.tickeretl.cli;

import dev.tickeretl.RunListener;
import dev.tickeretl.RunRecord;
import dev.tickeretl.RequestStats;
import java.io.PrintWriter;

/** A progress line on a terminal (rewritten in place), or one plain line per ticker otherwise. */
final class ProgressListener implements RunListener {

    private final PrintWriter err;
    private final boolean terminal;
    private long startedNanos;

    ProgressListener(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    @Override
    public void runStarted(RunRecord running) {
        startedNanos = System.nanoTime();
        if (!terminal) {
            err.printf("run %s started: %d tickers %s..%s%n", running.runId(), running.parameters().tickers().size(),
                    running.parameters().from(), running.parameters().to());
            err.flush();
        }
    }

    @Override
    public void tickerFinished(String ticker, RunRecord.TickerOutcome o, int done, int total, RequestStats requests) {
        if (terminal) {
            long elapsedMs = (System.nanoTime() - startedNanos) / 1_000_000;
            long etaS = done == 0 ? 0 : Math.round(elapsedMs * (double) (total - done) / done / 1000.0);
            err.printf("\r[%d/%d tickers] %d requests, %d rate-limit waits (%d ms), ETA %ds   ", done, total,
                    requests.requests(), requests.rateLimited(), requests.rateLimitWaitMs(), etaS);
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
}
