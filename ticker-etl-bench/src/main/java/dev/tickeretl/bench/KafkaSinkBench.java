package dev.tickeretl.bench;

import dev.tickeretl.MarketTime;
import dev.tickeretl.RunHandle;
import dev.tickeretl.RunRecord;
import dev.tickeretl.TickerEtl;
import dev.tickeretl.Timespan;
import dev.tickeretl.TradingCalendar;
import dev.tickeretl.spi.Observer;
import dev.tickeretl.spi.OffsetReader;
import dev.tickeretl.spi.RawBar;
import dev.tickeretl.spi.Source;
import dev.tickeretl.spi.SourceEvent;
import dev.tickeretl.spi.SourceOffset;
import dev.tickeretl.spi.SourcePartition;
import dev.tickeretl.spi.SourceRequest;
import dev.tickeretl.spi.TickerRange;
import dev.tickeretl.testkit.kafka.KafkaBroker;
import dev.tickeretl.simulator.PolygonSimulator;
import dev.tickeretl.simulator.SimulatedBar;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Kafka sink's two targets, end to end through the pipeline, the file store (on disk, fsync and all) and a real
 * single-node broker in its own JVM (testkit's {@code KafkaBroker}, full JIT), topic with 12 partitions:
 * <ol>
 *   <li><b>day</b>: 500 tickers x 1 year of day bars (2024, plus each ticker's lookback day) in one batch run;
 *   target: every bar on the topic within 3 s of being stored;</li>
 *   <li><b>minute</b>: a 10,000-bar minute burst in a stream (10,000 tickers, one minute each, all at once);
 *   target: p99 from durable to acknowledged by Kafka at most 500 ms.</li>
 * </ol>
 * "Stored" is when the store's write of the bar's partition returned (the pipeline calls the sink right after);
 * "acknowledged" is when the sink's publish returned, i.e. every record of it was acknowledged by the broker
 * (acks=all). Both come from the sink's own metrics ({@code ticker_etl_kafka_send_duration} per publish and
 * {@code ticker_etl_kafka_records_sent}). After each scenario the topic is read back and its records counted.
 *
 * <p>Run with {@code bench/kafka.sh} (arguments: {@code day}, {@code minute}, or both by default; any
 * {@code KEY=VALUE} argument is a sink option, e.g. {@code kafka.compression.type=lz4}).
 */
public final class KafkaSinkBench {

    private static final int PARTITIONS = 12;
    /** Sink options given as KEY=VALUE arguments, e.g. {@code kafka.batch.size=262144}. */
    private static final Map<String, String> SINK_OPTIONS = new LinkedHashMap<>();

    private KafkaSinkBench() {
    }

    public static void main(String[] args) throws Exception {
        List<String> scenarios = new ArrayList<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq > 0) {
                SINK_OPTIONS.put(arg.substring(0, eq), arg.substring(eq + 1));
            } else {
                scenarios.add(arg);
            }
        }
        if (scenarios.isEmpty()) {
            scenarios = List.of("day", "minute");
        }
        Path work = Files.createTempDirectory("ticker-etl-kafka-bench");
        try (KafkaBroker broker = KafkaBroker.start(work.resolve("broker"),
                List.of("-Xmx1g", "-XX:+UseG1GC"))) {
            System.out.println("| scenario | bars stored / published / on the topic | run s (without the sink) "
                    + "| publishes "
                    + "| stored -> acknowledged per bar: p50 / p99 / max ms | last stored -> last acknowledged ms "
                    + "| target |");
            System.out.println("|---|---|---|---|---|---|---|");
            for (String scenario : scenarios) {
                switch (scenario) {
                    case "day" -> {
                        // Twice: first with both JVMs cold (JIT, page cache), then as a running service would be.
                        day(broker, work, "cold");
                        day(broker, work, "warm");
                    }
                    case "minute" -> minute(broker, work);
                    default -> throw new IllegalArgumentException("scenario: expected day or minute, got '"
                            + scenario + "'");
                }
            }
        } finally {
            BenchData.deleteTree(work);
        }
    }

    /** 500 tickers x 2024 in one batch run, into a new store and a new topic. */
    static void day(KafkaBroker broker, Path work, String label) {
        String topic = "bars-day-" + label;
        broker.createTopic(topic, PARTITIONS, Map.of("cleanup.policy", "compact"));
        List<String> tickers = PolygonSimulator.defaultUniverse().subList(0, 500);
        LocalDate from = LocalDate.of(2024, 1, 2);
        LocalDate to = LocalDate.of(2024, 12, 31);
        Map<String, List<RawBar>> raw = dayBars(tickers, TradingCalendar.nyse().previousTradingDay(from), to);
        RunRecord baseline = TickerEtl.builder().tickers(tickers).from(from).to(to)
                .source(new MemorySource(raw)).store(work.resolve("store-baseline-" + label).toUri())
                .shutdownHook(false).build().run();
        Publishes publishes = new Publishes();
        RunRecord run = TickerEtl.builder().tickers(tickers).from(from).to(to)
                .source(new MemorySource(raw)).store(work.resolve("store-" + label).toUri())
                .sink(URI.create("kafka://" + broker.bootstrap() + "/" + topic), SINK_OPTIONS).observer(publishes)
                .shutdownHook(false).build().run();
        require(run.status().name().equals("SUCCEEDED"), "the day run ended " + run.status() + ": " + run.error());
        int onTopic = broker.records(topic).size();
        publishes.report("day: 500 tickers x 2024, " + label, run.totals().written(), run.durationMs(),
                baseline.durationMs(), onTopic,
                "every bar within 3,000 ms of being stored", 3_000, true);
    }

    /** One minute of 10,000 tickers, all at once, in a stream. */
    static void minute(KafkaBroker broker, Path work) throws InterruptedException {
        broker.createTopic("bars-minute", PARTITIONS, Map.of("cleanup.policy", "compact"));
        List<String> tickers = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            tickers.add(String.format(Locale.ROOT, "K%04d", i));
        }
        long minute = LocalDateTime.of(2025, 1, 2, 10, 31).atZone(MarketTime.ZONE).toInstant().toEpochMilli();
        Map<String, List<RawBar>> raw = new LinkedHashMap<>();
        for (int i = 0; i < tickers.size(); i++) {
            double price = 20 + i % 500;
            raw.put(tickers.get(i), List.of(new RawBar(tickers.get(i), Timespan.MINUTE, minute, price, price + 0.5,
                    price - 0.5, price + 0.25, 1_000 + i, price, 12L, false)));
        }
        long baselineMs = stream(tickers, raw, work.resolve("store-minute-baseline"), null, new Publishes())
                .durationMs();
        Publishes publishes = new Publishes();
        RunRecord run = stream(tickers, raw, work.resolve("store-minute"),
                URI.create("kafka://" + broker.bootstrap() + "/bars-minute"), publishes);
        int onTopic = broker.records("bars-minute").size();
        publishes.report("minute: 10,000-bar burst", run.totals().written(), run.durationMs(), baselineMs, onTopic,
                "p99 <= 500 ms", 500, false);
    }

    /** A stream of {@code raw}, stopped once every ticker's bar is stored (and published, with a sink). */
    private static RunRecord stream(List<String> tickers, Map<String, List<RawBar>> raw, Path store, URI sink,
                                    Publishes publishes) throws InterruptedException {
        AtomicLong written = new AtomicLong();
        Observer observer = new Observer() {
            @Override
            public void count(String name, long amount, String... tags) {
                publishes.count(name, amount, tags);
                if (name.equals("ticker_etl_bars_written")) {
                    written.addAndGet(amount);
                }
            }

            @Override
            public void time(String name, Duration duration, String... tags) {
                publishes.time(name, duration, tags);
            }
        };
        TickerEtl.Builder builder = TickerEtl.builder().streaming().tickers(tickers).source(new MemorySource(raw))
                .store(store.toUri()).observer(observer).shutdownHook(false);
        if (sink != null) {
            builder.sink(sink, SINK_OPTIONS);
        }
        RunHandle stream = builder.build().start();
        long giveUp = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while ((sink == null ? written.get() : publishes.bars.get()) < tickers.size()
                && System.nanoTime() - giveUp < 0) {
            Thread.sleep(20);
        }
        stream.stop();
        return stream.result();
    }

    private static Map<String, List<RawBar>> dayBars(List<String> tickers, LocalDate from, LocalDate to) {
        List<LocalDate> days = TradingCalendar.nyse().tradingDays(from, to);
        Map<String, List<RawBar>> byTicker = new LinkedHashMap<>();
        try (PolygonSimulator simulator = PolygonSimulator.builder().start()) {
            for (String ticker : tickers) {
                List<RawBar> bars = new ArrayList<>();
                for (LocalDate day : days) {
                    simulator.dailyBar(ticker, day, true).ifPresent(b -> bars.add(raw(b)));
                }
                byTicker.put(ticker, bars);
            }
        }
        return byTicker;
    }

    private static RawBar raw(SimulatedBar b) {
        return new RawBar(b.ticker(), Timespan.DAY, b.t(), b.open(), b.high(), b.low(), b.close(), b.volume(),
                b.vwap(), b.transactions(), true);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    /**
     * Each publish the sink reports: when it returned (all acknowledged), how long it took (from the bars being
     * durable, since the pipeline calls it right after the store's write) and how many bars it carried.
     */
    static final class Publishes implements Observer {
        private final ThreadLocal<Long> lastCount = new ThreadLocal<>();
        private final List<long[]> samples = new ArrayList<>();
        final AtomicLong bars = new AtomicLong();

        @Override
        public void count(String name, long amount, String... tags) {
            if (name.equals("ticker_etl_kafka_records_sent")) {
                lastCount.set(amount);
            }
        }

        @Override
        public void time(String name, Duration duration, String... tags) {
            if (name.equals("ticker_etl_kafka_send_duration")) {
                long acked = System.nanoTime();
                long n = lastCount.get();
                synchronized (samples) {
                    samples.add(new long[] {acked - duration.toNanos(), acked, n});
                }
                bars.addAndGet(n);
            }
        }

            void report(String scenario, long stored, long runMs, long baselineMs, int onTopic, String target,
                    long limitMs, boolean maxCounts) {
            List<long[]> all;
            synchronized (samples) {
                all = new ArrayList<>(samples);
            }
            long[] perBar = new long[(int) bars.get()];
            int i = 0;
            long lastStored = Long.MIN_VALUE;
            long lastAcked = Long.MIN_VALUE;
            for (long[] s : all) {
                Arrays.fill(perBar, i, i + (int) s[2], s[1] - s[0]);
                i += (int) s[2];
                lastStored = Math.max(lastStored, s[0]);
                lastAcked = Math.max(lastAcked, s[1]);
            }
            Arrays.sort(perBar);
            double p50 = ms(perBar[perBar.length / 2]);
            double p99 = ms(perBar[(int) Math.min(perBar.length - 1L, (long) Math.ceil(perBar.length * 0.99) - 1)]);
            double max = ms(perBar[perBar.length - 1]);
            double measured = maxCounts ? max : p99;
            System.out.printf(Locale.ROOT, "| %s | %,d / %,d / %,d | %.1f (%.1f) | %,d | %.1f / %.1f / %.1f | %.1f "
                            + "| %s: **%s** |%n", scenario, stored, bars.get(), onTopic, runMs / 1000.0,
                    baselineMs / 1000.0, all.size(), p50,
                    p99, max, ms(lastAcked - lastStored), target, measured <= limitMs ? "met" : "missed");
        }

        private static double ms(long nanos) {
            return nanos / 1e6;
        }
    }

    /**
     * A source that answers from memory. Bounded: each requested ticker's bars within its range as one event, then
     * Covered and PartitionDone, then End. Unbounded: every ticker's bars at once, then nothing more until closed.
     */
    static final class MemorySource implements Source {
        private final Map<String, List<RawBar>> barsByTicker;
        private final ArrayDeque<SourceEvent> events = new ArrayDeque<>();
        private boolean unbounded;

        MemorySource(Map<String, List<RawBar>> barsByTicker) {
            this.barsByTicker = barsByTicker;
        }

        @Override
        public void start(SourceRequest request, OffsetReader offsets) {
            unbounded = request.unbounded();
            if (unbounded) {
                for (String ticker : request.tickers()) {
                    List<RawBar> bars = barsByTicker.getOrDefault(ticker, List.of());
                    if (!bars.isEmpty()) {
                        events.add(new SourceEvent.Bars(request.partition(ticker), bars, new SourceOffset(
                                Map.of("last_minute", Long.toString(bars.get(bars.size() - 1).startMs())))));
                    }
                }
                return;
            }
            for (TickerRange range : request.ranges()) {
                SourcePartition partition = request.partition(range.ticker());
                List<RawBar> page = new ArrayList<>();
                for (RawBar b : barsByTicker.getOrDefault(range.ticker(), List.of())) {
                    LocalDate date = MarketTime.tradingDate(b.startMs());
                    if (!date.isBefore(range.from()) && !date.isAfter(range.to())) {
                        page.add(b);
                    }
                }
                events.add(new SourceEvent.Bars(partition, page, new SourceOffset(Map.of("through",
                        range.to().toString()))));
                events.add(new SourceEvent.Covered(partition, range.from(), range.to()));
                events.add(new SourceEvent.PartitionDone(partition));
            }
            events.add(SourceEvent.END);
        }

        @Override
        public SourceEvent poll(Duration timeout) throws InterruptedException {
            SourceEvent next = events.poll();
            if (next == null && unbounded) {
                Thread.sleep(Math.min(timeout.toMillis(), 50));
            }
            return next;
        }

        @Override
        public void close() {
            events.clear();
        }
    }
}
