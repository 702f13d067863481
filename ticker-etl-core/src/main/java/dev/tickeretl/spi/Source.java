package dev.tickeretl.spi;

import java.time.Duration;

/**
 * Delivers raw bars. The same contract serves a bounded backfill (which ends with {@link SourceEvent#END}) and an
 * unbounded minute stream (which never does), in the manner of a Kafka Connect source task.
 *
 * <p>Lifecycle: {@link #start} once, then {@link #poll} until END (or until the caller stops), then {@link #close}.
 * A source may fetch in parallel internally; {@code poll} is called from one thread.
 */
public interface Source extends AutoCloseable {

    /** Begins fetching what the request asks for. */
    void start(SourceRequest request);

    /**
     * The next event, waiting at most {@code timeout}; {@code null} when nothing arrived in time.
     *
     * @throws SourceException when the whole run cannot go on (bad credentials, a broken configuration)
     */
    SourceEvent poll(Duration timeout) throws InterruptedException;

    /** Everything up to {@code offset} is durably stored; a streaming source may now advance its checkpoint. */
    default void commit(SourceOffset offset) {
    }

    /** Request counters for the run record; {@link RequestStats#NONE} when a source makes no requests. */
    default RequestStats stats() {
        return RequestStats.NONE;
    }

    @Override
    void close();
}
