package dev.tickeretl.internal;

import dev.tickeretl.Bar;
import dev.tickeretl.MarketTime;
import dev.tickeretl.RunRecord;
import dev.tickeretl.RunRecord.DataQualityWarning;
import dev.tickeretl.RunRecord.RunParameters;
import dev.tickeretl.RunRecord.TickerOutcome;
import dev.tickeretl.RunRecord.Totals;
import dev.tickeretl.RunStatus;
import dev.tickeretl.StoreException;
import dev.tickeretl.Timespan;
import dev.tickeretl.TradingCalendar;
import dev.tickeretl.spi.BarStore;
import dev.tickeretl.spi.InvalidBarException;
import dev.tickeretl.spi.RawBar;
import dev.tickeretl.spi.RequestStats;
import dev.tickeretl.spi.Source;
import dev.tickeretl.spi.SourceEvent;
import dev.tickeretl.spi.SourceException;
import dev.tickeretl.spi.SourceOffset;
import dev.tickeretl.spi.SourceRequest;
import dev.tickeretl.spi.TickerRange;
import dev.tickeretl.spi.WriteResult;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One batch run: plan ranges (with the phase lookback), read the source's events, and per ticker validate, tag
 * against the previous trading session and write idempotently; record the run before and after.
 *
 * <p>Only bars whose trading date lies in the requested range are stored. The lookback bar (the previous trading
 * day of the range start) is fetched, or read back from the store, purely to tag the first day.
 */
public final class BatchRun {

