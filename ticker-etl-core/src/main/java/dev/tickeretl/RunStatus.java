package dev.tickeretl;

/** Where a run stands. A run record left RUNNING after its process is gone marks a crashed run. */
public enum RunStatus {
    RUNNING,
    /** Every ticker fetched and stored, every bar valid. */
    SUCCEEDED,
    /** Some tickers failed or some bars were invalid; everything else was stored. */
    PARTIAL,
    /** Nothing could be done (bad key, unreachable store, or every ticker failed). */
    FAILED
}
