package dev.tickeretl;

/** Progress callbacks for a run, e.g. a terminal progress line. Called from the run's thread; keep them quick. */
public interface RunListener {

    RunListener NONE = new RunListener() {
    };

    /** The RUNNING record has been written. */
    default void runStarted(RunRecord running) {
    }

    /** One ticker is stored (or failed). {@code done} of {@code total} tickers are finished. */
    default void tickerFinished(String ticker, RunRecord.TickerOutcome outcome, int done, int total,
                                RequestStats requests) {
    }

    /** The final record has been written. */
    default void runFinished(RunRecord finished) {
    }
}
