package dev.tickeretl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Fan-out sinks hear about every new or changed bar after it is durable, and lose none while they are down. */
class SinkOutboxTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-15T21:00:00Z"), ZoneOffset.UTC);
    private static final LocalDate JAN_2 = LocalDate.of(2025, 1, 2);
    private static final LocalDate JAN_31 = LocalDate.of(2025, 1, 31);

    private final FakeUpstream upstream = new FakeUpstream().series("AAPL", LocalDate.of(2024, 12, 1), JAN_31)
            .series("MSFT", LocalDate.of(2024, 12, 1), JAN_31);
    private final TestStorage storage = TestStorage.create();
    private final FlakySink sink = new FlakySink();

    private RunRecord run(boolean incremental) {
        return TickerEtl.builder().tickers("AAPL", "MSFT").from(JAN_2).to(JAN_31).incremental(incremental)
                .source(upstream.source()).store(TestStorage.PROVIDER, storage.uri(), Map.of()).sink(FlakySink.PROVIDER, sink.uri, Map.of()).clock(CLOCK).shutdownHook(false)
                .build().run();
    }

    private List<Bar> stored(String ticker) {
        try (Store s = Store.open(TestStorage.PROVIDER, storage.uri(), Map.of())) {
            return s.bars(ticker, LocalDate.of(2024, 12, 1), JAN_31);
        }
    }

    @Test
    void everyStoredBarIsPublishedOnceAndAnIdenticalRerunPublishesNothing() {
        RunRecord first = run(false);
        RunRecord second = run(false);

        assertThat(first.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(sink.published("AAPL")).isEqualTo(stored("AAPL"));
        assertThat(sink.published("MSFT")).isEqualTo(stored("MSFT"));
        assertThat(second.sinks().get(sink.uri.toString()).delivered()).isZero();
        assertThat(sink.published()).hasSize(stored("AAPL").size() + stored("MSFT").size());
    }

    @Test
    void aSinkIsOpenedWithTheRunIdAndTheSourceNameItCanStampOnWhatItPublishes() {
        RunRecord record = run(false);

        assertThat(sink.openedWith.runId()).isEqualTo(record.runId());
        assertThat(sink.openedWith.sourceName()).isEqualTo(record.parameters().source()).isNotBlank();
    }

    @Test
    void aSinkThatIsDownGetsEveryBarFromTheOutboxInOrderOnceItIsBack() {
        sink.down();
        RunRecord outage = run(false);

        assertThat(outage.status()).isEqualTo(RunStatus.PARTIAL);
        assertThat(outage.error()).contains("outbox").contains("broker unreachable");
        RunRecord.SinkOutcome during = outage.sinks().get(sink.uri.toString());
        int stored = stored("AAPL").size() + stored("MSFT").size();
        assertThat(during.queued()).isEqualTo(stored);
        assertThat(during.pending()).isEqualTo(stored);
        assertThat(sink.published()).isEmpty();
        assertThat(upstream.committed).as("the bars are durable: offsets commit").containsOnly("AAPL", "MSFT");

        // A correction while the sink is still down waits behind the first version.
        upstream.raw(new dev.tickeretl.spi.RawBar("AAPL", Timespan.DAY, MarketTime.startOfDayMs(JAN_31), 1, 2, 0.5,
                1.5, 42, null, null, true));
        run(false);
        sink.up();
        RunRecord recovered = run(true);

        assertThat(recovered.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(recovered.sinks().get(sink.uri.toString()).pending()).isZero();
        assertThat(upstream.dataRequests()).as("nothing fetched again to deliver it").isEqualTo(4);
        List<Bar> aapl = sink.published("AAPL");
        Bar lastSeen = aapl.stream().filter(b -> b.tradingDate().equals(JAN_31)).reduce((a, b) -> b).orElseThrow();
        assertThat(lastSeen.volume()).as("the last revision published is the stored one").isEqualTo(42);
        assertThat(aapl.stream().filter(b -> b.tradingDate().equals(JAN_31)).count()).isEqualTo(2);
        assertThat(sink.published("MSFT")).isEqualTo(stored("MSFT"));
        assertThat(storage.list("outbox/")).isEmpty();
    }

    @Test
    @Timeout(60)
    void aStreamKeepsStoringDuringAnOutageAndDrainsWhenTheSinkIsBack() throws Exception {
        sink.down();
        NeverEndingSource source = new NeverEndingSource(LocalDateTime.of(2025, 1, 2, 9, 30), 5);
        RunHandle handle = TickerEtl.builder().streaming().tickers("AAPL").source(source).store(TestStorage.PROVIDER, storage.uri(), Map.of())
                .sink(FlakySink.PROVIDER, sink.uri, Map.of()).flushInterval(Duration.ofMillis(100)).shutdownHook(false).build().start();
        while (source.delivered.get() < 100) {
            Thread.sleep(10);
        }
        assertThat(storage.list("outbox/")).isNotEmpty();
        sink.up();
        long giveUp = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!storage.list("outbox/").isEmpty() && System.nanoTime() - giveUp < 0) {
            Thread.sleep(50);
        }
        handle.stop();
        RunRecord record = handle.result();

        assertThat(storage.list("outbox/")).isEmpty();
        List<Bar> published = sink.published("AAPL");
        assertThat(published).extracting(Bar::startMs).doesNotHaveDuplicates()
                .isSortedAccordingTo(Comparator.naturalOrder());
        assertThat(published).hasSize((int) source.delivered.get());
        assertThat(record.status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    @Timeout(60)
    void aStreamsOutboxDepthGaugeGrowsWhileTheSinkIsDownAndFallsToZeroAsItDrainsWhileTheStreamRuns()
            throws Exception {
        List<Double> depth = new CopyOnWriteArrayList<>();
        dev.tickeretl.spi.Observer observer = new dev.tickeretl.spi.Observer() {
            @Override
            public void gauge(String name, double value, String... tags) {
                if (name.equals(dev.tickeretl.spi.Metrics.OUTBOX_PENDING)) {
                    assertThat(tags).containsExactly(dev.tickeretl.spi.Metrics.SINK, sink.uri.toString());
                    depth.add(value);
                }
            }
        };
        sink.down();
        NeverEndingSource source = new NeverEndingSource(LocalDateTime.of(2025, 1, 2, 9, 30), 5);
        RunHandle handle = TickerEtl.builder().streaming().tickers("AAPL").source(source).store(TestStorage.PROVIDER,
                        storage.uri(), Map.of()).sink(FlakySink.PROVIDER, sink.uri, Map.of()).observer(observer)
                .flushInterval(Duration.ofMillis(100)).shutdownHook(false).build().start();
        try {
            // An alert on a growing outbox needs the depth while the stream runs, not only when it ends.
            await(() -> depth.size() >= 3 && last(depth) >= 20);
            assertThat(depth.get(0)).as("reported from the start").isZero();
            assertThat(depth).as("only grows while the sink is down").isSortedAccordingTo(Comparator.naturalOrder());
            sink.up();
            await(() -> last(depth) == 0.0);
            assertThat(storage.list("outbox/")).isEmpty();
        } finally {
            handle.stop();
            handle.result();
        }
    }

    private static double last(List<Double> values) {
        return values.isEmpty() ? -1 : values.get(values.size() - 1);
    }

    /** Waits (bounded: 20 s) until {@code condition} holds. */
    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long giveUp = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - giveUp).as("within 20 s").isNegative();
            Thread.sleep(20);
        }
    }
}
