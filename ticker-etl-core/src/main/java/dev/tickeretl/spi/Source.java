package dev.tickeretl.spi;

import dev.tickeretl.RequestStats;
import java.time.Duration;

/**
 * Delivers raw bars, in the manner of a Kafka Connect source task: the same contract serves a bounded backfill
 * (which ends with {@link SourceEvent#END}) and an unbounded minute stream (which never does).
 *
 * <p>Lifecycle: {@link #start} once, then {@link #poll} until END (or until the pipeline stops), then
 * {@link #close}. {@code poll} is called from one thread; a source may fetch on threads of its own. The framework,
 * not the source, keeps offsets: it commits each partition's offset after the bars before it are durable, and a
 * started source reads what was committed through the {@link OffsetReader}.
 */
public interface Source extends AutoCloseable {

    /** Begins fetching what {@code request} asks for; {@code offsets} holds what earlier runs committed. */
    void start(SourceRequest request, OffsetReader offsets);

    /**
     * The next event, waiting at most {@code timeout}; {@code null} when nothing arrived in time.
     *
     * @throws dev.tickeretl.SourceException when the whole run cannot go on (bad credentials, a dead upstream)
     */
    SourceEvent poll(Duration timeout) throws InterruptedException;

    /**
     * The bars of {@code partition} up to {@code offset} are durable in the store (not yet committed: offsets are
     * committed in batches). A notification only, e.g. to measure how long a bar took from the wire to the disk.
     * Called on the pipeline's thread.
     */
    default void written(SourcePartition partition, SourceOffset offset) {
    }

    /**
     * {@code offset} of {@code partition} is now committed: everything before it is durable. A notification only
     * (e.g. to let a stream drop what it kept for repair); the framework has already stored it.
     */
    default void committed(SourcePartition partition, SourceOffset offset) {
    }

    /** Request counters for the run record; {@link RequestStats#NONE} when a source makes no requests. */
    default RequestStats stats() {
        return RequestStats.NONE;
    }

    /** Stops fetching and releases threads and connections; safe to call more than once. */
    @Override
    void close();
}
