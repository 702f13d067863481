package dev.tickeretl.internal;

import dev.tickeretl.Bar;
import dev.tickeretl.MarketTime;
import dev.tickeretl.RequestStats;
import dev.tickeretl.RunRecord;
import dev.tickeretl.RunRecord.DataQualityWarning;
import dev.tickeretl.RunRecord.RunParameters;
import dev.tickeretl.RunRecord.RunProcess;
import dev.tickeretl.RunRecord.TickerOutcome;
import dev.tickeretl.RunRecord.Totals;
import dev.tickeretl.RunStatus;
import dev.tickeretl.SourceException;
import dev.tickeretl.Timespan;
import dev.tickeretl.TradingCalendar;
import dev.tickeretl.internal.quality.QualityCheck;
import dev.tickeretl.internal.quality.StaleTicker;
import dev.tickeretl.spi.InvalidBarException;
import dev.tickeretl.spi.Metrics;
import dev.tickeretl.spi.OffsetReader;
import dev.tickeretl.spi.PhaseTagger;
import dev.tickeretl.spi.ProviderContext;
import dev.tickeretl.spi.RawBar;
import dev.tickeretl.spi.Sink;
import dev.tickeretl.spi.Source;
import dev.tickeretl.spi.SourceEvent;
import dev.tickeretl.spi.SourceOffset;
import dev.tickeretl.spi.SourcePartition;
import dev.tickeretl.spi.SourceRequest;
import dev.tickeretl.spi.TickerRange;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The one pipeline loop, for bounded and unbounded sources alike:
 *
 * <pre>
 * poll -> transform/validate -> buffer per partition -> flush (partition done, size, time) -> durable write
 *      -> fan-out sinks -> commit that partition's offset and coverage
 * </pre>
 *
 * A batch run is the bounded case: it ends when the source says END and everything is written. The loop runs on
 * one thread; writes run on a small pool, at most one per partition at a time, so a partition's writes stay in
 * order. A partition's offset is committed only after every earlier write of it succeeded, never for a failed one
 * (Kafka Connect's rule): at-least-once delivery plus keyed, idempotent writes gives effectively-once results.
 *
 * <p>The run is recorded RUNNING before any data, rewritten at every heartbeat with the totals so far, and
 * replaced with the outcome; on {@link #stop} (or JVM shutdown) it flushes what it has, commits, and records
 * CANCELLED (bounded) or SUCCEEDED (an unbounded run's normal end).
 */
public final class Pipeline {

    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final int MAX_WARNINGS = 1_000;
    private static final Duration MAX_WRITE_BACKOFF = Duration.ofSeconds(30);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(25);
    private static final long SCAN_MS = 10;
    private static final Duration SCAN = Duration.ofMillis(SCAN_MS);
    private static final Duration WRITE_WAIT = Duration.ofMillis(2);
    private static final Duration OUTBOX_RETRY = Duration.ofSeconds(5);
    /** Polygon re-sends a minute for up to 15 minutes; duplicates are recognised a while longer. */
    private static final Duration RECENT_WINDOW = Duration.ofMinutes(30);
    /** MDC keys: log bindings print them as fields (e.g. the CLI's JSON lines). */
    public static final String MDC_RUN_ID = "run_id";
    public static final String MDC_TICKER = "ticker";

    /** Findings about what the store held, not about the bars of this run's range. */
    private static final Set<String> STORE_LEVEL = Set.of(QualityCheck.DUPLICATE_KEY.name(),
            QualityCheck.FOREIGN_LINE.name());

    private final RunConfig config;
    private final RunConfig.Tuning tuning;
    private final TradingCalendar calendar;
    private final String runId;
    private final Map<String, Lane> lanes = new LinkedHashMap<>();
    /** Lanes that may have something to write: the only ones a flush looks at. */
    private final Set<Lane> active = new java.util.LinkedHashSet<>();
    /** Bars waiting in buffers, all lanes together. */
    private long buffered;
    private long nextScan;
    private final List<DataQualityWarning> warnings = new ArrayList<>();
    /** Every finding by check, listed or not. */
    private final Map<String, Long> findings = new TreeMap<>();
    /** Findings not listed, by check: past the per-check or the total limit. */
    private final Map<String, Long> unlisted = new TreeMap<>();
    private final Set<String> foreignPartitionsSeen = new HashSet<>();
    private final AtomicReference<String> stopReason = new AtomicReference<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicReference<RunRecord> outcome = new AtomicReference<>();
    private final List<SinkLink> links = new ArrayList<>();
    private final RunMetrics metrics;
    /** Epoch seconds of the run's committed watermark (see {@link #reportWatermark}). */
    public static final String COMPLETE_THROUGH_GAUGE = Metrics.WATERMARK_COMPLETE_THROUGH;
    /** A stream of minute bars: group-commit every flush into one segment instead of rewriting partitions. */
    private final boolean segmentMode;
    private long nextCompaction;
    private long nextOutboxDrain;
    private long filesWritten;
    private long bytesWritten;
    private int lanesFinished;
    private boolean deadlinePassed;
    private boolean draining;
    /** Too many bars wait in memory: every lane with bars writes them now. */
    private boolean pressure;
    private Instant started;
    private RunProcess process;
    private RunParameters parameters;
    private Source source;
    /** Offset commits and heartbeats, one at a time, off the loop's thread. */
    private ExecutorService background;
    private Future<?> pendingCommit;
    private CommitBatch pendingBatch;
    private Future<?> pendingHeartbeat;

    public Pipeline(RunConfig config) {
        this.config = config;
        this.tuning = config.tuning();
        this.calendar = config.calendar();
        this.runId = RunIds.next(config.clock());
        this.metrics = new RunMetrics(config.observer());
        this.segmentMode = config.unbounded() && config.timespan() == Timespan.MINUTE;
        for (String t : config.tickers()) {
            lanes.put(t, new Lane(new SourcePartition(t, config.timespan(), config.adjusted())));
        }
    }

    public String runId() {
        return runId;
    }

    /** Asks the loop to stop: it flushes, commits and records the run. Safe from any thread, more than once. */
    public void stop(String reason) {
        stopReason.compareAndSet(null, reason);
    }

    /** Waits for the run to end; its record, or null on time-out. */
    public RunRecord await(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS) ? outcome.get() : null;
    }

    /**
     * Runs to the end (bounded: END; unbounded: {@link #stop}), and returns the final record.
     *
     * @throws RuntimeException from opening the store, a sink or the source: configuration errors, before any run
     *                          is recorded
     */
    public RunRecord execute() {
        String outerRunId = MDC.get(MDC_RUN_ID);
        MDC.put(MDC_RUN_ID, runId); // every log line of this run carries it (writer threads set their own)
        try {
            RunRecord done = run();
            outcome.set(done);
            return done;
        } finally {
            restoreMdc(MDC_RUN_ID, outerRunId);
            finished.countDown();
        }
    }

    private RunRecord run() {
        started = config.clock().instant();
        process = RunLiveness.thisProcess(started, tuning.heartbeatInterval());
        parameters = new RunParameters(config.unbounded() ? RunParameters.STREAM : RunParameters.BATCH,
                config.tickers(), config.from(), config.to(), config.timespan(), config.adjusted(),
                config.incremental(), config.sourceName(), config.storeName(), config.sinkNames(),
                config.timespan() == Timespan.DAY ? config.phaseTagger().name() : null);
        ProviderContext context = new ProviderContext(java.util.Map.of(), config.clock(), metrics, runId,
                config.sourceName());
        // Store, sinks and source are opened before the run is recorded: one that cannot even open (no bucket, no
        // API key, a bad option) is a configuration error for the caller, not a run.
        List<Sink> sinks = new ArrayList<>();
        try (DataStore store = new DataStore(config.store().apply(context), calendar)) {
            try {
                for (var open : config.sinks()) {
                    sinks.add(open.apply(context));
                }
                try (Source opened = config.source().apply(context)) {
                    this.source = opened;
                    return record(store, sinks);
                }
            } finally {
                for (Sink sink : sinks) {
                    try {
                        sink.close();
                    } catch (RuntimeException e) {
                        LOG.warn("closing sink {} failed: {}", sink.name(), e.getMessage());
                    }
                }
            }
        }
    }

    private RunRecord record(DataStore store, List<Sink> sinks) {
        for (int i = 0; i < sinks.size(); i++) {
            links.add(new SinkLink(sinks.get(i), config.sinkNames().get(i), store, metrics, runId));
        }
        RunRecord running = snapshot(RunStatus.RUNNING, null, RequestStats.NONE, null);
        store.putRun(running);
        config.listener().runStarted(running);
        LOG.atInfo().addKeyValue("event", "run_started").log("run {} started: {} {} tickers {} source={} store={}",
                runId, parameters.mode(),
                config.tickers().size(), config.unbounded() ? "live" : config.from() + ".." + config.to(),
                config.sourceName(), config.storeName());
        try {
            RunLiveness.reconcile(store, started, runId);
        } catch (RuntimeException e) {
            LOG.debug("could not look for abandoned runs: {}", e.getMessage());
        }
        Thread hook = tuning.shutdownHook() ? installShutdownHook() : null;
        drainOutboxes(); // bars an earlier run could not deliver go first
        String runError = null;
        RequestStats stats = RequestStats.NONE;
        try (Writes writes = new Writes(store)) {
            try {
                runError = loop(store, writes);
            } catch (SourceException e) {
                runError = e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                runError = "interrupted";
            } catch (RuntimeException e) {
                LOG.error("run {} failed", runId, e);
                runError = describe(e);
            } finally {
                // Whatever ended the loop, what was read is written and committed if it can be.
                source.close();
                stats = source.stats();
                try {
                    drain(store, writes);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    runError = runError != null ? runError : "interrupted";
                }
            }
        } finally {
            removeShutdownHook(hook);
            stopBackground();
        }
        settleLanes(runError);
        drainOutboxes(); // the sink may be back by now
        String outboxNote = outboxNote();
        RunStatus status = status(runError);
        if (outboxNote != null) {
            status = status == RunStatus.SUCCEEDED ? RunStatus.PARTIAL : status;
            runError = runError != null ? runError + "; " + outboxNote : outboxNote;
        }
        Instant finishedAt = config.clock().instant();
        reportProgressGauges();
        metrics.count(Metrics.RUNS, 1, Metrics.STATUS, status.name());
        metrics.time(Metrics.RUN_DURATION, Duration.between(started, finishedAt), Metrics.MODE, parameters.mode());
        metrics.gauge(Metrics.RUN_FINISHED_TIMESTAMP, finishedAt.toEpochMilli() / 1000.0, Metrics.STATUS,
                status.name());
        RunRecord done = snapshot(status, finishedAt, stats, runError);
        store.putRun(done);
        LOG.atInfo().addKeyValue("event", "run_finished").addKeyValue("status", done.status())
                .addKeyValue("duration_ms", done.durationMs())
                .log("run {} {} in {} ms: {} written, {} updated, {} unchanged, {} invalid, {} failed tickers", runId,
                        done.status(), done.durationMs(), done.totals().written(), done.totals().updated(),
                        done.totals().unchanged(), done.totals().invalid(), done.totals().failedTickers());
        config.listener().runFinished(done);
        return done;
    }

    // ------------------------------------------------------------------------------------------------ the loop

    /** @return the error that ended the whole run, or null */
    private String loop(DataStore store, Writes writes) throws InterruptedException {
        SourceRequest request = plan(store);
        if (!request.unbounded() && request.ranges().isEmpty()) {
            return null; // nothing to ask for: every lane is already settled
        }
        OffsetReader offsets = offsetReader(store, request);
        source.start(request, offsets);
        long now = System.nanoTime();
        long nextCommit = now + tuning.commitInterval().toNanos();
        long nextHeartbeat = now + tuning.heartbeatInterval().toNanos();
        long deadlineAt = tuning.deadline() == null ? Long.MAX_VALUE : now + tuning.deadline().toNanos();
        boolean ended = false;
        while (true) {
            if (stopReason.get() != null) {
                LOG.info("run {} stopping: {}", runId, stopReason.get());
                return null;
            }
            if (System.nanoTime() - deadlineAt >= 0) {
                deadlinePassed = true;
                LOG.warn("run {}: the run deadline {} has passed; stopping", runId, tuning.deadline());
                return null;
            }
            if (!ended) {
                if (buffered + writes.inFlightBars() >= tuning.maxBufferedBars()) {
                    // Back-pressure: the source waits while writes catch up, and everything buffered is written
                    // now (a bounded run's lanes would otherwise wait for their end forever).
                    pressure = true;
                    nextScan = 0;
                    flushDue(writes, false);
                    pressure = false;
                    writes.awaitAny(POLL);
                } else {
                    SourceEvent event = source.poll(pollTimeout(writes));
                    if (event instanceof SourceEvent.End) {
                        ended = true;
                        for (Lane lane : lanes.values()) {
                            lane.sourceDone = true;
                            active.add(lane);
                        }
                    } else if (event != null) {
                        handle(event, store);
                    }
                }
            } else {
                writes.awaitAny(POLL);
            }
            harvest(writes, store);
            flushDue(writes, ended);
            now = System.nanoTime();
            if (segmentMode && (now - nextCompaction >= 0 || writes.uncompactedBars() >= compactionRoundBars())) {
                // Every interval, or sooner once the segments hold a round of bars: a fast stream (thousands of
                // tickers, a replay) would otherwise pile up more than one compaction can hold in the heap, and
                // more than a reader's segment cache keeps (each read overlays every segment).
                if (nextCompaction != 0) {
                    writes.compactInBackground();
                }
                nextCompaction = now + tuning.compactInterval().toNanos();
            }
            if (!links.isEmpty() && now - nextOutboxDrain >= 0) {
                scheduleOutboxDrains(writes);
                nextOutboxDrain = now + OUTBOX_RETRY.toNanos();
            }
            if (now - nextCommit >= 0) {
                commit(store);
                reportProgressGauges();
                nextCommit = now + tuning.commitInterval().toNanos();
            }
            if (now - nextHeartbeat >= 0) {
                heartbeat(store);
                nextHeartbeat = now + tuning.heartbeatInterval().toNanos();
            }
            if (!request.unbounded() && lanesFinished == lanes.size()) {
                return null; // every ticker is decided; close() stops whatever the source still runs
            }
        }
    }

    /** Bars a compaction holds in memory at a time, and the segments' bars that start one before its interval. */
    private int compactionRoundBars() {
        return Math.min(DataStore.COMPACTION_ROUND_BARS, tuning.maxBufferedBars());
    }

    /**
     * How long to wait for the source. The loop cannot be woken by a finished write or a flush falling due, so
     * while either is near it looks again soon: a durable write is taken in (and its offset committable) within
     * {@link #WRITE_WAIT} instead of after a whole poll.
     */
    private Duration pollTimeout(Writes writes) {
        if (writes.busy()) {
            return WRITE_WAIT;
        }
        if (buffered > 0 && tuning.flushInterval() != null) {
            return SCAN;
        }
        if (tuning.flushInterval() == null) {
            return POLL;
        }
        return tuning.flushInterval().compareTo(POLL) < 0 ? tuning.flushInterval() : POLL;
    }

    private void handle(SourceEvent event, DataStore store) {
        if (event instanceof SourceEvent.Bars bars) {
            Lane lane = laneOf(bars.partition());
            if (lane == null) {
                return;
            }
            metrics.count(Metrics.BARS_FETCHED, bars.bars().size(), Metrics.TICKER, lane.ticker());
            lane.received(System.nanoTime());
            for (RawBar raw : bars.bars()) {
                accept(lane, raw);
            }
            lane.pendingOffset = bars.offset();
            active.add(lane);
        } else if (event instanceof SourceEvent.Covered covered) {
            Lane lane = laneOf(covered.partition());
            if (lane != null) {
                lane.pendingCoverage.add(new Coverage.Span(covered.from(), covered.to(), config.clock().instant()));
                active.add(lane);
            }
        } else if (event instanceof SourceEvent.PartitionDone done) {
            Lane lane = laneOf(done.partition());
            if (lane != null) {
                lane.sourceDone = true;
                active.add(lane);
                nextScan = 0; // write a finished partition now
            }
        } else if (event instanceof SourceEvent.PartitionFailed failed) {
            Lane lane = laneOf(failed.partition());
            if (lane != null) {
                fail(lane, failed.reason(), store);
            }
        } else if (event instanceof SourceEvent.Invalid invalid) {
            Lane lane = lanes.get(invalid.ticker());
            if (lane != null) {
                lane.invalid++;
                lane.incomplete = true; // some answer could not be read: cover nothing of this lane in this run
                metrics.count(Metrics.BARS_INVALID, 1, Metrics.TICKER, lane.ticker());
            }
            warn("INVALID_BAR", invalid.ticker(), null, invalid.reason());
        } else if (event instanceof SourceEvent.Warning warning) {
            warn("SOURCE_WARNING", warning.ticker(), null, warning.message());
        }
    }

    /** The lane of a partition this run asked for; null (with one warning) for anything else. */
    private Lane laneOf(SourcePartition partition) {
        Lane lane = lanes.get(partition.ticker());
        if (lane != null && lane.partition.equals(partition)) {
            return lane.closed() ? null : lane;
        }
        if (foreignPartitionsSeen.add(partition.toString())) {
            warn("UNEXPECTED_PARTITION", partition.ticker(), null, "the source sent bars of " + partition
                    + ", which this run did not ask for (" + config.timespan().wireName()
                    + (config.adjusted() ? "" : ", unadjusted") + "); they are not stored");
        }
        return null;
    }

    private void accept(Lane lane, RawBar raw) {
        lane.fetched++;
        LocalDate date = MarketTime.tradingDate(raw.startMs());
        if (lane.range != null && (date.isBefore(lane.range.from()) || date.isAfter(lane.range.to()))) {
            lane.outsideRange++;
            return; // a source may answer more than asked; only the requested dates are stored
        }
        Bar bar;
        try {
            bar = config.transformer().transform(raw);
        } catch (InvalidBarException e) {
            lane.invalid++;
            lane.invalidDates.add(date); // never recorded as answered: the next incremental run asks again
            metrics.count(Metrics.BARS_INVALID, 1, Metrics.TICKER, lane.ticker());
            warn("INVALID_BAR", lane.ticker(), date, e.getMessage());
            return;
        }
        if (lane.lastBarDate == null || bar.tradingDate().isAfter(lane.lastBarDate)) {
            lane.lastBarDate = bar.tradingDate();
        }
        if (bar.timespan() == Timespan.DAY && !calendar.isTradingDay(bar.tradingDate())) {
            warn("NON_TRADING_DAY_BAR", lane.ticker(), bar.tradingDate(),
                    "bar on a day the NYSE calendar has closed; stored, not used as a previous session");
        }
        if (segmentMode) {
            // A live feed re-sends minutes (revisions, duplicates): an identical one is not written again, and
            // the rest are counted as new or revised here, since a segment append does not merge.
            Bar seen = lane.recent.put(bar.startMs(), bar);
            if (bar.equals(seen)) {
                lane.unchanged++;
                return;
            }
            if (seen == null) {
                lane.pendingNew++;
            } else {
                lane.pendingRevised++;
            }
            lane.pruneRecent(bar.startMs());
        }
        if (lane.buffer.isEmpty()) {
            lane.bufferedSince = System.nanoTime();
        }
        if (lane.buffer.put(bar.startMs(), bar) == null) { // the last one received wins
            buffered++;
        }
        active.add(lane);
        if (lane.buffer.size() >= tuning.maxBatchBars()) {
            nextScan = 0;
        }
    }

    /**
     * Hands every lane that is due to the writers. Only lanes with something pending are looked at, and at most
     * every {@value #SCAN_MS} ms, so a stream of thousands of tickers does not pay a scan per event.
     */
    private void flushDue(Writes writes, boolean ended) {
        long now = System.nanoTime();
        if (now - nextScan < 0 && !ended) {
            return;
        }
        nextScan = now + TimeUnit.MILLISECONDS.toNanos(SCAN_MS);
        // Group commit as a database log does it: while a segment is being made durable, bars gather; once it is,
        // everything gathered goes in the next one. A quiet feed's bars are durable within a scan and a sync, a
        // burst's in as few segments as the disk can take; flushInterval only bounds the wait.
        boolean writerIdle = segmentMode && writes.segmentWrites() == 0;
        List<Unit> due = new ArrayList<>();
        for (java.util.Iterator<Lane> it = active.iterator(); it.hasNext(); ) {
            Lane lane = it.next();
            if (lane.closed()) {
                it.remove();
                continue;
            }
            if (lane.inFlight != null) {
                // harvest() puts it back once its write has ended. Kept here, the thousands of lanes of a burst
                // in flight were stepped over on every scan: a fifth of the loop's time in the stream bench.
                it.remove();
                continue;
            }
            if (now - lane.retryAt < 0) {
                continue;
            }
            boolean hasWork = !lane.buffer.isEmpty() || lane.pendingOffset != null || !lane.pendingCoverage.isEmpty();
            boolean dueNow = lane.sourceDone || ended || pressure || lane.buffer.size() >= tuning.maxBatchBars()
                    || (writerIdle && !lane.buffer.isEmpty())
                    || (tuning.flushInterval() != null && !lane.buffer.isEmpty()
                    && now - lane.bufferedSince >= tuning.flushInterval().toNanos())
                    || (lane.buffer.isEmpty() && hasWork);
            if (hasWork && dueNow) {
                due.add(lane.takeUnit());
            } else if (!hasWork) {
                it.remove();
                if (lane.sourceDone) {
                    finish(lane, null);
                }
            }
        }
        writes.submit(due);
    }

    /** Takes in finished writes: counts, warnings, and what may now be committed. */
    private void harvest(Writes writes, DataStore store) {
        List<Unit> finished = writes.takeDone();
        if (segmentMode && !finished.isEmpty()) {
            nextScan = 0; // the writer may be idle now: what gathered meanwhile goes in the next segment at once
        }
        for (Unit unit : finished) {
            Lane lane = unit.lane;
            lane.inFlight = null;
            active.add(lane);
            if (lane.status == RunStatus.FAILED) {
                // Failed while this write was under way: whatever it stored stays, nothing of it is committed.
                if (unit.result != null) {
                    lane.written += unit.result.inserted();
                    lane.updated += unit.result.updated();
                    lane.unchanged += unit.result.unchanged();
                }
                if (!lane.reported) {
                    closeLane(lane);
                }
                continue;
            }
            if (unit.error != null) {
                if (config.unbounded() && !draining) {
                    retryLater(lane, unit);
                } else {
                    // What was fetched could not be kept: an operator must act (the source's failures are WARN).
                    try (var t = MDC.putCloseable(MDC_TICKER, lane.ticker())) {
                        LOG.error("storing {} failed: {}", lane.ticker(), unit.error);
                    }
                    failQuietly(lane, unit.error, store);
                }
                continue;
            }
            lane.writeFailures = 0;
            DataStore.WriteOutcome w = unit.result;
            lane.written += w.inserted();
            lane.updated += w.updated();
            lane.unchanged += w.unchanged();
            filesWritten += w.filesWritten();
            bytesWritten += w.bytesWritten();
            for (DataQualityWarning dq : w.warnings()) {
                // Findings about the lookback day belong to the run that asked for that day; a damaged line in
                // the store is news whatever its date.
                if (lane.range == null || dq.tradingDate() == null || !dq.tradingDate().isBefore(config.from())
                        || STORE_LEVEL.contains(dq.kind())) {
                    warn(dq.kind(), dq.ticker(), dq.tradingDate(), dq.message());
                }
            }
            if (unit.offset != null) {
                lane.committableOffset = unit.offset;
                try {
                    source.written(lane.partition, unit.offset);
                } catch (RuntimeException e) {
                    LOG.debug("source did not take the write notice of {}: {}", lane.partition, e.getMessage());
                }
            }
            lane.committableCoverage.addAll(unit.coverage);
            report(lane, unit, w);
            if (lane.sourceDone && lane.buffer.isEmpty() && lane.pendingOffset == null
                    && lane.pendingCoverage.isEmpty()) {
                finish(lane, store);
            }
        }
    }

    private void report(Lane lane, Unit unit, DataStore.WriteOutcome w) {
        var o = metrics;
        String t = lane.ticker();
        o.count(Metrics.BARS_WRITTEN, w.inserted(), Metrics.TICKER, t);
        o.count(Metrics.BARS_UPDATED, w.updated(), Metrics.TICKER, t);
        o.count(Metrics.BARS_UNCHANGED, w.unchanged(), Metrics.TICKER, t);
        o.count(Metrics.PARTITION_FILES_WRITTEN, w.filesWritten());
        if (w.filesWritten() > 0) {
            o.record(Metrics.PARTITION_WRITE_BYTES, w.bytesWritten());
        }
        for (Bar b : unit.bars) {
            lane.newestStoredMs = Math.max(lane.newestStoredMs, b.startMs());
        }
        if (lane.newestStoredMs != Long.MIN_VALUE) {
            o.gauge(Metrics.LAST_BAR_AGE, ageSeconds(lane.newestStoredMs), Metrics.TICKER, t);
        }
    }

    private double ageSeconds(long epochMs) {
        return Math.max(0, config.clock().millis() - epochMs) / 1000.0;
    }

    /**
     * Gauges that change with time alone: each ticker's freshness (the age of its newest stored bar grows while no
     * newer one comes) and the offset lag.
     */
    private void reportProgressGauges() {
        long now = System.nanoTime();
        long oldest = now;
        for (Lane lane : lanes.values()) {
            if (lane.newestStoredMs != Long.MIN_VALUE) {
                metrics.gauge(Metrics.LAST_BAR_AGE, ageSeconds(lane.newestStoredMs), Metrics.TICKER, lane.ticker());
            }
            if (lane.uncommitted && lane.status != RunStatus.FAILED && lane.uncommittedSince - oldest < 0) {
                oldest = lane.uncommittedSince;
            }
        }
        metrics.gauge(Metrics.OFFSET_LAG, (now - oldest) / 1e9);
    }

    /** Idle lanes whose bars wait in an outbox get a drain of their own, in their partition's order. */
    private void scheduleOutboxDrains(Writes writes) {
        List<Unit> drains = new ArrayList<>();
        for (Lane lane : lanes.values()) {
            if (lane.inFlight == null && !lane.closed()
                    && links.stream().anyMatch(l -> l.hasPending(lane.partition))) {
                Unit unit = new Unit(lane, List.of(), null, List.of());
                unit.drainOnly = true;
                lane.inFlight = unit;
                drains.add(unit);
            }
        }
        writes.submit(drains);
    }

    /** Delivers every partition's waiting bars, oldest first; stops at a sink's first failure. */
    private void drainOutboxes() {
        for (SinkLink link : links) {
            for (SourcePartition p : link.pendingPartitions()) {
                try {
                    if (!link.drain(p)) {
                        break; // still down: try again later rather than fail once per partition
                    }
                } catch (RuntimeException e) {
                    LOG.warn("sink {}: could not deliver the waiting bars of {}: {}", link.name(), p, describe(e));
                    break;
                }
            }
        }
    }

    /** A run whose sinks still have bars waiting is not a complete success: says so and how it recovers. */
    private String outboxNote() {
        String note = null;
        for (SinkLink link : links) {
            long waiting = link.pendingBars();
            link.pendingAtEnd = waiting;
            if (waiting > 0 && note == null) {
                note = waiting + " bars wait in the store's outbox for sink " + link.name()
                        + (link.lastError == null ? "" : " (" + link.lastError + ")")
                        + "; the next run delivers them first";
            }
        }
        return note;
    }

    /** An unbounded run keeps a failed write's bars and tries again after a growing pause. */
    private void retryLater(Lane lane, Unit unit) {
        lane.writeFailures++;
        long backoffMs = Math.min(MAX_WRITE_BACKOFF.toMillis(), 500L << Math.min(lane.writeFailures, 10));
        lane.retryAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs);
        for (Bar b : unit.bars) {
            if (lane.buffer.putIfAbsent(b.startMs(), b) == null) { // a newer revision received since wins
                buffered++;
            }
        }
        if (lane.pendingOffset == null) {
            lane.pendingOffset = unit.offset;
        }
        lane.pendingCoverage.addAll(0, unit.coverage);
        lane.requeued(unit.receivedSince);
        LOG.error("writing {} failed ({} in a row), retrying in {} ms: {}", lane.partition, lane.writeFailures,
                backoffMs, unit.error);
        if (lane.writeFailures == 1) {
            warn("WRITE_FAILED", lane.ticker(), null, "writing failed, retrying: " + unit.error);
        }
        metrics.count(Metrics.WRITE_FAILURES, 1);
    }

    /** Writes everything still buffered and waits for every write; commits what became durable. */
    private void drain(DataStore store, Writes writes) throws InterruptedException {
        draining = true;
        long giveUpAt = System.nanoTime() + SHUTDOWN_GRACE.toNanos();
        while (true) {
            harvest(writes, store);
            List<Unit> due = new ArrayList<>();
            for (Lane lane : lanes.values()) {
                boolean hasWork = !lane.buffer.isEmpty() || lane.pendingOffset != null
                        || !lane.pendingCoverage.isEmpty();
                if (!lane.closed() && lane.inFlight == null && hasWork) {
                    due.add(lane.takeUnit());
                }
            }
            writes.submit(due);
            if (!writes.busy()) {
                break;
            }
            if (System.nanoTime() - giveUpAt >= 0) {
                LOG.warn("run {}: writes still running {} after stopping; recording the run anyway", runId,
                        SHUTDOWN_GRACE);
                break;
            }
            writes.awaitAny(POLL);
        }
        harvest(writes, store);
        commitNow(store);
        if (segmentMode) {
            writes.awaitCompaction();
            writes.compactNow(); // a stopped stream leaves its bars in the partitions
        }
    }

    // ------------------------------------------------------------------------------------------------ planning

    /**
     * Bounded: each ticker's range is [the lookback's first session, to], the lookback being the sessions before the
     * first wanted day that the phase tagger reads ({@link PhaseTagger#sessions()}, 1 for minute bars). Incremental
     * runs want only the trading days of that window that lack a settled answer in the coverage (the tagger reads
     * answered ones from the store). Unbounded: the tickers.
     */
    private SourceRequest plan(DataStore store) {
        if (config.unbounded()) {
            return SourceRequest.unbounded(config.timespan(), config.adjusted(), config.tickers());
        }
        List<LocalDate> days = calendar.tradingDays(config.from(), config.to());
        OffsetsFile offsets = config.incremental() && !days.isEmpty()
                ? store.offsets(config.timespan(), config.adjusted()) : null;
        LocalDate lookback = days.isEmpty() ? null : lookbackStart(days.get(0));
        List<TickerRange> ranges = new ArrayList<>();
        for (Lane lane : lanes.values()) {
            if (days.isEmpty()) {
                lane.sourceDone = true;
                continue;
            }
            if (offsets == null) {
                lane.range = new TickerRange(lane.ticker(), lookback, config.to());
            } else {
                List<Coverage.Span> coverage = offsets.partitions()
                        .getOrDefault(lane.ticker(), OffsetsFile.Progress.NONE).coverage();
                // A day is done when it and the sessions its phase depends on have a settled answer. What is not
                // done is asked for, as one span (one request chain is cheaper than several).
                java.util.TreeSet<LocalDate> needed = new java.util.TreeSet<>();
                for (LocalDate d : calendar.tradingDays(lookback, config.to())) {
                    if (!Coverage.answered(coverage, d, calendar)) {
                        needed.add(d);
                    }
                }
                if (needed.isEmpty()) {
                    lane.sourceDone = true;
                    continue;
                }
                lane.range = new TickerRange(lane.ticker(), needed.first(), needed.last());
            }
            lane.requested = true;
            ranges.add(lane.range);
        }
        if (days.isEmpty()) {
            warn("NO_TRADING_DAYS", null, null, "no NYSE trading day in " + config.from() + ".." + config.to());
        }
        return SourceRequest.bounded(config.timespan(), config.adjusted(), ranges);
    }

    /** The first session of the lookback before {@code firstDay}: as many sessions back as the tagger reads. */
    private LocalDate lookbackStart(LocalDate firstDay) {
        int sessions = config.timespan() == Timespan.DAY ? DayTagging.sessions(config.phaseTagger()) : 1;
        LocalDate day = firstDay;
        for (int i = 0; i < sessions; i++) {
            day = calendar.previousTradingDay(day);
        }
        return day;
    }

    private OffsetReader offsetReader(DataStore store, SourceRequest request) {
        OffsetsFile file;
        try {
            file = store.offsets(request.timespan(), request.adjusted());
        } catch (RuntimeException e) {
            if (request.unbounded()) {
                throw e; // a stream must not start from nowhere when its offsets cannot be read
            }
            LOG.warn("{}", e.getMessage());
            return OffsetReader.EMPTY;
        }
        return partition -> {
            if (partition.timespan() != request.timespan() || partition.adjusted() != request.adjusted()) {
                return Optional.empty();
            }
            OffsetsFile.Progress p = file.partitions().get(partition.ticker());
            return p == null || p.offset().isEmpty() ? Optional.empty() : Optional.of(new SourceOffset(p.offset()));
        };
    }

    // ------------------------------------------------------------------------------------------------ commits

    /**
     * Hands every committable offset and coverage span to the background thread as one store update; the source
     * hears of them once it is done. At most one commit is under way: what becomes committable meanwhile waits for
     * the next. A commit of thousands of partitions rewrites a file of megabytes, which must not hold up the loop.
     */
    private void commit(DataStore store) throws InterruptedException {
        if (!settleCommit(false)) {
            return;
        }
        CommitBatch batch = takeCommittable();
        if (batch != null) {
            pendingBatch = batch;
            pendingCommit = background().submit(() -> batch.run(store));
        }
    }

    /** Commits everything committable now, on this thread, after the commit under way (the end of a run). */
    private void commitNow(DataStore store) throws InterruptedException {
        settleCommit(true);
        CommitBatch batch = takeCommittable();
        if (batch != null) {
            batch.run(store);
            finishCommit(batch);
        }
    }

    /** Takes in the commit under way if it has ended (or waits for it); false while it runs. */
    private boolean settleCommit(boolean wait) throws InterruptedException {
        if (pendingCommit == null) {
            return true;
        }
        if (!wait && !pendingCommit.isDone()) {
            return false;
        }
        try {
            pendingCommit.get();
        } catch (ExecutionException e) {
            pendingBatch.error = describe(e.getCause());
        }
        CommitBatch batch = pendingBatch;
        pendingCommit = null;
        pendingBatch = null;
        finishCommit(batch);
        return true;
    }

    /** Moves what may be committed out of the lanes; null when there is nothing. */
    private CommitBatch takeCommittable() {
        CommitBatch batch = new CommitBatch();
        for (Lane lane : lanes.values()) {
            if (lane.committableOffset != null || !lane.committableCoverage.isEmpty()) {
                batch.lanes.add(lane);
                batch.offsets.add(lane.committableOffset);
                batch.coverage.add(new ArrayList<>(lane.committableCoverage));
                lane.committableOffset = null;
                lane.committableCoverage.clear();
            }
        }
        return batch.lanes.isEmpty() ? null : batch;
    }

    /** On the loop's thread: tells the source, or gives a failed commit's offsets back to the lanes. */
    private void finishCommit(CommitBatch batch) {
        if (batch.error != null) {
            LOG.error("run {}: committing offsets failed (the data is stored; they are committed next time): {}",
                    runId, batch.error);
            for (int i = 0; i < batch.lanes.size(); i++) {
                Lane lane = batch.lanes.get(i);
                if (lane.status == RunStatus.FAILED) {
                    continue; // never past a failed write
                }
                if (lane.committableOffset == null) {
                    lane.committableOffset = batch.offsets.get(i); // unless a newer one is waiting
                }
                lane.committableCoverage.addAll(0, batch.coverage.get(i));
            }
            return;
        }
        metrics.count(Metrics.OFFSET_COMMITS, 1);
        for (int i = 0; i < batch.lanes.size(); i++) {
            Lane lane = batch.lanes.get(i);
            SourceOffset offset = batch.offsets.get(i);
            lane.committed();
            if (offset != null) {
                lane.committedWatermark = watermarkOf(offset, lane.committedWatermark);
                try {
                    source.committed(batch.lanes.get(i).partition, offset);
                } catch (RuntimeException e) {
                    LOG.warn("source did not take the commit of {}: {}", batch.lanes.get(i).partition,
                            e.getMessage());
                }
            }
        }
        reportWatermark();
    }

    private static long watermarkOf(SourceOffset offset, long previous) {
        String value = offset.get(SourceOffset.COMPLETE_THROUGH);
        if (value == null) {
            return previous;
        }
        try {
            return Math.max(previous, Long.parseLong(value));
        } catch (NumberFormatException e) {
            return previous;
        }
    }

    /**
     * The run's committed watermark: the lowest of its tickers' (so every minute of every ticker up to it is stored
     * at its final revision). Reported once each of the run's tickers has one; the run record keeps the last value,
     * which is what {@code runs} shows.
     */
    private void reportWatermark() {
        long lowest = Long.MAX_VALUE;
        for (Lane lane : lanes.values()) {
            if (lane.committedWatermark == Long.MIN_VALUE) {
                return;
            }
            lowest = Math.min(lowest, lane.committedWatermark);
        }
        if (lowest != Long.MAX_VALUE) {
            metrics.gauge(COMPLETE_THROUGH_GAUGE, lowest / 1000.0);
        }
    }

    /** One store update of offsets and coverage, taken from the lanes on the loop's thread. */
    private final class CommitBatch {
        final List<Lane> lanes = new ArrayList<>();
        final List<SourceOffset> offsets = new ArrayList<>();
        final List<List<Coverage.Span>> coverage = new ArrayList<>();
        volatile String error;

        void run(DataStore store) {
            Map<String, DataStore.Commit> commits = new LinkedHashMap<>();
            for (int i = 0; i < lanes.size(); i++) {
                SourceOffset offset = offsets.get(i);
                commits.put(lanes.get(i).ticker(), new DataStore.Commit(offset == null ? null : offset.position(),
                        coverage.get(i)));
            }
            long t0 = System.nanoTime();
            try {
                store.commit(config.timespan(), config.adjusted(), commits, config.clock().instant(), runId);
                metrics.time(Metrics.OFFSET_COMMIT_DURATION, Duration.ofNanos(System.nanoTime() - t0));
            } catch (RuntimeException e) {
                error = describe(e);
            }
        }
    }

    /** The RUNNING record with the totals so far, written on the background thread; skipped while one is. */
    private void heartbeat(DataStore store) {
        if (pendingHeartbeat != null && !pendingHeartbeat.isDone()) {
            return;
        }
        RunRecord running = snapshot(RunStatus.RUNNING, null, source.stats(), null);
        pendingHeartbeat = background().submit(() -> {
            long t0 = System.nanoTime();
            try {
                store.putRun(running);
                metrics.time(Metrics.HEARTBEAT_DURATION, Duration.ofNanos(System.nanoTime() - t0));
            } catch (RuntimeException e) {
                LOG.warn("run {}: heartbeat not recorded: {}", runId, e.getMessage());
            }
        });
    }

    /** Lets the background work under way end, so that no late RUNNING record replaces the final one. */
    private void stopBackground() {
        if (background == null) {
            return;
        }
        background.shutdown();
        try {
            if (!background.awaitTermination(SHUTDOWN_GRACE.toSeconds(), TimeUnit.SECONDS)) {
                LOG.warn("run {}: a heartbeat or commit still runs after {}", runId, SHUTDOWN_GRACE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ExecutorService background() {
        if (background == null) {
            background = Executors.newSingleThreadExecutor(DaemonThreads.named("ticker-etl-commit-" + runId));
        }
        return background;
    }

    // ------------------------------------------------------------------------------------------------ outcomes

    private void fail(Lane lane, String reason, DataStore store) {
        if (!lane.closed()) {
            try (var t = MDC.putCloseable(MDC_TICKER, lane.ticker())) {
                LOG.atWarn().addKeyValue("event", "ticker_failed").log("{} failed: {}", lane.ticker(), reason);
            }
        }
        failQuietly(lane, reason, store);
    }

    /** {@link #fail} when the reason has been logged already. */
    private void failQuietly(Lane lane, String reason, DataStore store) {
        if (lane.closed()) {
            return;
        }
        lane.status = RunStatus.FAILED;
        lane.error = reason;
        buffered -= lane.buffer.size();
        lane.buffer.clear();
        lane.pendingOffset = null;
        lane.pendingCoverage.clear();
        lane.committableOffset = null; // never past a failed write, never for a failed ticker
        lane.committableCoverage.clear();
        lane.sourceDone = true;
        if (lane.inFlight == null) {
            closeLane(lane);
        }
    }

    private void finish(Lane lane, DataStore store) {
        if (lane.closed()) {
            return;
        }
        lane.status = lane.invalid > 0 ? RunStatus.PARTIAL : RunStatus.SUCCEEDED;
        if (store != null && lane.requested && lane.fetched == 0) {
            noBarsCheck(lane, store);
        }
        if (store != null && !config.unbounded() && config.timespan() == Timespan.DAY && !lane.noBars) {
            staleCheck(lane, store);
        }
        closeLane(lane);
    }

    /**
     * A ticker without a bar in the last sessions up to the end of the range has stopped trading or being
     * delivered. What this run received usually settles it; only otherwise is the store asked (one partition read).
     */
    private void staleCheck(Lane lane, DataStore store) {
        LocalDate end = lastClosedSession(config.to());
        StaleTicker rule = new StaleTicker(config.qualityRules().staleSessions());
        LocalDate windowStart = rule.windowStart(end, calendar);
        if (lane.lastBarDate != null && !lane.lastBarDate.isBefore(windowStart)) {
            return;
        }
        try {
            List<Bar> recent = store.read(lane.ticker(), config.timespan(), config.adjusted(),
                    windowStart.minusYears(1), end);
            LocalDate last = recent.isEmpty() ? null : recent.get(recent.size() - 1).tradingDate();
            String why = rule.check(last, end, calendar);
            if (why != null) {
                warn(QualityCheck.STALE_TICKER.name(), lane.ticker(), last, why);
            }
        } catch (RuntimeException e) {
            LOG.debug("stale check of {} failed: {}", lane.ticker(), e.getMessage());
        }
    }

    /** {@code to}, or the latest session that has closed by the run's clock when {@code to} is today and still open. */
    private LocalDate lastClosedSession(LocalDate to) {
        java.time.Instant now = config.clock().instant();
        LocalDate day = calendar.isTradingDay(to) ? to : calendar.previousTradingDay(to);
        while (calendar.session(day).map(s -> now.isBefore(s.close().toInstant())).orElse(false)) {
            day = calendar.previousTradingDay(day);
        }
        return day;
    }

    /** A ticker that upstream answered with nothing for the whole range is most likely a typo or delisted. */
    private void noBarsCheck(Lane lane, DataStore store) {
        try {
            if (store.read(lane.ticker(), config.timespan(), config.adjusted(), config.from(), config.to())
                    .isEmpty()) {
                warn("NO_BARS", lane.ticker(), null, "no bar on any trading day of " + config.from() + ".."
                        + config.to() + ": an unknown, delisted or not yet listed symbol, or a typo?");
                lane.noBars = true;
            }
        } catch (RuntimeException e) {
            LOG.debug("NO_BARS check of {} failed: {}", lane.ticker(), e.getMessage());
        }
    }

    private void closeLane(Lane lane) {
        lane.reported = true;
        lanesFinished++;
        metrics.count(Metrics.TICKERS_FINISHED, 1, Metrics.STATUS, lane.status.name());
        try (var t = MDC.putCloseable(MDC_TICKER, lane.ticker())) {
            config.listener().tickerFinished(lane.ticker(), lane.outcome(), lanesFinished, lanes.size(),
                    source == null ? RequestStats.NONE : source.stats());
        }
    }

    /** After the loop: lanes that never finished get the run's reason. */
    private void settleLanes(String runError) {
        for (Lane lane : lanes.values()) {
            if (lane.reported) {
                continue;
            }
            if (lane.status == RunStatus.FAILED) {
                closeLane(lane);
                continue;
            }
            if (runError != null) {
                lane.status = RunStatus.FAILED;
                lane.error = runError;
            } else if (deadlinePassed) {
                lane.status = RunStatus.FAILED;
                lane.error = "the run deadline " + tuning.deadline() + " passed before this ticker finished";
            } else if (config.unbounded()) {
                lane.status = lane.writeFailures > 0 ? RunStatus.PARTIAL
                        : lane.invalid > 0 ? RunStatus.PARTIAL : RunStatus.SUCCEEDED;
                if (lane.writeFailures > 0) {
                    lane.error = "writes were still failing when the run stopped";
                }
            } else if (stopReason.get() != null) {
                lane.status = RunStatus.CANCELLED;
                lane.error = "stopped: " + stopReason.get();
            } else {
                lane.status = lane.invalid > 0 ? RunStatus.PARTIAL : RunStatus.SUCCEEDED;
            }
            closeLane(lane);
        }
    }

    private RunStatus status(String runError) {
        int failed = 0;
        boolean partial = false;
        for (Lane lane : lanes.values()) {
            if (lane.status == RunStatus.FAILED) {
                failed++;
            } else if (lane.status == RunStatus.PARTIAL) {
                partial = true;
            }
        }
        if (!config.unbounded() && stopReason.get() != null && !deadlinePassed && runError == null) {
            return RunStatus.CANCELLED;
        }
        if (failed == lanes.size()) {
            return RunStatus.FAILED;
        }
        if (failed > 0 || partial || runError != null) {
            return RunStatus.PARTIAL;
        }
        return RunStatus.SUCCEEDED;
    }

    private void warn(String kind, String ticker, LocalDate date, String message) {
        DataQualityWarning w = new DataQualityWarning(kind, ticker, date, message);
        String outerTicker = MDC.get(MDC_TICKER);
        if (ticker != null) {
            MDC.put(MDC_TICKER, ticker);
        }
        try {
            // Notes (INFO severity) are no reason to wake anyone: they log below the default level.
            (w.severity() == dev.tickeretl.Severity.INFO ? LOG.atInfo() : LOG.atWarn())
                    .addKeyValue("event", "data_quality").addKeyValue("kind", kind)
                    .addKeyValue("severity", w.severity().name())
                    .log("data quality {} {} {}: {}", kind, ticker == null ? "-" : ticker, date == null ? "-" : date,
                            message);
        } finally {
            restoreMdc(MDC_TICKER, outerTicker);
        }
        metrics.count(Metrics.DATA_QUALITY_WARNINGS, 1, Metrics.KIND, kind);
        metrics.count(Metrics.DATA_QUALITY_ISSUES, 1, Metrics.CHECK, kind, Metrics.SEVERITY, w.severity().name());
        long seen = findings.merge(kind, 1L, Long::sum);
        // A stream must not grow its record without bound, nor one noisy check crowd out the others.
        if (warnings.size() >= MAX_WARNINGS || seen > config.qualityRules().listedPerCheck()) {
            unlisted.merge(kind, 1L, Long::sum);
            return;
        }
        warnings.add(w);
    }

    private RunRecord snapshot(RunStatus status, Instant finishedAt, RequestStats stats, String runError) {
        Map<String, TickerOutcome> outcomes = new LinkedHashMap<>();
        long fetched = 0, written = 0, updated = 0, unchanged = 0, invalid = 0;
        int failed = 0;
        for (Lane lane : lanes.values()) {
            TickerOutcome o = lane.outcome();
            outcomes.put(lane.ticker(), o);
            fetched += o.fetched();
            written += o.written();
            updated += o.updated();
            unchanged += o.unchanged();
            invalid += o.invalid();
            if (o.status() == RunStatus.FAILED) {
                failed++;
            }
        }
        List<DataQualityWarning> shown = warnings;
        Map<String, RunRecord.CheckCount> counts = new TreeMap<>();
        findings.forEach((kind, n) -> counts.put(kind, new RunRecord.CheckCount(QualityCheck.severityOf(kind), n)));
        if (!unlisted.isEmpty()) {
            shown = new ArrayList<>(warnings);
            long dropped = unlisted.values().stream().mapToLong(Long::longValue).sum();
            List<String> byCheck = new ArrayList<>();
            unlisted.forEach((kind, n) -> byCheck.add(kind + " " + n));
            shown.add(new DataQualityWarning(QualityCheck.WARNINGS_DROPPED.name(), null, null, dropped
                    + " more warnings were logged and counted in data_quality but not listed here (at most "
                    + config.qualityRules().listedPerCheck() + " per check, " + MAX_WARNINGS + " in all): "
                    + String.join(", ", byCheck)));
        }
        Totals totals = new Totals(lanes.size(), failed, fetched, written, updated, unchanged, invalid,
                filesWritten, bytesWritten);
        Instant now = config.clock().instant();
        Long duration = finishedAt == null ? null : Duration.between(started, finishedAt).toMillis();
        Map<String, RunRecord.SinkOutcome> sinkOutcomes = new LinkedHashMap<>();
        for (SinkLink link : links) {
            sinkOutcomes.put(link.name(), new RunRecord.SinkOutcome(link.delivered.get(), link.queued.get(),
                    link.pendingAtEnd, link.lastError));
        }
        return new RunRecord(runId, status, started, finishedAt, duration, process.withHeartbeat(now), parameters,
                totals, stats, sinkOutcomes, metrics.snapshot(), outcomes, counts, shown, runError);
    }

    // ------------------------------------------------------------------------------------------------ shutdown

    private Thread installShutdownHook() {
        Thread hook = new Thread(() -> {
            stop("the JVM is shutting down (SIGTERM or Ctrl-C)");
            try {
                if (!finished.await(SHUTDOWN_GRACE.toSeconds() + 5, TimeUnit.SECONDS)) {
                    LOG.error("run {} did not finish recording within the shutdown grace period", runId);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ticker-etl-shutdown-" + runId);
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            return hook;
        } catch (IllegalStateException e) {
            return null; // already shutting down
        }
    }

    private static void removeShutdownHook(Thread hook) {
        if (hook == null || Thread.currentThread() == hook) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Shutdown under way: the hook is waiting for this very run to finish, which it now has.
        }
    }

    private static void restoreMdc(String key, String previous) {
        if (previous == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, previous);
        }
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    // ------------------------------------------------------------------------------------------------ parts

    /** One partition's flow through the loop. */
    private final class Lane {
        final SourcePartition partition;
        /** Bounded runs: the dates asked for, lookback included; null when nothing was asked. */
        TickerRange range;
        boolean requested;
        final TreeMap<Long, Bar> buffer = new TreeMap<>();
        /** Segment mode: the last version accepted per minute, within the revision window. */
        final TreeMap<Long, Bar> recent = new TreeMap<>();
        long pendingNew;
        long pendingRevised;
        long bufferedSince;
        SourceOffset pendingOffset;
        final List<Coverage.Span> pendingCoverage = new ArrayList<>();
        /** Days with a bar that could not be stored: not covered. */
        final java.util.Set<LocalDate> invalidDates = new java.util.HashSet<>();
        /** A record of this lane could not be read at all (no date known): nothing is covered. */
        boolean incomplete;
        Unit inFlight;
        SourceOffset committableOffset;
        final List<Coverage.Span> committableCoverage = new ArrayList<>();
        /** The source's watermark in the last committed offset (epoch ms), or MIN_VALUE. */
        long committedWatermark = Long.MIN_VALUE;
        boolean sourceDone;
        boolean reported;
        boolean noBars;
        /** The newest trading date among the bars received (null: none). */
        LocalDate lastBarDate;
        int writeFailures;
        long retryAt = System.nanoTime();
        long fetched, written, updated, unchanged, invalid, outsideRange;
        RunStatus status = RunStatus.RUNNING;
        String error;
        /** Window start of the newest bar stored by this run (freshness); MIN_VALUE before the first. */
        long newestStoredMs = Long.MIN_VALUE;
        /** When the source events now in the buffer began to arrive (nanoTime), if any did. */
        boolean receiving;
        long receivingSince;
        /** When the oldest event not yet covered by a committed offset arrived (nanoTime), if any. */
        boolean uncommitted;
        long uncommittedSince;

        Lane(SourcePartition partition) {
            this.partition = partition;
        }

        void received(long nanos) {
            if (!receiving) {
                receiving = true;
                receivingSince = nanos;
            }
            if (!uncommitted) {
                uncommitted = true;
                uncommittedSince = nanos;
            }
        }

        /** A failed write's events are back in the buffer: they still wait since they first came. */
        void requeued(long since) {
            if (!receiving || since - receivingSince < 0) {
                receiving = true;
                receivingSince = since;
            }
        }

        /** Everything written so far is committed: what waits now is the write in flight and the buffer. */
        void committed() {
            uncommitted = false;
            if (inFlight != null && !inFlight.drainOnly && inFlight.offset != null) {
                uncommitted = true;
                uncommittedSince = inFlight.receivedSince;
            }
            if (receiving && (!uncommitted || receivingSince - uncommittedSince < 0)) {
                uncommitted = true;
                uncommittedSince = receivingSince;
            }
        }

        String ticker() {
            return partition.ticker();
        }

        boolean closed() {
            return reported || status == RunStatus.FAILED;
        }

        /** Forgets minutes older than the revision window (and a margin) before {@code latestStart}. */
        void pruneRecent(long latestStart) {
            long keepFrom = latestStart - RECENT_WINDOW.toMillis();
            while (!recent.isEmpty() && recent.firstKey() < keepFrom) {
                recent.pollFirstEntry();
            }
        }

        /** Everything buffered, with the offset and coverage that follow it, as one write. */
        Unit takeUnit() {
            Unit unit = new Unit(this, new ArrayList<>(buffer.values()), pendingOffset, answered());
            unit.newBars = pendingNew;
            unit.revisedBars = pendingRevised;
            pendingNew = 0;
            pendingRevised = 0;
            unit.receivedSince = receiving ? receivingSince : System.nanoTime();
            receiving = false;
            buffered -= buffer.size();
            buffer.clear();
            pendingOffset = null;
            pendingCoverage.clear();
            inFlight = unit;
            return unit;
        }

        TickerOutcome outcome() {
            return new TickerOutcome(status, fetched, written, updated, unchanged, invalid, error);
        }

        /** The pending coverage without the days whose bars could not be stored. */
        private List<Coverage.Span> answered() {
            if (incomplete) {
                return List.of();
            }
            if (invalidDates.isEmpty()) {
                return new ArrayList<>(pendingCoverage);
            }
            List<Coverage.Span> out = new ArrayList<>();
            for (Coverage.Span span : pendingCoverage) {
                LocalDate start = span.from();
                for (LocalDate d = span.from(); !d.isAfter(span.to()); d = d.plusDays(1)) {
                    if (invalidDates.contains(d)) {
                        if (d.isAfter(start)) {
                            out.add(new Coverage.Span(start, d.minusDays(1), span.answeredAt()));
                        }
                        start = d.plusDays(1);
                    }
                }
                if (!start.isAfter(span.to())) {
                    out.add(new Coverage.Span(start, span.to(), span.answeredAt()));
                }
            }
            return out;
        }
    }

    /** One write of one lane: its bars, and the offset and coverage that become committable once it is durable. */
    private static final class Unit {
        final Lane lane;
        final List<Bar> bars;
        final SourceOffset offset;
        final List<Coverage.Span> coverage;
        volatile DataStore.WriteOutcome result;
        volatile String error;
        /** Only deliver what waits in the sinks' outboxes for this partition. */
        boolean drainOnly;
        /** Segment mode: how many of the bars are new minutes, and how many revise a minute written before. */
        long newBars;
        long revisedBars;
        /** When its oldest event arrived (nanoTime). */
        long receivedSince = System.nanoTime();

        Unit(Lane lane, List<Bar> bars, SourceOffset offset, List<Coverage.Span> coverage) {
            this.lane = lane;
            this.bars = bars;
            this.offset = offset;
            this.coverage = coverage;
        }
    }

    /**
     * The writer pool: stores and fans out units while the loop goes on reading, so fsyncs and PUTs of one
     * partition overlap with fetching and with other partitions. Results are taken back on the loop's thread,
     * which alone touches counts, commits and the listener.
     */
    private final class Writes implements AutoCloseable {
        private final DataStore store;
        private final Map<Unit, Future<?>> pending = new LinkedHashMap<>();
        private final java.util.concurrent.LinkedBlockingQueue<Unit> done =
                new java.util.concurrent.LinkedBlockingQueue<>();
        private final AtomicInteger inFlightBars = new AtomicInteger();
        /** Segment writes submitted and not yet ended. */
        private final AtomicInteger segmentWrites = new AtomicInteger();
        private final java.util.concurrent.atomic.AtomicLong compacted = new java.util.concurrent.atomic.AtomicLong();
        /** Bars appended to segments since the last compaction began. */
        private final java.util.concurrent.atomic.AtomicLong uncompactedBars =
                new java.util.concurrent.atomic.AtomicLong();
        private volatile Future<?> compacting;
        private ExecutorService pool;

        Writes(DataStore store) {
            this.store = store;
        }

        void submit(List<Unit> units) {
            List<Unit> group = new ArrayList<>();
            for (Unit unit : units) {
                if (unit.bars.isEmpty() && !unit.drainOnly) {
                    unit.result = DataStore.WriteOutcome.EMPTY; // only an offset or coverage: durable already
                    done.add(unit);
                    continue;
                }
                inFlightBars.addAndGet(unit.bars.size());
                if (segmentMode && !unit.drainOnly) {
                    group.add(unit);
                } else {
                    pending.put(unit, pool().submit(() -> write(unit)));
                }
            }
            if (!group.isEmpty()) {
                segmentWrites.incrementAndGet();
                Future<?> f = pool().submit(() -> writeSegment(group));
                for (Unit unit : group) {
                    pending.put(unit, f);
                }
            }
        }

        private ExecutorService pool() {
            if (pool == null) {
                pool = Executors.newFixedThreadPool(tuning.writerThreads(),
                        DaemonThreads.named("ticker-etl-write-" + runId));
            }
            return pool;
        }

        /** Group commit: every due lane's bars in one durable segment, then each lane's fan-out. */
        private void writeSegment(List<Unit> group) {
            long t0 = System.nanoTime();
            MDC.put(MDC_RUN_ID, runId); // many tickers: no ticker in the MDC
            List<Bar> all = new ArrayList<>();
            for (Unit unit : group) {
                all.addAll(unit.bars);
            }
            try {
                DataStore.WriteOutcome segment = store.appendSegment(config.timespan(), config.adjusted(), all, runId);
                long durable = System.nanoTime();
                uncompactedBars.addAndGet(all.size());
                metrics.time(Metrics.SEGMENT_WRITE_DURATION, Duration.ofNanos(durable - t0));
                for (Unit unit : group) {
                    metrics.time(Metrics.PIPELINE_TO_DURABLE, Duration.ofNanos(durable - unit.receivedSince));
                }
                boolean first = true;
                for (Unit unit : group) {
                    try {
                        for (SinkLink link : links) {
                            link.deliver(unit.lane.partition, unit.bars);
                        }
                        unit.result = new DataStore.WriteOutcome(unit.newBars, unit.revisedBars, 0,
                                first ? segment.filesWritten() : 0, first ? segment.bytesWritten() : 0, unit.bars,
                                List.of());
                        first = false;
                    } catch (RuntimeException e) {
                        unit.error = describe(e);
                    }
                }
            } catch (RuntimeException | Error e) {
                LOG.debug("writing a segment of {} bars failed", all.size(), e);
                for (Unit unit : group) {
                    unit.error = describe(e);
                }
            } finally {
                MDC.remove(MDC_RUN_ID);
                segmentWrites.decrementAndGet();
                for (Unit unit : group) {
                    inFlightBars.addAndGet(-unit.bars.size());
                    done.add(unit);
                }
            }
        }

        int segmentWrites() {
            return segmentWrites.get();
        }

        long uncompactedBars() {
            return uncompactedBars.get();
        }

        /** Folds the segments into partitions on a writer thread; one compaction at a time. */
        void compactInBackground() {
            if (compacting != null && !compacting.isDone()) {
                return;
            }
            compacting = pool().submit(() -> compactNow());
        }

        void compactNow() {
            long t0 = System.nanoTime();
            String outerRunId = MDC.get(MDC_RUN_ID);
            MDC.put(MDC_RUN_ID, runId);
            // Counted before the listing: segments appended meanwhile are counted again, never forgotten.
            uncompactedBars.set(0);
            try {
                DataStore.WriteOutcome w = store.compact(config.timespan(), config.adjusted(), compactionRoundBars());
                compacted.addAndGet(w.filesWritten());
                metrics.time(Metrics.COMPACTION_DURATION, Duration.ofNanos(System.nanoTime() - t0));
            } catch (RuntimeException e) {
                LOG.warn("run {}: compacting segments failed (they stay readable; tried again later): {}", runId,
                        describe(e));
            } finally {
                restoreMdc(MDC_RUN_ID, outerRunId);
            }
        }

        void awaitCompaction() throws InterruptedException {
            if (compacting != null) {
                try {
                    compacting.get();
                } catch (ExecutionException e) {
                    LOG.warn("compaction failed: {}", e.getCause().toString());
                }
            }
        }

        private void write(Unit unit) {
            long t0 = System.nanoTime();
            MDC.put(MDC_RUN_ID, runId);
            MDC.put(MDC_TICKER, unit.lane.ticker());
            try {
                Lane lane = unit.lane;
                if (unit.drainOnly) {
                    for (SinkLink link : links) {
                        link.drain(lane.partition);
                    }
                    unit.result = DataStore.WriteOutcome.EMPTY;
                    return;
                }
                DataStore.WriteOutcome result = store.write(lane.ticker(), lane.partition.timespan(),
                        lane.partition.adjusted(), unit.bars, config.phaseTagger(), config.qualityRules());
                long durable = System.nanoTime();
                metrics.time(Metrics.PARTITION_WRITE_DURATION, Duration.ofNanos(durable - t0));
                if (!unit.bars.isEmpty()) {
                    metrics.time(Metrics.PIPELINE_TO_DURABLE, Duration.ofNanos(durable - unit.receivedSince));
                }
                for (SinkLink link : links) {
                    // Only after the bars are durable; a sink that does not take them gets them from the outbox
                    // later, so the offset after them may be committed now.
                    link.deliver(lane.partition, result.changed());
                }
                unit.result = result;
            } catch (RuntimeException | Error e) {
                LOG.debug("writing {} failed", unit.lane.partition, e);
                unit.error = describe(e);
            } finally {
                MDC.remove(MDC_TICKER);
                MDC.remove(MDC_RUN_ID);
                inFlightBars.addAndGet(-unit.bars.size());
                done.add(unit);
            }
        }

        /** Units whose write has ended, in no particular order. */
        List<Unit> takeDone() {
            List<Unit> out = new ArrayList<>();
            done.drainTo(out);
            for (Unit u : out) {
                pending.remove(u);
            }
            return out;
        }

        boolean busy() {
            return !pending.isEmpty() || !done.isEmpty();
        }

        /** Waits until a write ends, or the timeout passes. */
        void awaitAny(Duration timeout) throws InterruptedException {
            if (!done.isEmpty() || pending.isEmpty()) {
                if (pending.isEmpty() && done.isEmpty()) {
                    Thread.sleep(Math.min(timeout.toMillis(), 20));
                }
                return;
            }
            Unit u = done.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (u != null) {
                done.add(u); // put back for takeDone
            }
        }

        long inFlightBars() {
            return inFlightBars.get();
        }

        @Override
        public void close() {
            if (pool != null) {
                pool.shutdownNow();
                try {
                    pool.awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
