package dev.tickeretl.bench;

import dev.tickeretl.internal.DaemonThreads;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.tickeretl.RunHandle;
import dev.tickeretl.RunRecord;
import dev.tickeretl.TickerEtl;
import dev.tickeretl.spi.Observer;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The streaming pipeline as {@link StreamBench} runs it, in a JVM of its own (so that its heap limit, {@code -Xmx},
 * and its collections are its own): the Polygon source on the simulator's WebSocket, the file store, and an
 * {@link Observer} that prints what the bench needs to standard output, one event a line:
 *
 * <pre>
 * EPOCH_MS T name nanos          a timing (Observer.time), e.g. ticker_etl_receive_to_durable
 * EPOCH_MS C name amount         a count of interest (reconnects, repairs, failures)
 * EPOCH_MS G name value          a gauge of interest (connected)
 * EPOCH_MS H used_after committed_after used_before gc_name   after every collection (JMX notification)
 * EPOCH_MS READY                 the run has started
 * EPOCH_MS RUN key=value ...     the run record when it ends
 * </pre>
 *
 * It stops (flush, commit, compact, record) when standard input says {@code stop} or ends.
 *
 * <pre>
 * java -Xmx256m -cp benchmarks.jar dev.tickeretl.bench.StreamBenchClient base-url=http://127.0.0.1:PORT \
 *     ws-url=ws://127.0.0.1:PORT/stocks tickers-file=FILE store=DIR [flush-interval=PT1S] [commit-interval=PT1S]
 *     [writer-threads=4] [max-buffered-bars=200000] [compact-interval=PT5M] [ping-interval=PT10S]
 *     [stream-timeout=PT30S]
 * </pre>
 */
public final class StreamBenchClient {

    /** Counters worth a line: rare events. Per-message counters would only cost the run time. */
    static final Set<String> COUNTS = Set.of("ticker_etl_stream_reconnects", "ticker_etl_repaired_minutes",
            "ticker_etl_repair_failures", "ticker_etl_stream_silent_aborts", "ticker_etl_write_failures",
            "ticker_etl_data_quality_warnings", "ticker_etl_offset_commits");
    static final Set<String> GAUGES = Set.of("ticker_etl_stream_connected");