    private static final Logger LOG = LoggerFactory.getLogger(BatchRun.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final RunConfig config;
    private final TradingCalendar calendar;
    private final String runId;
    private final Map<String, TickerState> tickers = new LinkedHashMap<>();
    private final List<DataQualityWarning> warnings = new ArrayList<>();
    private long filesWritten;
    private long bytesWritten;
    private int finishedTickers;
    private Source source;

    public BatchRun(RunConfig config) {
        this.config = config;
        this.calendar = config.calendar();
        this.runId = RunIds.next(config.clock());
        for (String t : config.tickers()) {
            tickers.put(t, new TickerState(t));
        }
    }

    public RunRecord execute() {
        Instant started = config.clock().instant();
        RunParameters parameters = new RunParameters(config.tickers(), config.from(), config.to(), Timespan.DAY,
                config.adjusted(), config.incremental(), config.sourceName(), config.storeName(),
                config.phaseTagger().name());
        // Both are opened before the run is recorded: a store or source that cannot even open (no bucket, no API
        // key) is a configuration error for the caller, not a run.
        try (BarStore store = config.store().get(); Source source = config.source().get()) {
            RunRecord running = new RunRecord(runId, RunStatus.RUNNING, started, null, null, parameters,
                    Totals.ZERO, RequestStats.NONE, Map.of(), List.of(), null);
            store.putRun(running);
            config.listener().runStarted(running);
            LOG.info("run {} started: {} tickers {}..{} source={} store={}", runId, config.tickers().size(),
                    config.from(), config.to(), config.sourceName(), config.storeName());

            String runError = null;
            RequestStats stats = RequestStats.NONE;
            try {
                runError = ingest(source, store);
            } catch (SourceException e) {
                runError = e.getMessage();
            } catch (RuntimeException e) {
                LOG.error("run {} failed", runId, e);
                runError = describe(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                runError = "interrupted";
            } finally {
                stats = source.stats();
            }
            if (runError != null) {
                for (TickerState t : tickers.values()) {
                    if (!t.finished) {
                        t.fail(runError);
                    }
                }
            }
            RunRecord done = record(parameters, started, stats, runError);
            store.putRun(done);
            LOG.info("run {} {} in {} ms: {} written, {} updated, {} unchanged, {} invalid, {} failed tickers",
                    runId, done.status(), done.durationMs(), done.totals().written(), done.totals().updated(),
                    done.totals().unchanged(), done.totals().invalid(), done.totals().failedTickers());
            config.listener().runFinished(done);
            return done;
        }
    }

    /** @return the error that ended the whole run, or null when the source ran to its end */
    private String ingest(Source source, BarStore store) throws InterruptedException {
        try (Writes writes = new Writes(store)) {
            try {
                return read(source, store, writes);
            } finally {
                // Whatever ends the reading, writes already handed out finish and are counted.
                writes.awaitAll();
            }
        }
    }

    private String read(Source source, BarStore store, Writes writes) throws InterruptedException {
        this.source = source;
        SourceRequest request = plan(store);
        if (request.ranges().isEmpty()) {
            for (TickerState t : tickers.values()) {
                if (!t.finished) {
                    finish(t, writes);
                }
            }
            return null;
        }
        source.start(request);
        SourceOffset pendingOffset = null;
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            SourceEvent event = source.poll(POLL);
            if (event instanceof SourceEvent.Bars bars) {
                for (RawBar raw : bars.bars()) {
                    TickerState t = tickers.get(raw.ticker());
                    if (t != null && !t.finished && raw.timespan() == Timespan.DAY) {
                        t.fetched++;
                        t.raw.put(raw.startMs(), raw);
                    }
                }
                pendingOffset = bars.offset();
            } else if (event instanceof SourceEvent.TickerDone done) {
                TickerState t = tickers.get(done.ticker());
                if (t != null && !t.finished) {
                    finish(t, writes);
                }
            } else if (event instanceof SourceEvent.TickerFailed failed) {
                TickerState t = tickers.get(failed.ticker());
                if (t != null && !t.finished) {
                    t.fail(failed.reason());
                    tickerFinished(t);
                }
            } else if (event instanceof SourceEvent.Invalid invalid) {
                TickerState t = tickers.get(invalid.ticker());
                if (t != null) {
                    t.invalid++;
                }
                warn("INVALID_BAR", invalid.ticker(), null, invalid.reason());
            } else if (event instanceof SourceEvent.Warning warning) {
                warn("SOURCE_WARNING", warning.ticker(), null, warning.message());
            } else if (event instanceof SourceEvent.End) {
                for (TickerState t : tickers.values()) {
                    if (!t.finished) {
                        finish(t, writes);
                    }
                }
                writes.awaitAll();
                if (pendingOffset != null) {
                    source.commit(pendingOffset);
                }
                return null;
            }
            writes.takeFinished();
            // Commit only when every bar received so far is durably written (Kafka Connect's rule).
            if (pendingOffset != null && nothingBuffered() && writes.idle()) {
                source.commit(pendingOffset);
                pendingOffset = null;
            }
            if (finishedTickers == tickers.size()) {
                return null; // every ticker is decided; close() stops whatever the source still runs
            }
        }
    }

    /**
     * Each ticker's range: [previous trading day of from, to]. An incremental run asks only for the span of trading
     * days the store lacks, and takes the lookback bar from the store when it is there.
     */
    private SourceRequest plan(BarStore store) {
        List<LocalDate> days = calendar.tradingDays(config.from(), config.to());
        List<TickerRange> ranges = new ArrayList<>();
        for (TickerState t : tickers.values()) {
            if (days.isEmpty()) {
                continue;
            }
            if (!config.incremental()) {
                ranges.add(new TickerRange(t.ticker, calendar.previousTradingDay(days.get(0)), config.to()));
                continue;
            }
            LocalDate lookback = calendar.previousTradingDay(days.get(0));
            for (Bar b : store.read(t.ticker, Timespan.DAY, lookback, config.to())) {
                t.stored.put(b.tradingDate(), b);
            }
            List<LocalDate> missing = days.stream().filter(d -> !t.stored.containsKey(d)).toList();
            if (missing.isEmpty()) {
                continue;
            }
            LocalDate first = missing.get(0);
            LocalDate prior = calendar.previousTradingDay(first);
            LocalDate fetchFrom = t.stored.containsKey(prior) ? first : prior;
            ranges.add(new TickerRange(t.ticker, fetchFrom, missing.get(missing.size() - 1)));
        }
        return new SourceRequest(Timespan.DAY, config.adjusted(), ranges);
    }

    /** Tags a ticker whose bars are all in and hands them to the writers; the outcome comes with the write. */
    private void finish(TickerState t, Writes writes) {
        List<Bar> toStore;
        try {
            toStore = tag(t);
        } catch (RuntimeException e) { // a plugged-in transformer or tagger that broke: this ticker only
            LOG.error("tagging {} failed", t.ticker, e);
            t.fail("tagging: " + describe(e));
            tickerFinished(t);
            return;
        }
        t.finished = true;
        t.raw.clear();
        if (toStore.isEmpty()) {
            stored(t, WriteResult.EMPTY);
        } else {
            writes.submit(t, toStore);
        }
    }

    private void stored(TickerState t, WriteResult w) {
        t.written += w.inserted();
        t.updated += w.updated();
        t.unchanged += w.unchanged();
        filesWritten += w.filesWritten();
        bytesWritten += w.bytesWritten();
        t.status = t.invalid > 0 ? RunStatus.PARTIAL : RunStatus.SUCCEEDED;
        tickerFinished(t);
    }

    /** Validates, converts and tags one ticker's bars; returns those inside the requested range. */
    private List<Bar> tag(TickerState t) {
        // Converted bars by trading date: fetched ones win over stored ones (upstream may have corrected them).
        TreeMap<LocalDate, Bar> byDate = new TreeMap<>(t.stored);
        Set<LocalDate> fetchedDates = new HashSet<>();
        for (RawBar raw : t.raw.values()) {
            Bar bar;
            try {
                bar = config.transformer().transform(raw);
            } catch (InvalidBarException e) {
                t.invalid++;
                warn("INVALID_BAR", t.ticker, MarketTime.tradingDate(raw.startMs()), e.getMessage());
                continue;
            }
            if (!calendar.isTradingDay(bar.tradingDate())) {
                warn("NON_TRADING_DAY_BAR", t.ticker, bar.tradingDate(),
                        "bar on a day the NYSE calendar has closed; stored, not used as a previous session");
            }
            byDate.put(bar.tradingDate(), bar);
            fetchedDates.add(bar.tradingDate());
        }
        List<Bar> out = new ArrayList<>();
        LocalDate earliestKnown = byDate.isEmpty() ? null : byDate.firstKey();
        for (Bar bar : byDate.values()) {
            LocalDate date = bar.tradingDate();
            if (date.isBefore(config.from()) || date.isAfter(config.to())) {
                continue;
            }
            LocalDate prevDay = calendar.previousTradingDay(date);
            if (!fetchedDates.contains(date) && !fetchedDates.contains(prevDay)) {
                // A stored bar nothing new touches: its tag cannot have changed, so leave it alone.
                continue;
            }
            Bar previous = byDate.get(prevDay);
            if (previous == null) {
                if (date.equals(earliestKnown)) {
                    warn("NO_PREVIOUS_BAR", t.ticker, date, "no bar for the previous trading day " + prevDay
                            + " (first bar of the ticker, or missing upstream); tagged Neutral");
                } else {
                    warn("MISSING_PREVIOUS_BAR", t.ticker, date, "previous trading day " + prevDay
                            + " has no bar upstream; tagged Neutral without comparing with an older bar");
                }
            }
            out.add(bar.withPhase(config.phaseTagger().phaseOf(bar, previous),
                    previous == null ? null : previous.volume()));
        }
        return out;
    }

    private void tickerFinished(TickerState t) {
        finishedTickers++;
        config.listener().tickerFinished(t.ticker, t.outcome(), finishedTickers, tickers.size(),
                source == null ? RequestStats.NONE : source.stats());
    }

    private boolean nothingBuffered() {
        for (TickerState t : tickers.values()) {
            if (!t.raw.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private void warn(String kind, String ticker, LocalDate date, String message) {
        warnings.add(new DataQualityWarning(kind, ticker, date, message));
        LOG.warn("data quality {} {} {}: {}", kind, ticker == null ? "-" : ticker, date == null ? "-" : date,
                message);
    }

    private RunRecord record(RunParameters parameters, Instant started, RequestStats stats, String runError) {
        Instant finished = config.clock().instant();
        Map<String, TickerOutcome> outcomes = new LinkedHashMap<>();
        long fetched = 0, written = 0, updated = 0, unchanged = 0, invalid = 0;
        int failed = 0;
        boolean partial = false;
        for (TickerState t : tickers.values()) {
            TickerOutcome o = t.outcome();
            outcomes.put(t.ticker, o);
            fetched += o.fetched();
            written += o.written();
            updated += o.updated();
            unchanged += o.unchanged();
            invalid += o.invalid();
            if (o.status() == RunStatus.FAILED) {
                failed++;
            } else if (o.status() == RunStatus.PARTIAL) {
                partial = true;
            }
        }
        RunStatus status;
        if (failed == tickers.size()) {
            status = RunStatus.FAILED;
        } else if (failed > 0 || partial || runError != null) {
            status = RunStatus.PARTIAL;
        } else {
            status = RunStatus.SUCCEEDED;
        }
        Totals totals = new Totals(tickers.size(), failed, fetched, written, updated, unchanged, invalid,
                filesWritten, bytesWritten);
        return new RunRecord(runId, status, started, finished, Duration.between(started, finished).toMillis(),
                parameters, totals, stats, outcomes, warnings, runError);
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /**
     * Stores finished tickers on a few threads while the source goes on, so that fsyncs or PUTs of one ticker
     * overlap with fetching and with each other. Results are taken back on the run's thread, which alone touches
     * counts and calls the listener.
     */
    private final class Writes implements AutoCloseable {
        private static final int THREADS = 4;
        private final BarStore store;
        private final Map<TickerState, Future<WriteResult>> pending = new LinkedHashMap<>();
        private ExecutorService pool;

        Writes(BarStore store) {
            this.store = store;
        }

        void submit(TickerState t, List<Bar> bars) {
            if (pool == null) {
                AtomicInteger n = new AtomicInteger();
                pool = Executors.newFixedThreadPool(THREADS, r -> {
                    Thread thread = new Thread(r, "ticker-etl-write-" + n.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
            }
            pending.put(t, pool.submit(() -> store.write(bars)));
        }

        boolean idle() {
            return pending.isEmpty();
        }

        /** Takes in the writes that are done, without waiting. */
        void takeFinished() throws InterruptedException {
            take(false);
        }

        /** Waits for every write handed out. */
        void awaitAll() throws InterruptedException {
            take(true);
        }

        private void take(boolean wait) throws InterruptedException {
            for (Iterator<Map.Entry<TickerState, Future<WriteResult>>> it = pending.entrySet().iterator();
                 it.hasNext(); ) {
                Map.Entry<TickerState, Future<WriteResult>> e = it.next();
                if (!wait && !e.getValue().isDone()) {
                    continue;
                }
                TickerState t = e.getKey();
                it.remove();
                try {
                    stored(t, e.getValue().get());
                } catch (ExecutionException failure) {
                    Throwable cause = failure.getCause();
                    LOG.error("storing {} failed", t.ticker, cause);
                    // A StoreException's message names the store already ("store file:...: cannot write ...").
                    t.fail(cause instanceof StoreException ? describe(cause) : "store: " + describe(cause));
                    tickerFinished(t);
                }
            }
        }

        @Override
        public void close() {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    /** Everything the run knows about one ticker. */
    private static final class TickerState {
        final String ticker;
        /** Received raw bars by start ms: collapses duplicates across pages and sorts. */
        final TreeMap<Long, RawBar> raw = new TreeMap<>();
        /** Bars read back from the store by an incremental run (lookback and days already held). */
        final Map<LocalDate, Bar> stored = new HashMap<>();
        long fetched, written, updated, unchanged, invalid;
        boolean finished;
        RunStatus status = RunStatus.RUNNING;
        String error;

        TickerState(String ticker) {
            this.ticker = ticker;
        }

        void fail(String reason) {
            finished = true;
            status = RunStatus.FAILED;
            error = reason;
            raw.clear();
        }

        TickerOutcome outcome() {
            return new TickerOutcome(status, fetched, written, updated, unchanged, invalid, error);
        }
    }
}
