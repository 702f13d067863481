package dev.tickeretl.simulator;

import dev.tickeretl.MarketTime;
import dev.tickeretl.TradingCalendar;
import dev.tickeretl.internal.DaemonThreads;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The market's minute bars as they happen: one thread that follows the {@link MarketClock} and, at the end of every
 * regular-session minute, publishes that minute's AM events (one per listed symbol that traded), then the revisions
 * that fell due, and the connection faults scheduled on the way. Works through market time in order, so a clock that
 * jumps ahead still yields every minute, each revision after the version it revises.
 *
 * <p>Invariant the tests rely on: for each (symbol, minute) the last event published is the final bar that REST
 * serves. Hence only events that are final may be held back out of order, and duplicates of a preliminary version
 * go out before its revision is due.
 */
final class MinuteFeed {

    private static final long MINUTE_MS = 60_000L;
    private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    // Decision purposes for the seeded per-event hashes.
    private static final long REVISED = 40;
    private static final long REVISION_SHAPE = 41;
    private static final long DUPLICATE = 50;
    private static final long OUT_OF_ORDER = 51;

    /**
     * One AM event, rendered: version {@code version} of the bar of {@code ticker} for the minute starting at
     * {@code start}; {@code last} when no later version will follow.
     */
    record Event(String ticker, long start, int version, byte[] json, boolean last) {
    }

    private final SyntheticMarket market;
    private final Universe universe;
    private final MarketClock clock;
    private final StreamHub hub;
    private final TradingCalendar calendar = TradingCalendar.nyse();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private final AtomicLong sequence = new AtomicLong();
    private final Thread thread;
    private final StringBuilder text = new StringBuilder(256);

    // Feed-thread state.
    private long nextMinute;
    private List<Event> heldBack = new ArrayList<>();
    private long flushAt = Long.MAX_VALUE;
    private LocalDate day;
    private final Map<String, TickerDay> tickerDays = new HashMap<>();

    // Statistics, read by any thread.
    final AtomicLong minutesPublished = new AtomicLong();
    final AtomicLong eventsPublished = new AtomicLong();
    final AtomicLong revisionsPublished = new AtomicLong();
    final AtomicLong duplicatesPublished = new AtomicLong();
    final AtomicLong reorderedPublished = new AtomicLong();
    volatile long lastPublishedMinute = Long.MIN_VALUE;
    /** Market time through which everything due has been handed to the connections. */
    volatile long caughtUpTo = Long.MIN_VALUE;

    private volatile boolean closed;

    MinuteFeed(SyntheticMarket market, Universe universe, MarketClock clock, StreamHub hub, String threadName) {
        this.market = market;
        this.universe = universe;
        this.clock = clock;
        this.hub = hub;
        this.thread = DaemonThreads.thread(threadName, this::run);
    }

    void start() {
        // Decided here, on the caller's thread: a clock advanced before the thread runs must not skip minutes.
        nextMinute = nextSessionMinute(Math.floorDiv(clock.nowMs(), MINUTE_MS) * MINUTE_MS);
        thread.start();
    }

