package dev.tickeretl;

import dev.tickeretl.internal.Pipeline;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A run under way on a thread of its own, as {@link TickerEtl#start()} returns it: a stream that follows a live
 * feed until {@link #stop()}, or a batch run that a service wants to cancel. Thread-safe.
 *
 * <pre>{@code
 * RunHandle stream = TickerEtl.builder().streaming().tickers("AAPL", "MSFT").source("polygon")
 *     .store(URI.create("file:./data")).build().start();
 * ...
 * stream.stop();                       // flushes, commits offsets, records the run
 * RunRecord record = stream.result();
 * }</pre>
 */
public final class RunHandle implements AutoCloseable {

    private final Pipeline pipeline;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile RunRecord result;
    private volatile RuntimeException failure;

    RunHandle(Pipeline pipeline) {
        this.pipeline = pipeline;
        // Not a daemon (internal.DaemonThreads): a run keeps the JVM alive until it has recorded itself, even when
        // the caller's main thread has returned.
        Thread thread = new Thread(() -> {
            try {
                result = pipeline.execute();
            } catch (RuntimeException e) {
                failure = e;
            } finally {
                done.countDown();
            }
        }, "ticker-etl-run-" + pipeline.runId());
        thread.start();
    }

    /** The run's id, as its record in the store is named. */
    public String runId() {
        return pipeline.runId();
    }

    /** Asks the run to stop; it writes what it has buffered, commits offsets and records itself. Returns at once. */
    public void stop() {
        pipeline.stop("stopped on request");
    }

    /** Waits at most {@code timeout} for the run to end; true when it has. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Whether the run has ended. */
    public boolean isDone() {
        return done.getCount() == 0;
    }

    /**
     * Waits for the run to end and returns its record.
     *
     * @throws StoreException, IllegalArgumentException when the store, a sink or the source could not be opened
     *                         (then no run was recorded)
     */
    public RunRecord result() throws InterruptedException {
        done.await();
        if (failure != null) {
            throw failure;
        }
        return result;
    }

    /** Stops the run and waits for it to end. */
    @Override
    public void close() throws InterruptedException {
        stop();
        done.await();
    }

    @Override
    public String toString() {
        return "RunHandle[" + runId() + (isDone() ? ", done" : ", running") + "]";
    }
}