    private StreamBenchClient() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = arguments(args);
        List<String> tickers = Files.readAllLines(Path.of(require(a, "tickers-file"))).stream()
                .filter(s -> !s.isBlank()).toList();
        Lines out = new Lines(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.US_ASCII),
                1 << 16));
        watchCollections(out);
        Map<String, String> options = new HashMap<>();
        options.put("base-url", require(a, "base-url"));
        options.put("ws-url", require(a, "ws-url"));
        options.put("require-key", "false");
        copy(a, options, "ping-interval", "stream-timeout");
        TickerEtl.Builder builder = TickerEtl.builder().streaming().tickers(tickers).source("polygon", options)
                .store(Path.of(require(a, "store")).toUri()).observer(out).shutdownHook(true);
        if (a.containsKey("flush-interval")) {
            builder.flushInterval(Duration.parse(a.get("flush-interval")));
        }
        if (a.containsKey("commit-interval")) {
            builder.commitInterval(Duration.parse(a.get("commit-interval")));
        }
        if (a.containsKey("compact-interval")) {
            builder.compactInterval(Duration.parse(a.get("compact-interval")));
        }
        if (a.containsKey("writer-threads")) {
            builder.writerThreads(Integer.parseInt(a.get("writer-threads")));
        }
        if (a.containsKey("max-buffered-bars")) {
            builder.maxBufferedBars(Integer.parseInt(a.get("max-buffered-bars")));
        }
        RunHandle handle = builder.build().start();
        out.line("READY");
        Thread stopper = DaemonThreads.thread("stream-bench-stdin", () -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null && !line.strip().equals("stop")) {
                    // only "stop" (or the end of input: the bench went away) means anything
                }
            } catch (IOException e) {
                // the same as the end of input
            }
            handle.stop();
        });
        stopper.start();
        RunRecord run = handle.result();
        var t = run.totals();
        out.line(String.format(Locale.ROOT, "RUN status=%s duration_ms=%d fetched=%d written=%d updated=%d "
                        + "unchanged=%d invalid=%d failed_tickers=%d files=%d bytes=%d error=%s", run.status(),
                run.durationMs(), t.fetched(), t.written(), t.updated(), t.unchanged(), t.invalid(),
                t.failedTickers(), t.filesWritten(), t.bytesWritten(),
                run.error() == null ? "-" : run.error().replace(' ', '_')));
        out.close();
        System.exit(run.status() == dev.tickeretl.RunStatus.SUCCEEDED ? 0 : 3);
    }

    /** Heap in use after every collection, from the collectors' own notifications: no polling, no extra GC. */
    private static void watchCollections(Lines out) {
        // A collection's usage maps hold every pool it knows, code cache and metaspace too: only the heap counts.
        Set<String> heapPools = new java.util.HashSet<>();
        for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (!(gc instanceof NotificationEmitter emitter)) {
                continue;
            }
            emitter.addNotificationListener((notification, handback) -> {
                if (!notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                    return;
                }
                var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                long usedAfter = 0;
                long committedAfter = 0;
                long usedBefore = 0;
                for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                    if (heapPools.contains(e.getKey())) {
                        usedAfter += e.getValue().getUsed();
                        committedAfter += e.getValue().getCommitted();
                    }
                }
                for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageBeforeGc().entrySet()) {
                    if (heapPools.contains(e.getKey())) {
                        usedBefore += e.getValue().getUsed();
                    }
                }
                out.line("H " + usedAfter + " " + committedAfter + " " + usedBefore + " "
                        + info.getGcName().replace(' ', '_') + "/" + info.getGcAction().replace(' ', '_'));
            }, null, null);
        }
    }

    static Map<String, String> arguments(String[] args) {
        Map<String, String> a = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("expected key=value, got '" + arg + "'");
            }
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return a;
    }

    private static String require(Map<String, String> a, String key) {
        String v = a.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(key + ": missing");
        }
        return v;
    }

    private static void copy(Map<String, String> from, Map<String, String> to, String... keys) {
        for (String k : keys) {
            if (from.containsKey(k)) {
                to.put(k, from.get(k));
            }
        }
    }

    /**
     * The observer: events as lines, written through one buffer and flushed every few milliseconds by a daemon
     * thread, so that reporting 10,000 timings a burst costs the pipeline a string each, not a system call each.
     */
    static final class Lines implements Observer, AutoCloseable {
        private final Writer out;
        private final Thread flusher;
        private volatile boolean closed;

        Lines(Writer out) {
            this.out = out;
            this.flusher = DaemonThreads.thread("stream-bench-flush", () -> {
                while (!closed) {
                    try {
                        Thread.sleep(5);
                        synchronized (this) {
                            this.out.flush();
                        }
                    } catch (InterruptedException e) {
                        return;
                    } catch (IOException e) {
                        return; // the bench went away
                    }
                }
            });
            flusher.start();
        }

        synchronized void line(String text) {
            line(text, null, 0);
        }

        /** {@code EPOCH_MS kind [name value]}, written in parts: called 10,000 times a burst on the pipeline's thread. */
        private synchronized void line(String kind, String name, long value) {
            try {
                out.write(Long.toString(System.currentTimeMillis()));
                out.write(' ');
                out.write(kind);
                if (name != null) {
                    out.write(' ');
                    out.write(name);
                    out.write(' ');
                    out.write(Long.toString(value));
                }
                out.write('\n');
            } catch (IOException e) {
                // the bench went away: nothing to report to
            }
        }

        @Override
        public void time(String name, Duration duration, String... tags) {
            line("T", name, duration.toNanos());
        }

        @Override
        public void count(String name, long amount, String... tags) {
            if (COUNTS.contains(name)) {
                line("C", name, amount);
            }
        }

        @Override
        public void gauge(String name, double value, String... tags) {
            if (GAUGES.contains(name)) {
                line("G " + name + " " + value);
            }
        }

        @Override
        public synchronized void close() throws IOException {
            closed = true;
            out.flush();
        }
    }
}
