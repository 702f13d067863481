package dev.tickeretl;

/** Where a run stands. */
public enum RunStatus {
    /** Under way: its process writes a heartbeat into the record. */
    RUNNING,
    /** Every ticker fetched and stored, every bar valid (a stream: stopped on request, everything flushed). */
    SUCCEEDED,
    /** Some tickers failed or some bars were invalid; everything else was stored. */
    PARTIAL,
    /** Nothing could be done (bad key, unreachable store, or every ticker failed). */
    FAILED,
    /** Stopped before the end (SIGTERM, Ctrl-C, a deadline): what was fetched by then is stored and committed. */
    CANCELLED,
    /** Left RUNNING by a process that is gone (killed, crashed); found and re-recorded by a later look. */
    ABANDONED;

    /** Whether the run is over. */
    public boolean finished() {
        return this != RUNNING;
    }
}
