package dev.tickeretl.polygon;

import dev.tickeretl.MarketTime;
import dev.tickeretl.Tickers;
import dev.tickeretl.TradingCalendar;
import dev.tickeretl.internal.DaemonThreads;
import dev.tickeretl.spi.Observer;
import dev.tickeretl.spi.RawBar;
import dev.tickeretl.spi.SourceEvent;
import dev.tickeretl.SourceException;
import dev.tickeretl.spi.SourceOffset;
import dev.tickeretl.spi.SourceRequest;
import dev.tickeretl.spi.TickerRange;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One started request of a {@link PolygonSource}: the plan, the bounded worker pool, and the event queue that
 * {@link #poll} drains.
 */
final class FetchRun {

    private static final Logger LOG = LoggerFactory.getLogger(FetchRun.class);

    /** Enough to keep workers busy while the pipeline writes; bounded so a slow sink holds the fetchers back. */
    private static final int QUEUE_CAPACITY = 256;
    /** Wakes a waiting {@link #poll} when the run fails; never handed out. */
    private static final Object WAKE_UP = new Object();
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final Settings settings;
    private final SourceRequest request;
    private final Counters counters;
    private final AggregatesClient client;
    private final Redactor redactor;
    private final BlockingQueue<Object> events = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicReference<String> fatal = new AtomicReference<>();
    private final ExecutorService workers;
    private final AtomicInteger outstanding = new AtomicInteger();
    private volatile boolean ended;

    FetchRun(Settings settings, SourceRequest request, Counters counters, Observer observer) {
        this.settings = settings;
        this.request = request;
        this.counters = counters;
        this.client = new AggregatesClient(settings, counters, observer);
        this.redactor = Redactor.of(settings.apiKey());
        this.workers = Executors.newFixedThreadPool(settings.concurrency(),
                DaemonThreads.named("polygon-fetch-" + RUNS.incrementAndGet()));
    }

    /** Plans the requests and starts the workers. */
    void start(TradingCalendar calendar) {
        Map<String, List<TickerRange>> byTicker = new LinkedHashMap<>();
        for (TickerRange range : request.ranges()) {
            Tickers.requireValid(range.ticker());
            byTicker.computeIfAbsent(range.ticker(), t -> new ArrayList<>()).add(range);
        }
        RequestPlanner.RequestPlan plan = RequestPlanner.plan(request, settings.plan(), settings.pageLimit(), calendar);
        LOG.info("Polygon source: {} plan for {} tickers, ~{} requests (per-ticker ~{}, grouped {}), base {},"
                        + " concurrency {}, client limit {}, retry budget {}",
                plan.kind() == RequestPlanner.Kind.GROUPED ? "grouped-daily" : "per-ticker", byTicker.size(),
                plan.estimatedRequests(), plan.perTickerRequests(),
                plan.groupedRequests() < 0 ? "n/a" : plan.groupedRequests(), redact(settings.baseUrl().toString()),
                settings.concurrency(), settings.rateLimit() == null ? "none" : settings.rateLimit(),
                settings.retryBudget());
        if (plan.kind() == RequestPlanner.Kind.GROUPED) {
            startGrouped(byTicker, calendar);
        } else {
            startPerTicker(byTicker);
        }
    }

    private void startPerTicker(Map<String, List<TickerRange>> byTicker) {
        outstanding.set(byTicker.size());
        if (byTicker.isEmpty()) {
            finish();
            return;
        }
        byTicker.forEach((ticker, ranges) -> submit(() -> runTask(() -> fetchTicker(ticker, ranges))));
    }

    /** Every range of one ticker, one {@code next_url} chain each, in order. */
    private void fetchTicker(String ticker, List<TickerRange> ranges) throws InterruptedException {
        boolean warned = false;
        try {
            for (TickerRange range : ranges) {
                long fromMs = MarketTime.startOfDayMs(range.from());
                long toMs = MarketTime.startOfDayMs(range.to().plusDays(1));
                PageParser.Target target = PageParser.Target.ticker(ticker, request.timespan(), request.adjusted());
                boolean[] delayed = {warned};
                boolean[] undelivered = {false};
                client.fetchChain(client.tickerUri(range, request.timespan(), request.adjusted()), target, page -> {
                    if ("DELAYED".equals(page.status()) && !delayed[0]) {
                        delayed[0] = true;
                        emit(new SourceEvent.Warning(ticker, "Polygon answered DELAYED for " + ticker
                                + ": the plan serves delayed data, recent bars may be missing or late"));
                    }
                    for (SourceEvent.Invalid invalid : page.invalid()) {
                        undelivered[0] = true;
                        emit(invalid);
                    }
                    List<RawBar> inRange = within(page.bars(), fromMs, toMs);
                    if (!inRange.isEmpty()) {
                        emit(new SourceEvent.Bars(request.partition(ticker), inRange, offset(inRange)));
                    }
                });
                warned = delayed[0];
                // The whole chain was answered: days in the range without a bar have none upstream. Not so when a
                // record could not be delivered (its day may be unknown): then the range stays unanswered, and an
                // incremental run asks for it again instead of taking that day for one without a bar.
                if (!undelivered[0]) {
                    emit(new SourceEvent.Covered(request.partition(ticker), range.from(), range.to()));
                }
            }
            emit(new SourceEvent.PartitionDone(request.partition(ticker)));
        } catch (FetchFailure failure) {
            handle(failure, List.of(ticker));
        }
    }

    private void startGrouped(Map<String, List<TickerRange>> byTicker, TradingCalendar calendar) {
        TreeMap<LocalDate, List<TickerState>> byDate = new TreeMap<>();
        List<TickerState> idle = new ArrayList<>();
        for (var entry : byTicker.entrySet()) {
            Set<LocalDate> dates = new HashSet<>();
            for (TickerRange range : entry.getValue()) {
                dates.addAll(calendar.tradingDays(range.from(), range.to()));
            }
            TickerState state = new TickerState(entry.getKey(), dates.size());
            if (dates.isEmpty()) {
                idle.add(state);
            }
            for (LocalDate date : dates) {
                byDate.computeIfAbsent(date, d -> new ArrayList<>()).add(state);
            }
        }
        outstanding.set(byDate.size() + 1);
        // Tickers whose ranges hold no trading date are done before any request.
        submit(() -> runTask(() -> {
            for (TickerState state : idle) {
                emit(new SourceEvent.PartitionDone(request.partition(state.ticker)));
            }
        }));
        byDate.forEach((date, states) -> submit(() -> runTask(() -> fetchDate(date, states))));
    }

    /** One grouped-daily request (and any pages it has), split up among the tickers that want this date. */
    private void fetchDate(LocalDate date, List<TickerState> states) throws InterruptedException {
        Set<String> wanted = new HashSet<>();
        for (TickerState state : states) {
            wanted.add(state.ticker);
        }
        Map<String, List<RawBar>> bars = new LinkedHashMap<>();
        Map<String, List<SourceEvent.Invalid>> invalid = new LinkedHashMap<>();
        boolean[] delayed = {false};
        try {
            client.fetchChain(client.groupedUri(date, request.adjusted()),
                    PageParser.Target.grouped(wanted, request.adjusted()), page -> {
                        delayed[0] |= "DELAYED".equals(page.status());
                        for (SourceEvent.Invalid inv : page.invalid()) {
                            invalid.computeIfAbsent(inv.ticker(), t -> new ArrayList<>()).add(inv);
                        }
                        for (RawBar bar : page.bars()) {
                            bars.computeIfAbsent(bar.ticker(), t -> new ArrayList<>()).add(bar);
                        }
                    });
        } catch (FetchFailure failure) {
            handleDate(date, failure, states);
            return;
        }
        if (delayed[0]) {
            emit(new SourceEvent.Warning(null, "Polygon answered DELAYED for grouped daily " + date
                    + ": the plan serves delayed data, recent bars may be missing or late"));
        }
        long fromMs = MarketTime.startOfDayMs(date);
        long toMs = MarketTime.startOfDayMs(date.plusDays(1));
        for (TickerState state : states) {
            List<RawBar> mine = within(bars.getOrDefault(state.ticker, List.of()), fromMs, toMs);
            synchronized (state) {
                if (state.failed) {
                    continue;
                }
                for (SourceEvent.Invalid inv : invalid.getOrDefault(state.ticker, List.of())) {
                    emit(inv);
                }
                if (!mine.isEmpty()) {
                    // Dates answer in any order: the offset is the latest date delivered so far, never an earlier one.
                    state.throughMs = Math.max(state.throughMs, latestStart(mine));
                    emit(new SourceEvent.Bars(request.partition(state.ticker), mine, through(state.throughMs)));
                }
                // A wanted ticker's record that could not be delivered leaves its date unanswered for it.
                if (!invalid.containsKey(state.ticker)) {
                    emit(new SourceEvent.Covered(request.partition(state.ticker), date, date));
                }
                if (--state.remainingDates == 0) {
                    emit(new SourceEvent.PartitionDone(request.partition(state.ticker)));
                }
            }
        }
    }

    private void handle(FetchFailure failure, List<String> tickers) throws InterruptedException {
        if (failure.runWide()) {
            failRun(failure.getMessage());
            return;
        }
        String reason = redact(failure.getMessage());
        for (String ticker : tickers) {
            LOG.warn("{} failed: {}", ticker, reason);
            emit(new SourceEvent.PartitionFailed(request.partition(ticker), reason));
        }
    }

    /** A failed date fails every ticker that wanted it (once: a ticker may want several failed dates). */
    private void handleDate(LocalDate date, FetchFailure failure, List<TickerState> states)
            throws InterruptedException {
        if (failure.runWide()) {
            failRun(failure.getMessage());
            return;
        }
        String reason = redact("grouped daily request for " + date + " failed: " + failure.getMessage());
        LOG.warn("{} ({} tickers)", reason, states.size());
        for (TickerState state : states) {
            synchronized (state) {
                if (!state.failed) {
                    state.failed = true;
                    emit(new SourceEvent.PartitionFailed(request.partition(state.ticker), reason));
                }
            }
        }
    }

    /** A rejected key fails everything: stop all work now rather than spend requests that must fail too. */
    private void failRun(String reason) {
        if (fatal.compareAndSet(null, redact(reason))) {
            LOG.error("Polygon source stopped: {}", fatal.get());
            workers.shutdownNow();
            events.offer(WAKE_UP);
        }
    }

    /**
     * Hands a task to the pool. The first tasks may already have stopped the run (a dead upstream opens the breaker
     * within a few requests) while later ones are still being handed over: those are dropped, as the run has
     * failed and {@link #poll} says so.
     */
    private void submit(Runnable task) {
        try {
            workers.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            if (fatal.get() == null && !workers.isShutdown()) {
                throw e;
            }
        }
    }

    private interface Task {
        void run() throws InterruptedException;
    }

    private void runTask(Task task) {
        try {
            if (fatal.get() == null) {
                task.run();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // closed or failed: nobody is waiting for the end marker any more
        } catch (RuntimeException e) {
            // A bug here must not hang the run: the pipeline still gets END and can report what it has.
            LOG.error("Polygon source worker failed unexpectedly", e);
        }
        if (outstanding.decrementAndGet() == 0) {
            finish();
        }
    }

    private void finish() {
        try {
            events.put(SourceEvent.END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        var stats = counters.snapshot();
        LOG.info("Polygon source finished: {} requests, {} retries, {} rate-limited (429), {} ms rate-limit waits,"
                        + " {} failed requests", stats.requests(), stats.retries(), stats.rateLimited(),
                stats.rateLimitWaitMs(), stats.failedRequests());
    }

    SourceEvent poll(Duration timeout) throws InterruptedException {
        throwIfFailed();
        if (ended) {
            return SourceEvent.END;
        }
        Object next = events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        throwIfFailed();
        if (next == null || next == WAKE_UP) {
            return null;
        }
        if (next == SourceEvent.END) {
            ended = true;
            workers.shutdown();
        }
        return (SourceEvent) next;
    }

    private void throwIfFailed() {
        String reason = fatal.get();
        if (reason != null) {
            throw new SourceException(reason);
        }
    }

    void close() {
        workers.shutdownNow();
        // A worker blocked reading an answer does not see the interrupt: dropping its connection frees it.
        client.close();
        events.clear();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("Polygon source workers did not stop within 5 s of close()");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void emit(SourceEvent event) throws InterruptedException {
        events.put(event);
    }

    private String redact(String text) {
        return redactor.redact(text);
    }

    private static List<RawBar> within(List<RawBar> bars, long fromMs, long toMs) {
        int outside = 0;
        List<RawBar> kept = new ArrayList<>(bars.size());
        for (RawBar bar : bars) {
            if (bar.startMs() >= fromMs && bar.startMs() < toMs) {
                kept.add(bar);
            } else {
                outside++;
            }
        }
        if (outside > 0) {
            LOG.debug("dropped {} bars outside the requested dates", outside);
        }
        return kept;
    }

    /** The last trading date delivered, as the position within the partition. */
    private static SourceOffset offset(List<RawBar> bars) {
        return through(latestStart(bars));
    }

    private static SourceOffset through(long startMs) {
        return new SourceOffset(Map.of("through", MarketTime.tradingDate(startMs).toString()));
    }

    private static long latestStart(List<RawBar> bars) {
        long last = Long.MIN_VALUE;
        for (RawBar bar : bars) {
            last = Math.max(last, bar.startMs());
        }
        return last;
    }

    /**
     * Grouped plan: how many of a ticker's dates are still outstanding, whether one of them failed, and the latest
     * bar delivered (its offset). Guarded by its own lock.
     */
    private static final class TickerState {
        final String ticker;
        int remainingDates;
        boolean failed;
        long throughMs = Long.MIN_VALUE;

        TickerState(String ticker, int remainingDates) {
            this.ticker = ticker;
            this.remainingDates = remainingDates;
        }
    }
}