    /** Something changed (the clock was advanced, a plan installed): look again at what is due. */
    void wakeUp() {
        lock.lock();
        try {
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Ends a connection stall at a market time (for stalls with a duration). */
    void scheduleStallEnd(long marketMs, List<StreamHub.Session> sessions) {
        lock.lock();
        try {
            tasks.add(Task.stallEnd(marketMs, sequence.incrementAndGet(), sessions));
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void close() {
        closed = true;
        thread.interrupt();
    }

    private void run() {
        try {
            while (!closed) {
                long due = nextDue();
                long now = clock.nowMs();
                if (due <= now) {
                    cycle(due);
                    continue;
                }
                caughtUpTo = now;
                // Bounded, so a missed wake-up costs at most a moment.
                long wait = Math.min(clock.realNanosUntil(due), MAX_WAIT_NANOS);
                lock.lock();
                try {
                    if (wait > 0) {
                        wake.awaitNanos(wait);
                    }
                } finally {
                    lock.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // A bug must not take the process down; the stream simply stops publishing.
            System.err.println("polygon-simulator: minute feed stopped: " + e);
        }
    }

    private long nextDue() {
        long due = Math.min(nextMinute + MINUTE_MS, flushAt);
        lock.lock();
        try {
            Task first = tasks.peek();
            if (first != null) {
                due = Math.min(due, first.due);
            }
        } finally {
            lock.unlock();
        }
        return Math.min(due, hub.nextScheduledFault());
    }

    /** Everything due at market time {@code t}: faults, then the minute ending at t, its revisions, late events. */
    private void cycle(long t) {
        hub.applyScheduledFaults(t);
        List<Event> fresh = new ArrayList<>();
        List<Task> revisions = new ArrayList<>();
        lock.lock();
        try {
            while (!tasks.isEmpty() && tasks.peek().due <= t) {
                Task task = tasks.poll();
                if (task.sessions != null) {
                    hub.endStall(task.sessions);
                } else {
                    revisions.add(task);
                }
            }
        } finally {
            lock.unlock();
        }
        long published = Long.MIN_VALUE;
        if (nextMinute + MINUTE_MS <= t) {
            published = nextMinute;
            publishMinute(nextMinute, fresh);
            nextMinute = nextSessionMinute(nextMinute + MINUTE_MS);
        }
        for (Task revision : revisions) {
            fresh.add(render(revision.ticker, revision.version, revision.bar, revision.cumVolume,
                    revision.cumDollar, revision.officialOpen, revision.last));
            revisionsPublished.incrementAndGet();
        }
        List<Event> out = new ArrayList<>(fresh.size() + heldBack.size() + 8);
        List<Event> duplicates = new ArrayList<>();
        List<Event> nowHeld = new ArrayList<>();
        StreamFaultPlan plan = hub.plan();
        for (Event event : fresh) {
            long key = market.streamKey(event.ticker(), event.start(), 100 + event.version());
            if (event.last() && chance(key, OUT_OF_ORDER) < plan.outOfOrderRate()) {
                nowHeld.add(event);
                continue;
            }
            out.add(event);
            if (chance(key, DUPLICATE) < plan.duplicateRate()) {
                duplicates.add(event);
            }
        }
        // Late events go after this minute's: for their symbol, minute m arrives after minute m+1.
        out.addAll(heldBack);
        reorderedPublished.addAndGet(heldBack.size());
        out.addAll(duplicates);
        duplicatesPublished.addAndGet(duplicates.size());
        heldBack = nowHeld;
        flushAt = nowHeld.isEmpty() ? Long.MAX_VALUE : t + MINUTE_MS;
        eventsPublished.addAndGet(fresh.size() + duplicates.size());
        if (!out.isEmpty()) {
            hub.deliver(out);
        }
        if (published != Long.MIN_VALUE) {
            minutesPublished.incrementAndGet();
            lastPublishedMinute = published;
        }
    }

    private void publishMinute(long start, List<Event> out) {
        LocalDate date = MarketTime.tradingDate(start);
        if (!date.equals(day)) {
            day = date;
            tickerDays.clear();
        }
        StreamFaultPlan plan = hub.plan();
        for (String ticker : universe.tickers()) {
            TickerDay td = tickerDays.computeIfAbsent(ticker, t -> new TickerDay(market.dayMinutes(t, date)));
            if (td.minutes == null) {
                continue;
            }
            int index = (int) ((start - td.minutes.open) / MINUTE_MS);
            td.catchUp(index);
            SimulatedBar bar = td.minutes.bar(index);
            if (bar == null) {
                continue; // no trade in this minute: no event, and no REST bar either
            }
            double officialOpen = td.minutes.officialOpen();
            long revisionKey = market.streamKey(ticker, start, REVISED);
            int revisions = Noise.unit(revisionKey) < plan.revisionRate()
                    ? 1 + (Noise.unit(Noise.mix(revisionKey)) < 0.3 ? 1 : 0) : 0;
            if (revisions == 0) {
                out.add(render(ticker, 0, bar, td.cumVolume, td.cumDollar, officialOpen, true));
            } else {
                long shape = market.streamKey(ticker, start, REVISION_SHAPE);
                out.add(render(ticker, 0, preliminary(bar, shape, 0, revisions), td.cumVolume, td.cumDollar,
                        officialOpen, false));
                // Revisions arrive 1..15 minutes after the minute ends, in order; the last carries the final bar.
                int firstDelay = 1 + (int) (Noise.unit(Noise.hash(shape, 1)) * 7);
                int secondDelay = firstDelay + 1 + (int) (Noise.unit(Noise.hash(shape, 2)) * (15 - firstDelay));
                lock.lock();
                try {
                    for (int k = 1; k <= revisions; k++) {
                        boolean last = k == revisions;
                        SimulatedBar version = last ? bar : preliminary(bar, shape, k, revisions);
                        int delay = k == 1 ? firstDelay : secondDelay;
                        tasks.add(Task.revision(start + MINUTE_MS + delay * MINUTE_MS, sequence.incrementAndGet(),
                                ticker, k, version, td.cumVolume, td.cumDollar, officialOpen, last));
                    }
                } finally {
                    lock.unlock();
                }
            }
            td.add(bar, index);
        }
    }

    /**
     * A version of {@code bar} before late trades arrived: fewer shares and trades, a range inside the final one,
     * the same open and close. Version {@code k} of {@code count} revisions is closer to final the later it is.
     */
    private static SimulatedBar preliminary(SimulatedBar bar, long shape, int k, int count) {
        double progress = (k + Noise.unit(Noise.hash(shape, 10 + k))) / (count + 1.0);
        double share = 0.5 + 0.45 * progress;
        double top = Math.max(bar.open(), bar.close());
        double bottom = Math.min(bar.open(), bar.close());
        double high = Math.round((top + (bar.high() - top) * progress) * 100.0) / 100.0;
        double low = Math.round((bottom - (bottom - bar.low()) * progress) * 100.0) / 100.0;
        high = Math.max(top, Math.min(bar.high(), high));
        low = Math.min(bottom, Math.max(bar.low(), low));
        double volume = bar.volume() == Math.rint(bar.volume())
                ? Math.max(1L, Math.round(bar.volume() * share))
                : Math.max(0.1, Math.round(bar.volume() * share * 10.0) / 10.0);
        double vwap = Math.max(low, Math.min(high, Math.round((low + high) / 2.0 * 10_000.0) / 10_000.0));
        Long trades = bar.transactions() == null ? null : Math.max(1L, Math.round(bar.transactions() * share));
        return new SimulatedBar(bar.ticker(), bar.t(), bar.open(), high, low, bar.close(), volume, vwap, trades);
    }

    private Event render(String ticker, int version, SimulatedBar bar, double cumVolume, double cumDollar,
                         double officialOpen, boolean last) {
        double vwap = bar.vwap() == null ? (bar.high() + bar.low()) / 2.0 : bar.vwap();
        double dayVolume = cumVolume + bar.volume();
        double dayVwap = Math.round((cumDollar + bar.volume() * vwap) / dayVolume * 10_000.0) / 10_000.0;
        long tradeSize = bar.transactions() == null || bar.transactions() == 0 ? Math.round(bar.volume())
                : Math.max(1L, Math.round(bar.volume() / bar.transactions()));
        // Written by hand, not through a JSON generator per event: a 10 000-symbol minute must render in
        // milliseconds. Safe because a symbol is [A-Z0-9.] only (Tickers.isValid) and every value is a number.
        text.setLength(0);
        text.append("{\"ev\":\"AM\",\"sym\":\"").append(ticker)
                .append("\",\"v\":").append(PolygonJson.plain(bar.volume()))
                .append(",\"av\":").append(PolygonJson.plain(Math.round(dayVolume * 10.0) / 10.0))
                .append(",\"op\":").append(PolygonJson.plain(officialOpen))
                .append(",\"vw\":").append(PolygonJson.plain(vwap))
                .append(",\"o\":").append(PolygonJson.plain(bar.open()))
                .append(",\"c\":").append(PolygonJson.plain(bar.close()))
                .append(",\"h\":").append(PolygonJson.plain(bar.high()))
                .append(",\"l\":").append(PolygonJson.plain(bar.low()))
                .append(",\"a\":").append(PolygonJson.plain(dayVwap))
                .append(",\"z\":").append(tradeSize)
                .append(",\"s\":").append(bar.t())
                .append(",\"e\":").append(bar.t() + MINUTE_MS)
                .append('}');
        return new Event(ticker, bar.t(), version, text.toString().getBytes(StandardCharsets.US_ASCII), last);
    }

    private static double chance(long key, long purpose) {
        return Noise.unit(Noise.hash(key, purpose));
    }

    /** The first regular-session minute starting at or after {@code ms} (a minute start). */
    long nextSessionMinute(long ms) {
        LocalDate date = MarketTime.tradingDate(ms);
        Optional<TradingCalendar.Session> session = calendar.session(date);
        if (session.isPresent()) {
            long open = session.get().open().toInstant().toEpochMilli();
            long close = session.get().close().toInstant().toEpochMilli();
            if (ms < close) {
                return Math.max(ms, open);
            }
        }
        LocalDate next = calendar.nextTradingDay(date);
        return calendar.session(next).orElseThrow().open().toInstant().toEpochMilli();
    }

    /** Start of the minute the feed publishes next (at its end). */
    Instant nextMinute() {
        return Instant.ofEpochMilli(nextMinute);
    }

    /** One symbol's session so far: the day's accumulated volume and dollar volume, for {@code av} and {@code a}. */
    private static final class TickerDay {
        final SyntheticMarket.DayMinutes minutes;
        double cumVolume;
        double cumDollar;
        int counted; // minutes [0, counted) are in the sums

        TickerDay(SyntheticMarket.DayMinutes minutes) {
            this.minutes = minutes;
        }

        /** Adds the minutes before {@code index} that the feed did not publish (it started mid-session). */
        void catchUp(int index) {
            while (counted < index) {
                SimulatedBar bar = minutes.bar(counted);
                if (bar != null) {
                    sum(bar);
                }
                counted++;
            }
        }

        void add(SimulatedBar bar, int index) {
            if (index == counted) {
                sum(bar);
                counted++;
            }
        }

        private void sum(SimulatedBar bar) {
            double vwap = bar.vwap() == null ? (bar.high() + bar.low()) / 2.0 : bar.vwap();
            cumVolume += bar.volume();
            cumDollar += bar.volume() * vwap;
        }
    }

    /** A revision or the end of a stall, due at a market time; ties keep the order they were made in. */
    private static final class Task implements Comparable<Task> {
        final long due;
        final long seq;
        final String ticker;
        final int version;
        final SimulatedBar bar;
        final double cumVolume;
        final double cumDollar;
        final double officialOpen;
        final boolean last;
        final List<StreamHub.Session> sessions;

        private Task(long due, long seq, String ticker, int version, SimulatedBar bar, double cumVolume,
                     double cumDollar, double officialOpen, boolean last, List<StreamHub.Session> sessions) {
            this.due = due;
            this.seq = seq;
            this.ticker = ticker;
            this.version = version;
            this.bar = bar;
            this.cumVolume = cumVolume;
            this.cumDollar = cumDollar;
            this.officialOpen = officialOpen;
            this.last = last;
            this.sessions = sessions;
        }

        static Task revision(long due, long seq, String ticker, int version, SimulatedBar bar, double cumVolume,
                             double cumDollar, double officialOpen, boolean last) {
            return new Task(due, seq, ticker, version, bar, cumVolume, cumDollar, officialOpen, last, null);
        }

        static Task stallEnd(long due, long seq, List<StreamHub.Session> sessions) {
            return new Task(due, seq, null, 0, null, 0, 0, 0, false, List.copyOf(sessions));
        }

        @Override
        public int compareTo(Task other) {
            int byDue = Long.compare(due, other.due);
            return byDue != 0 ? byDue : Long.compare(seq, other.seq);
        }
    }
}
