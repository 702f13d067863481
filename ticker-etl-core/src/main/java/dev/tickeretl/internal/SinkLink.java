package dev.tickeretl.internal;

import dev.tickeretl.Bar;
import dev.tickeretl.Timespan;
import dev.tickeretl.spi.Metrics;
import dev.tickeretl.spi.Observer;
import dev.tickeretl.spi.Sink;
import dev.tickeretl.spi.SourcePartition;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fan-out sink and its durable outbox in the store (the transactional-outbox pattern): bars the sink did not
 * take wait in {@code outbox/<sink>/<dataset>/<timespan>/<ticker>/<micros>-<run>.jsonl} instead of in memory,
 * and are delivered, oldest first, before any newer bar of the same partition, so per-ticker order holds across an
 * outage and across runs. Calls for one partition come from one writer at a time (the pipeline's rule).
 */
final class SinkLink {

    private static final Logger LOG = LoggerFactory.getLogger(SinkLink.class);
    static final String OUTBOX = "outbox";

    private final Sink sink;
    private final String name;
    private final String prefix;
    private final DataStore store;
    private final Observer observer;
    private final String runId;
    /** Partitions (by their outbox directory) with segments waiting. */
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    /** Outbox segment names: wall-clock microseconds, strictly increasing within this JVM. */
    private static final AtomicLong SEQUENCE = new AtomicLong();
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong queued = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    volatile String lastError;
    /** Bars waiting when the run ended (set then). */
    volatile long pendingAtEnd;
    /**
     * Bars waiting now, as this link counts them (the outbox depth gauge, so that an alert sees a backlog grow while a
     * stream runs, not only when it ends); counted anew from the store at the start and by {@link #pendingBars()}.
     */
    private long waiting;

    SinkLink(Sink sink, String name, DataStore store, Observer observer, String runId) {
        this.sink = sink;
        this.name = name;
        this.prefix = OUTBOX + "/" + key(name) + "/";
        this.store = store;
        this.observer = observer;
        this.runId = runId;
        for (String path : store.storage().list(prefix)) {
            pending.add(path.substring(0, path.lastIndexOf('/') + 1));
        }
        if (pending.isEmpty()) {
            changeWaiting(0); // the series exists from the start: a rule sees 0, not nothing
        } else {
            pendingBars();
        }
    }

    /** Adds {@code delta} to the bars waiting and reports the depth, in one step so reports never go back in time. */
    private synchronized void changeWaiting(long delta) {
        waiting = Math.max(0, waiting + delta); // another process may deliver what this one counted
        observer.gauge(Metrics.OUTBOX_PENDING, waiting, Metrics.SINK, name);
    }

    String name() {
        return name;
    }

    Sink sink() {
        return sink;
    }

    /** The outbox directory of one partition (ending in '/'). */
    private String directory(SourcePartition p) {
        return prefix + StoreLayout.dataset(p.adjusted()) + "/" + p.timespan().wireName() + "/" + p.ticker() + "/";
    }

    /** Whether any bar of {@code p} waits in the outbox. */
    boolean hasPending(SourcePartition p) {
        return pending.contains(directory(p));
    }

    /** Whether any bar waits at all. */
    boolean hasPending() {
        return !pending.isEmpty();
    }

    /** The partitions with bars waiting. */
    List<SourcePartition> pendingPartitions() {
        return pending.stream().map(this::partitionOf).toList();
    }

    /**
     * Delivers one partition's new or changed bars: first what waits in its outbox, then these; whatever the sink
     * does not take is appended to the outbox, durably, before this returns.
     *
     * @throws dev.tickeretl.StoreException only when even the outbox cannot be written
     */
    void deliver(SourcePartition p, List<Bar> bars) {
        if (bars.isEmpty()) {
            return;
        }
        if (drain(p)) {
            try {
                sink.publish(bars);
                delivered.addAndGet(bars.size());
                observer.count(Metrics.SINK_DELIVERED, bars.size(), Metrics.SINK, name);
                return;
            } catch (RuntimeException e) {
                failed(e);
            }
        }
        enqueue(p, bars);
    }

    /**
     * Delivers what waits in {@code p}'s outbox, oldest first, removing each segment once the sink took it.
     *
     * @return true when nothing waits any more
     */
    boolean drain(SourcePartition p) {
        String dir = directory(p);
        if (!pending.contains(dir)) {
            return true;
        }
        for (String path : store.storage().list(dir)) {
            byte[] bytes = store.storage().read(path).orElse(null);
            if (bytes == null) {
                continue; // another process delivered it
            }
            List<Bar> bars = PartitionFile.decode(store.uri().toString(), path, bytes).bars();
            try {
                sink.publish(bars);
            } catch (RuntimeException e) {
                failed(e);
                return false;
            }
            store.storage().delete(path);
            changeWaiting(-bars.size());
            delivered.addAndGet(bars.size());
            observer.count(Metrics.SINK_DELIVERED, bars.size(), Metrics.SINK, name);
        }
        pending.remove(dir);
        LOG.info("sink {}: delivered the waiting bars of {}", name, p);
        return true;
    }

    private void enqueue(SourcePartition p, List<Bar> bars) {
        String dir = directory(p);
        // Time first, so segments sort in the order they were queued, across runs and processes. The wall clock,
        // not the run's clock: a test's fixed clock must not make two runs' segments tie.
        long micros = SEQUENCE.updateAndGet(last -> Math.max(last + 1, System.currentTimeMillis() * 1000));
        String path = dir + String.format("%016d-%s.jsonl", micros, runId);
        store.storage().put(path, PartitionFile.encode(bars));
        pending.add(dir);
        changeWaiting(bars.size());
        queued.addAndGet(bars.size());
        observer.count(Metrics.OUTBOX_QUEUED, bars.size(), Metrics.SINK, name);
    }

    private void failed(RuntimeException e) {
        failures.incrementAndGet();
        String message = Pipeline.describe(e);
        if (!message.equals(lastError)) {
            LOG.warn("sink {} did not take bars ({}); they wait in the store's outbox", name, message);
        }
        lastError = message;
        observer.count(Metrics.SINK_ERRORS, 1, Metrics.SINK, name);
    }

    /**
     * Bars waiting in the outbox now, counted in the store (reads every segment: for the start and the end of a run,
     * not for a hot path).
     */
    synchronized long pendingBars() {
        long n = 0;
        for (String path : store.storage().list(prefix)) {
            byte[] bytes = store.storage().read(path).orElse(null);
            if (bytes != null) {
                n += new String(bytes, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).count();
            }
        }
        waiting = n;
        observer.gauge(Metrics.OUTBOX_PENDING, n, Metrics.SINK, name);
        return n;
    }

    private SourcePartition partitionOf(String dir) {
        String[] seg = dir.substring(prefix.length()).split("/");
        return new SourcePartition(seg[2], Timespan.fromWireName(seg[1]), seg[0].equals(StoreLayout.ADJUSTED_BARS));
    }

    /** A sink URI as one safe path segment: its readable parts, and a hash so that different URIs never meet. */
    static String key(String sinkName) {
        String readable = sinkName.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
        if (readable.length() > 60) {
            readable = readable.substring(0, 60);
        }
        return readable + "-" + Integer.toHexString(sinkName.hashCode());
    }
}
