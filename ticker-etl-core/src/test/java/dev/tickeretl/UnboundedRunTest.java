package dev.tickeretl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The same pipeline with a source that never ends: a live feed of minute bars. */
class UnboundedRunTest {

    private static final LocalDateTime OPEN = LocalDateTime.of(2025, 1, 2, 9, 30);

    private static TickerEtl.Builder stream(NeverEndingSource source, TestStorage storage, String... tickers) {
        return TickerEtl.builder().streaming().tickers(tickers).source(source).store(TestStorage.PROVIDER, storage.uri(), Map.of())
                .flushInterval(Duration.ofMillis(200)).commitInterval(Duration.ofMillis(100)).shutdownHook(false);
    }

    private static List<Bar> minutes(TestStorage storage, String ticker) {
        try (Store s = Store.open(TestStorage.PROVIDER, storage.uri(), Map.of())) {
            return s.bars(ticker, Timespan.MINUTE, OPEN.toLocalDate(), LocalDate.of(2025, 12, 31));
        }
    }

    @Test
    @Timeout(60)
    void barsAreDurableWithinTheFlushIntervalAndEachOffsetOnlyAfterItsBars() throws Exception {
        TestStorage storage = TestStorage.create();
        List<String> violations = new CopyOnWriteArrayList<>();
        NeverEndingSource source = new NeverEndingSource(OPEN, 2) {
            @Override
            public void committed(dev.tickeretl.spi.SourcePartition partition, dev.tickeretl.spi.SourceOffset o) {
                long minute = Long.parseLong(o.get("last_minute"));
                if (minutes(storage, partition.ticker()).stream().noneMatch(b -> b.startMs() == minute)) {
                    violations.add(partition + " committed through " + minute + " before that bar was stored");
                }
                super.committed(partition, o);
            }
        };
        RunHandle handle = stream(source, storage, "AAPL", "MSFT").build().start();

        awaitDelivered(source, 200);
        source.pause();
        long paused = System.nanoTime();
        Map<String, Long> last = Map.of("AAPL", source.lastDelivered("AAPL"), "MSFT", source.lastDelivered("MSFT"));
        long durableAfterMs = -1;
        while (System.nanoTime() - paused < Duration.ofSeconds(10).toNanos()) {
            if (last.entrySet().stream().allMatch(e -> minutes(storage, e.getKey()).stream()
                    .anyMatch(b -> b.startMs() == e.getValue()))) {
                durableAfterMs = Duration.ofNanos(System.nanoTime() - paused).toMillis();
                break;
            }
            Thread.sleep(10);
        }
        // The stream never ended and no partition was "done": only the flush interval wrote these bars.
        assertThat(durableAfterMs).as("ms until the last bars were durable").isBetween(0L, 1_500L);
        Thread.sleep(500);
        assertThat(source.committedMinute).isEqualTo(last);
        source.resume();
        Thread.sleep(300);
        handle.stop();
        RunRecord record = handle.result();

        assertThat(record.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(record.parameters().mode()).isEqualTo(RunRecord.RunParameters.STREAM);
        assertThat(record.parameters().from()).isNull();
        assertThat(violations).isEmpty();
        long stored = minutes(storage, "AAPL").size() + minutes(storage, "MSFT").size();
        assertThat(stored).as("every bar delivered, once").isEqualTo(source.delivered.get());
        assertThat(record.totals().written()).isEqualTo(stored);
        assertThat(minutes(storage, "AAPL")).allMatch(b -> b.phase() == null && b.priorVolume() == null
                && !b.adjusted());
    }

    @Test
    @Timeout(60)
    void aRestartedStreamReadsTheOffsetsCommittedByTheLastOne() throws Exception {
        TestStorage storage = TestStorage.create();
        NeverEndingSource first = new NeverEndingSource(OPEN, 1);
        RunHandle run = stream(first, storage, "AAPL").build().start();
        awaitDelivered(first, 100);
        run.stop();
        RunRecord firstRecord = run.result();
        assertThat(minutes(storage, "AAPL")).as("%s", firstRecord).isNotEmpty();
        long lastStored = minutes(storage, "AAPL").get(minutes(storage, "AAPL").size() - 1).startMs();

        NeverEndingSource second = new NeverEndingSource(OPEN, 1);
        RunHandle again = stream(second, storage, "AAPL").build().start();
        awaitDelivered(second, 50);
        again.stop();
        again.result();

        assertThat(second.startOffsets).hasSize(1);
        assertThat(second.startOffsets.values().iterator().next().get("last_minute"))
                .isEqualTo(Long.toString(lastStored));
        List<Bar> all = minutes(storage, "AAPL");
        assertThat(all).extracting(Bar::startMs).doesNotHaveDuplicates().isSorted();
        assertThat(all).hasSize((int) (first.delivered.get() + second.delivered.get()));
    }

    @Test
    @Timeout(120)
    void aNeverEndingSourceKeepsTheHeapFlat() throws Exception {
        TestStorage storage = TestStorage.create().discardBars();
        String[] tickers = IntStream.range(0, 300).mapToObj(i -> "T" + i).toArray(String[]::new);
        NeverEndingSource source = new NeverEndingSource(OPEN, 0);
        // The buffer's bound (not the default 200,000 bars, ~60 MB) keeps what the loop may legitimately hold at any
        // instant well below the growth this test calls a leak.
        RunHandle handle = stream(source, storage, tickers).maxBufferedBars(20_000).build().start();

        awaitDelivered(source, 20_000);
        Thread.sleep(2_000); // buffers, writer queues and caches have reached their working size
        long early = usedHeapAfterGc();
        long deliveredEarly = source.delivered.get();
        Thread.sleep(6_000);
        long late = usedHeapAfterGc();
        long deliveredLate = source.delivered.get();
        handle.stop();
        RunRecord record = handle.result();

        assertThat(deliveredLate - deliveredEarly).as("bars in the measured window").isGreaterThan(100_000);
        assertThat(late - early).as("heap growth while %d more bars went through", deliveredLate - deliveredEarly)
                .isLessThan(48L << 20);
        assertThat(storage.barLinesWritten.get()).isEqualTo(source.delivered.get());
        assertThat(record.status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    @Timeout(60)
    void revisionsReplaceTheStoredMinuteDuplicatesAreNotWrittenAndAStopLeavesEverythingInPartitions()
            throws Exception {
        TestStorage storage = TestStorage.create();
        long nine30 = OPEN.atZone(MarketTime.ZONE).toInstant().toEpochMilli();
        java.util.concurrent.BlockingQueue<dev.tickeretl.spi.SourceEvent> feed =
                new java.util.concurrent.LinkedBlockingQueue<>();
        dev.tickeretl.spi.SourcePartition aapl = new dev.tickeretl.spi.SourcePartition("AAPL", Timespan.MINUTE,
                false);
        for (int i = 0; i < 5; i++) {
            feed.add(bars(aapl, minute(nine30 + i * 60_000L, 100 + i)));
        }
        feed.add(bars(aapl, minute(nine30 + 60_000L, 500))); // a revision of 9:31
        feed.add(bars(aapl, minute(nine30 + 120_000L, 102))); // a duplicate of 9:32
        dev.tickeretl.spi.Source source = new dev.tickeretl.spi.Source() {
            @Override
            public void start(dev.tickeretl.spi.SourceRequest request, dev.tickeretl.spi.OffsetReader offsets) {
            }

            @Override
            public dev.tickeretl.spi.SourceEvent poll(Duration timeout) throws InterruptedException {
                return feed.poll(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            }

            @Override
            public void close() {
            }
        };
        RunHandle handle = TickerEtl.builder().streaming().tickers("AAPL").source(source).store(TestStorage.PROVIDER, storage.uri(), Map.of())
                .flushInterval(Duration.ofMillis(50)).shutdownHook(false).build().start();
        long giveUp = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!feed.isEmpty() && System.nanoTime() - giveUp < 0) {
            Thread.sleep(20);
        }
        Thread.sleep(300);
        handle.stop();
        RunRecord record = handle.result();

        List<Bar> stored = minutes(storage, "AAPL");
        assertThat(stored).extracting(Bar::volume).containsExactly(100.0, 500.0, 102.0, 103.0, 104.0);
        assertThat(record.tickers().get("AAPL").written()).isEqualTo(5);
        assertThat(record.tickers().get("AAPL").updated()).isEqualTo(1);
        assertThat(record.tickers().get("AAPL").unchanged()).isEqualTo(1);
        assertThat(storage.list("state/segments/")).as("compacted when the stream stopped").isEmpty();
        assertThat(storage.list("bars-unadjusted/timespan=minute/ticker=AAPL/")).hasSize(1);
    }

    @Test
    @Timeout(60)
    void aStreamWritesWhatArrivedAsSoonAsItsLastSegmentIsDurableNotAfterTheFlushInterval() throws Exception {
        TestStorage storage = TestStorage.create();
        FeedSource source = new FeedSource();
        long nine30 = OPEN.atZone(MarketTime.ZONE).toInstant().toEpochMilli();
        RunHandle handle = TickerEtl.builder().streaming().tickers("AAPL").source(source).store(TestStorage.PROVIDER, storage.uri(), Map.of())
                .flushInterval(Duration.ofSeconds(40)).shutdownHook(false).build().start();

        for (int i = 0; i < 3; i++) {
            source.feed.add(bars(FeedSource.AAPL, minute(nine30 + i * 60_000L, 100 + i)));
            // The flush interval is 40 s: only a group commit that does not wait for it is this quick.
            assertThat(source.awaitWritten(i + 1, Duration.ofSeconds(15))).as("minute %d durable", i).isTrue();
        }
        assertThat(minutes(storage, "AAPL")).hasSize(3);
        handle.stop();
        assertThat(handle.result().status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    @Timeout(90)
    void aCommitStuckOnTheOffsetsFileHoldsUpNeitherReadingNorWritingBars() throws Exception {
        TestStorage storage = TestStorage.create();
        FeedSource source = new FeedSource();
        long nine30 = OPEN.atZone(MarketTime.ZONE).toInstant().toEpochMilli();
        java.util.concurrent.CountDownLatch release = storage.holdWritesStartingWith("state/offsets/");
        RunHandle handle = TickerEtl.builder().streaming().tickers("AAPL").source(source).store(TestStorage.PROVIDER, storage.uri(), Map.of())
                .flushInterval(Duration.ofMillis(50)).commitInterval(Duration.ofMillis(50)).shutdownHook(false)
                .build().start();
        try {
            for (int i = 0; i < 5; i++) {
                source.feed.add(bars(FeedSource.AAPL, minute(nine30 + i * 60_000L, 100 + i)));
                assertThat(source.awaitWritten(i + 1, Duration.ofSeconds(15))).as("minute %d durable", i).isTrue();
                Thread.sleep(100); // a commit is due meanwhile, and stuck
            }
            assertThat(source.committed).as("nothing is committed while the offsets file is stuck").isEmpty();
        } finally {
            release.countDown();
        }
        String last = Long.toString(nine30 + 4 * 60_000L);
        long giveUp = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!last.equals(source.committed.get("AAPL")) && System.nanoTime() - giveUp < 0) {
            Thread.sleep(10);
        }
        assertThat(source.committed).containsEntry("AAPL", last);
        handle.stop();
        assertThat(handle.result().status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    @Timeout(60)
    void aStreamCompactsOnceItsSegmentsHoldARoundOfBarsWithoutWaitingForTheInterval() throws Exception {
        TestStorage storage = TestStorage.create();
        FeedSource source = new FeedSource();
        long nine30 = OPEN.atZone(MarketTime.ZONE).toInstant().toEpochMilli();
        // A round is min(100,000, maxBufferedBars) bars: 3 here. The interval alone would wait an hour.
        RunHandle handle = TickerEtl.builder().streaming().tickers("AAPL").source(source)
                .store(TestStorage.PROVIDER, storage.uri(), Map.of()).flushInterval(Duration.ofMillis(50))
                .maxBufferedBars(3).compactInterval(Duration.ofHours(1)).shutdownHook(false).build().start();
        try {
            for (int i = 0; i < 4; i++) {
                source.feed.add(bars(FeedSource.AAPL, minute(nine30 + i * 60_000L, 100 + i)));
                assertThat(source.awaitWritten(i + 1, Duration.ofSeconds(15))).as("minute %d durable", i).isTrue();
            }
            String partitions = "bars-unadjusted/timespan=minute/ticker=AAPL/";
            long giveUp = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (storage.list(partitions).isEmpty() && System.nanoTime() - giveUp < 0) {
                Thread.sleep(20);
            }
            assertThat(storage.list(partitions)).as("a partition written while the stream runs").hasSize(1);
            assertThat(storage.list("state/segments/").size()).as("segments left").isLessThan(4);
        } finally {
            handle.stop();
        }
        assertThat(handle.result().status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(minutes(storage, "AAPL")).extracting(Bar::volume).containsExactly(100.0, 101.0, 102.0, 103.0);
    }

    /** Bars a test puts on {@link #feed}, one event at a time; records what the pipeline reports back. */
    private static final class FeedSource implements dev.tickeretl.spi.Source {
        static final dev.tickeretl.spi.SourcePartition AAPL = new dev.tickeretl.spi.SourcePartition("AAPL",
                Timespan.MINUTE, false);
        final java.util.concurrent.BlockingQueue<dev.tickeretl.spi.SourceEvent> feed =
                new java.util.concurrent.LinkedBlockingQueue<>();
        final java.util.concurrent.atomic.AtomicInteger written = new java.util.concurrent.atomic.AtomicInteger();
        final Map<String, String> committed = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void start(dev.tickeretl.spi.SourceRequest request, dev.tickeretl.spi.OffsetReader offsets) {
        }

        @Override
        public dev.tickeretl.spi.SourceEvent poll(Duration timeout) throws InterruptedException {
            return feed.poll(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        }

        @Override
        public void written(dev.tickeretl.spi.SourcePartition partition, dev.tickeretl.spi.SourceOffset offset) {
            written.incrementAndGet();
        }

        @Override
        public void committed(dev.tickeretl.spi.SourcePartition partition, dev.tickeretl.spi.SourceOffset offset) {
            committed.put(partition.ticker(), offset.get("last_minute"));
        }

        boolean awaitWritten(int count, Duration timeout) throws InterruptedException {
            long giveUp = System.nanoTime() + timeout.toNanos();
            while (written.get() < count) {
                if (System.nanoTime() - giveUp >= 0) {
                    return false;
                }
                Thread.sleep(5);
            }
            return true;
        }

        @Override
        public void close() {
        }
    }

    private static dev.tickeretl.spi.SourceEvent bars(dev.tickeretl.spi.SourcePartition p,
                                                      dev.tickeretl.spi.RawBar bar) {
        return new dev.tickeretl.spi.SourceEvent.Bars(p, List.of(bar), new dev.tickeretl.spi.SourceOffset(
                Map.of("last_minute", Long.toString(bar.startMs()))));
    }

    private static dev.tickeretl.spi.RawBar minute(long start, double volume) {
        return new dev.tickeretl.spi.RawBar("AAPL", Timespan.MINUTE, start, 10, 11, 9, 10.5, volume, 10.2, 5L,
                false);
    }

    private static void awaitDelivered(NeverEndingSource source, long bars) throws InterruptedException {
        long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (source.delivered.get() < bars && System.nanoTime() - giveUp < 0) {
            Thread.sleep(10);
        }
        assertThat(source.delivered.get()).as("bars delivered").isGreaterThanOrEqualTo(bars);
    }

    /**
     * The heap in use right after a full collection, as the collector reports it: reading the heap a moment later
     * would also count what the running pipeline allocated meanwhile, which grows with its speed, not its leaks.
     */
    private static long usedHeapAfterGc() throws InterruptedException {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            long used = 0;
            for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getCollectionUsage() != null) {
                    used += pool.getCollectionUsage().getUsed();
                }
            }
            best = Math.min(best, used);
            Thread.sleep(100);
        }
        return best;
    }
}
