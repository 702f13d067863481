package dev.tickeretl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.spi.Metrics;
import dev.tickeretl.spi.Observer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoublePredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the pipeline reports through its observer, and the summary of it in the run record. */
class PipelineMetricsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-15T21:00:00Z"), ZoneOffset.UTC);
    private static final LocalDate JAN_2 = LocalDate.of(2025, 1, 2);
    private static final LocalDate JAN_31 = LocalDate.of(2025, 1, 31);

    /** Every observer call, in order, and the last value of each gauge series. */
    static final class Recording implements Observer {
        record Call(Metrics.Kind kind, String name, double amount, List<String> tags) {
            String tag(String key) {
                for (int i = 0; i + 1 < tags.size(); i += 2) {
                    if (tags.get(i).equals(key)) {
                        return tags.get(i + 1);
                    }
                }
                return null;
            }

            List<String> tagKeys() {
                List<String> keys = new ArrayList<>();
                for (int i = 0; i < tags.size(); i += 2) {
                    keys.add(tags.get(i));
                }
                return keys;
            }
        }

        final List<Call> calls = new CopyOnWriteArrayList<>();
        final Map<String, Double> gauges = new ConcurrentHashMap<>();

        @Override
        public void count(String name, long amount, String... tags) {
            calls.add(new Call(Metrics.Kind.COUNTER, name, amount, List.of(tags)));
        }

        @Override
        public void gauge(String name, double value, String... tags) {
            calls.add(new Call(Metrics.Kind.GAUGE, name, value, List.of(tags)));
            gauges.put(name + List.of(tags), value);
        }

        @Override
        public void time(String name, Duration duration, String... tags) {
            calls.add(new Call(Metrics.Kind.TIMER, name, duration.toNanos() / 1e9, List.of(tags)));
        }

        @Override
        public void record(String name, double amount, String... tags) {
            calls.add(new Call(Metrics.Kind.DISTRIBUTION, name, amount, List.of(tags)));
        }

        double sum(String name, String ticker) {
            return calls.stream().filter(c -> c.name().equals(name) && ticker.equals(c.tag(Metrics.TICKER)))
                    .mapToDouble(Call::amount).sum();
        }

        boolean anyGauge(String name, DoublePredicate test) {
            return gauges.entrySet().stream().anyMatch(e -> e.getKey().startsWith(name + "[")
                    && test.test(e.getValue()));
        }
    }

    private final FakeUpstream upstream = new FakeUpstream();
    private final TestStorage storage = TestStorage.create();
    private final Recording observer = new Recording();

    private RunRecord run(String... tickers) {
        return TickerEtl.builder().tickers(tickers).from(JAN_2).to(JAN_31).source(upstream.source())
                .store(TestStorage.PROVIDER, storage.uri(), Map.of()).clock(CLOCK).shutdownHook(false).observer(observer).build().run();
    }

    @Test
    void everyMeasurementIsADefinedMetricReportedWithItsKindAndTagKeys() {
        upstream.series("AAPL", LocalDate.of(2024, 12, 1), JAN_31).series("MSFT", LocalDate.of(2024, 12, 1), JAN_31)
                .invalidRecord("MSFT").failTicker("NVDA", "HTTP 500 on /v2/aggs");

        RunRecord run = run("AAPL", "MSFT", "NVDA");

        assertThat(run.status()).isEqualTo(RunStatus.PARTIAL);
        assertEveryCallIsDefined();
        assertThat(observer.calls).extracting(Recording.Call::name).contains(Metrics.BARS_FETCHED,
                Metrics.BARS_WRITTEN, Metrics.BARS_INVALID, Metrics.LAST_BAR_AGE, Metrics.OFFSET_LAG,
                Metrics.PARTITION_WRITE_DURATION, Metrics.PARTITION_WRITE_BYTES, Metrics.PIPELINE_TO_DURABLE,
                Metrics.TICKERS_FINISHED, Metrics.RUNS, Metrics.RUN_DURATION, Metrics.RUN_FINISHED_TIMESTAMP);
    }

    @Test
    void barCountersPerTickerAddUpToTheTickersOutcomesInTheRunRecord() {
        upstream.series("AAPL", LocalDate.of(2024, 12, 1), JAN_31).series("MSFT", LocalDate.of(2024, 12, 1), JAN_31)
                .invalidRecord("MSFT");
        run("AAPL", "MSFT"); // a second run finds every bar unchanged
        observer.calls.clear();

        RunRecord second = run("AAPL", "MSFT");

        for (String t : List.of("AAPL", "MSFT")) {
            RunRecord.TickerOutcome o = second.tickers().get(t);
            assertThat(observer.sum(Metrics.BARS_FETCHED, t)).as("%s fetched", t).isEqualTo(o.fetched());
            assertThat(observer.sum(Metrics.BARS_WRITTEN, t)).as("%s written", t).isEqualTo(o.written());
            assertThat(observer.sum(Metrics.BARS_UNCHANGED, t)).as("%s unchanged", t).isEqualTo(o.unchanged());
            assertThat(observer.sum(Metrics.BARS_INVALID, t)).as("%s invalid", t).isEqualTo(o.invalid());
        }
        assertThat(second.tickers().get("AAPL").unchanged()).isPositive();
        assertThat(second.tickers().get("MSFT").invalid()).isEqualTo(1);
    }

    @Test
    void freshnessIsTheRunClocksNowMinusTheWindowStartOfTheNewestStoredBar() {
        upstream.series("AAPL", LocalDate.of(2024, 12, 1), LocalDate.of(2025, 1, 30));

        run("AAPL");

        double expected = (CLOCK.millis() - MarketTime.startOfDayMs(LocalDate.of(2025, 1, 30))) / 1000.0;
        assertThat(observer.gauges).containsEntry(Metrics.LAST_BAR_AGE + List.of(Metrics.TICKER, "AAPL"), expected);
    }

    @Test
    void theRunRecordSumsMetricsOverTickersAndKeepsTheWorstFreshness() {
        upstream.series("AAPL", LocalDate.of(2024, 12, 1), JAN_31).series("MSFT", LocalDate.of(2024, 12, 1),
                LocalDate.of(2025, 1, 17));

        RunRecord run = run("AAPL", "MSFT");

        assertThat(run.metrics()).containsEntry("ticker_etl_bars_written_total", (double) run.totals().written())
                .containsEntry("ticker_etl_bars_fetched_total", (double) run.totals().fetched())
                .containsEntry("ticker_etl_runs_total{status=\"SUCCEEDED\"}", 1.0)
                .containsEntry("ticker_etl_offset_lag_seconds", 0.0)
                .containsEntry("ticker_etl_last_bar_age_seconds",
                        (CLOCK.millis() - MarketTime.startOfDayMs(LocalDate.of(2025, 1, 17))) / 1000.0);
        assertThat(run.metrics().keySet()).noneMatch(k -> k.contains("ticker="));
    }

    @Test
    @Timeout(60)
    void offsetLagGrowsWhileWritesFailAndFallsOnceTheyAreCommittedAgainAndAStreamsMetricsAreDefined() throws Exception {
        NeverEndingSource source = new NeverEndingSource(LocalDateTime.of(2025, 1, 2, 9, 30), 2);
        storage.failWritesContaining("segments/"); // a stream of minutes group-commits into segments
        RunHandle handle = TickerEtl.builder().streaming().tickers("AAPL", "MSFT").source(source)
                .store(TestStorage.PROVIDER, storage.uri(), Map.of()).flushInterval(Duration.ofMillis(100)).commitInterval(Duration.ofMillis(50))
                .shutdownHook(false).observer(observer).build().start();
        try {
            // The bars cannot be written, so they and their offsets wait: the lag is their age.
            assertThat(await(() -> observer.anyGauge(Metrics.OFFSET_LAG, lag -> lag > 1.5)))
                    .as("lag above 1.5 s while writes fail").isTrue();
            storage.failWritesContaining(null);
            // The retry (backoff up to a few seconds) writes them; then only the last moments' bars wait.
            observer.gauges.clear();
            assertThat(await(() -> observer.anyGauge(Metrics.OFFSET_LAG, lag -> lag < 0.5)))
                    .as("lag below 0.5 s once the writes succeed").isTrue();
        } finally {
            handle.stop();
            handle.result();
        }
        // A stream's own measurements (segments, compaction) are in the vocabulary too.
        assertEveryCallIsDefined();
        assertThat(observer.calls).extracting(Recording.Call::name).contains(Metrics.SEGMENT_WRITE_DURATION,
                Metrics.COMPACTION_DURATION, Metrics.PIPELINE_TO_DURABLE, Metrics.WRITE_FAILURES);
    }

    private void assertEveryCallIsDefined() {
        assertThat(observer.calls).isNotEmpty();
        for (Recording.Call call : observer.calls) {
            Metrics.Definition d = Metrics.definition(call.name()).orElse(null);
            assertThat(d).as("%s is in dev.tickeretl.spi.Metrics", call.name()).isNotNull();
            assertThat(call.kind()).as("kind of %s", call.name()).isEqualTo(d.kind());
            assertThat(call.tagKeys()).as("tag keys of %s", call.name()).isEqualTo(d.tags());
        }
    }

    private static boolean await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long giveUp = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() - giveUp < 0) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }
}
