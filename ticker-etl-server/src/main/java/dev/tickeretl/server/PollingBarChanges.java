package dev.tickeretl.server;

import dev.tickeretl.Bar;
import dev.tickeretl.MarketTime;
import dev.tickeretl.Store;
import dev.tickeretl.Timespan;
import dev.tickeretl.internal.DaemonThreads;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds new and changed bars by re-reading each watched partition (one ticker's bars of one day) every interval
 * and comparing it, by key and value, with the previous read. Works whoever writes the store, in this process or
 * another; the cost is one small partition read per watched ticker per interval, shared by all clients watching
 * it. Bars are never deleted from a store, so only additions and changes are looked for.
 */
final class PollingBarChanges implements BarChanges {

    private static final Logger LOG = LoggerFactory.getLogger(PollingBarChanges.class);

    /** One ticker's bars of one timespan and dataset on one date, or on "today" when {@code date} is null. */
    private record Key(String ticker, Timespan timespan, boolean adjusted, LocalDate date) {
    }

    /** What the last read of a key found, and who is listening. Guarded by the enclosing instance. */
    private static final class Watched {
        LocalDate day;
        Map<Long, Bar> bars;
        boolean failing;
        final List<Consumer<Bar>> listeners = new CopyOnWriteArrayList<>();
    }

    private final Store store;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final Map<Key, Watched> watched = new HashMap<>();

    PollingBarChanges(Store store, Clock clock, Duration interval) {
        this.store = store;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("ticker-etl-bar-changes"));
        long ms = Math.max(1, interval.toMillis());
        timer.scheduleWithFixedDelay(this::pollSafely, ms, ms, TimeUnit.MILLISECONDS);
    }

    @Override
    public AutoCloseable watch(Watch watch, Consumer<Bar> listener) {
        Set<Key> keys = new LinkedHashSet<>();
        for (String ticker : watch.tickers()) {
            keys.add(new Key(ticker, watch.timespan(), watch.adjusted(), watch.date()));
        }
        List<Key> joined = new ArrayList<>();
        try {
            for (Key key : keys) {
                join(key, listener);
                joined.add(key);
            }
        } catch (RuntimeException e) {
            // A watch that cannot start leaves nothing behind: the tickers joined so far would be read for good.
            leave(joined, listener);
            throw e;
        }
        return () -> leave(joined, listener);
    }

    private void join(Key key, Consumer<Bar> listener) {
        synchronized (this) {
            Watched w = watched.get(key);
            if (w != null) {
                w.bars.values().forEach(listener);
                w.listeners.add(listener);
                return;
            }
        }
        // A first read can be slow (a large partition, a remote store, a stream's segments): never under the lock,
        // which every other client's changes and every other watch need.
        LocalDate day = dayOf(key);
        Map<Long, Bar> bars = read(key, day);
        synchronized (this) {
            Watched w = watched.get(key);
            if (w == null) {
                w = new Watched();
                w.day = day;
                w.bars = bars;
                watched.put(key, w);
            }
            w.bars.values().forEach(listener);
            w.listeners.add(listener);
        }
    }

    private synchronized void leave(List<Key> keys, Consumer<Bar> listener) {
        for (Key key : keys) {
            Watched w = watched.get(key);
            if (w != null) {
                w.listeners.remove(listener);
                if (w.listeners.isEmpty()) {
                    watched.remove(key);
                }
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        synchronized (this) {
            watched.clear();
        }
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: keep polling whatever went wrong.
            LOG.warn("polling the store for changes failed: {}", e.toString());
        }
    }

    /** One round: read every watched partition outside the lock, then compare and notify under it. */
    void poll() {
        Map<Key, Watched> now;
        synchronized (this) {
            now = new LinkedHashMap<>(watched);
        }
        for (Map.Entry<Key, Watched> e : now.entrySet()) {
            Key key = e.getKey();
            LocalDate day = dayOf(key);
            Map<Long, Bar> fresh;
            try {
                fresh = read(key, day);
            } catch (RuntimeException failure) {
                synchronized (this) {
                    if (!e.getValue().failing) {
                        LOG.warn("cannot read {} {} bars of {} for /v1/stream: {}", key.ticker(),
                                key.timespan().wireName(), day, failure.toString());
                    }
                    e.getValue().failing = true;
                }
                continue;
            }
            synchronized (this) {
                Watched w = e.getValue();
                if (watched.get(key) != w) {
                    continue; // nobody listens any more
                }
                w.failing = false;
                boolean sameDay = day.equals(w.day);
                List<Bar> changed = new ArrayList<>();
                for (Bar bar : fresh.values()) {
                    Bar before = sameDay ? w.bars.get(bar.startMs()) : null;
                    if (!bar.equals(before)) {
                        changed.add(bar);
                    }
                }
                w.day = day;
                w.bars = fresh;
                for (Bar bar : changed) {
                    for (Consumer<Bar> listener : w.listeners) {
                        listener.accept(bar);
                    }
                }
            }
        }
    }

    private LocalDate dayOf(Key key) {
        return key.date() != null ? key.date() : clock.instant().atZone(MarketTime.ZONE).toLocalDate();
    }

    private Map<Long, Bar> read(Key key, LocalDate day) {
        Map<Long, Bar> bars = new LinkedHashMap<>();
        for (Bar bar : StoreReads.bars(store, key.ticker(), key.timespan(), key.adjusted(), day, day)) {
            bars.put(bar.startMs(), bar);
        }
        return bars;
    }
}
