package dev.tickeretl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.Bar;
import dev.tickeretl.MarketTime;
import dev.tickeretl.Timespan;
import dev.tickeretl.TradingCalendar;
import dev.tickeretl.spi.Storage;
import java.net.URI;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Reading minute bars while a stream's segments are compacted into partitions, possibly by another process. */
class DataStoreSegmentsTest {

    private static final LocalDate DAY = LocalDate.of(2025, 3, 4);

    @Test
    void aReadOvertakenByACompactionStillSeesEveryBar() {
        MemoryStorage memory = MemoryStorage.create();
        DataStore writer = new DataStore(memory, TradingCalendar.nyse());
        writer.appendSegment(Timespan.MINUTE, false, List.of(minute("AAPL", 9, 30), minute("MSFT", 9, 30)), "r1");

        // The reader's first read of the partition returns what was there (nothing); right after, a compaction
        // (another process) folds the segment into the partition and deletes the segment.
        AtomicInteger partitionReads = new AtomicInteger();
        Storage racing = new Forwarding(memory) {
            @Override
            public Optional<byte[]> read(String path) {
                Optional<byte[]> answer = super.read(path);
                if (path.contains("/date=") && partitionReads.incrementAndGet() == 1) {
                    writer.compact(Timespan.MINUTE, false);
                }
                return answer;
            }
        };
        DataStore reader = new DataStore(racing, TradingCalendar.nyse());

        assertThat(reader.read("AAPL", Timespan.MINUTE, false, DAY, DAY)).extracting(Bar::ticker)
                .containsExactly("AAPL");
        assertThat(memory.list(StoreLayout.segmentsDirectory(Timespan.MINUTE, false))).isEmpty();
    }

    @Test
    void segmentsAreDecodedOnceAndForgottenWhenCompacted() {
        MemoryStorage memory = MemoryStorage.create();
        DataStore writer = new DataStore(memory, TradingCalendar.nyse());
        List<Bar> burst = new ArrayList<>();
        for (int t = 0; t < 500; t++) {
            burst.add(minute("T" + t, 9, 30));
        }
        writer.appendSegment(Timespan.MINUTE, false, burst, "r1");
        writer.appendSegment(Timespan.MINUTE, false, List.of(minute("T7", 9, 31)), "r1");

        AtomicInteger segmentReads = new AtomicInteger();
        DataStore reader = new DataStore(new Forwarding(memory) {
            @Override
            public Optional<byte[]> read(String path) {
                if (path.startsWith("state/segments/")) {
                    segmentReads.incrementAndGet();
                }
                return super.read(path);
            }
        }, TradingCalendar.nyse());

        for (int poll = 0; poll < 10; poll++) {
            assertThat(reader.read("T7", Timespan.MINUTE, false, DAY, DAY)).hasSize(2);
            assertThat(reader.read("T8", Timespan.MINUTE, false, DAY, DAY)).hasSize(1);
        }
        assertThat(segmentReads).as("each segment read once, not once per poll and ticker").hasValue(2);

        writer.compact(Timespan.MINUTE, false);
        assertThat(reader.read("T7", Timespan.MINUTE, false, DAY, DAY)).hasSize(2);
        assertThat(reader.read("T8", Timespan.MINUTE, false, DAY, DAY)).hasSize(1);
        assertThat(reader.segmentCacheBars()).as("compacted segments are dropped from the cache").isZero();
    }

    @Test
    void compactionFoldsOneRoundOfSegmentsAtATimeOldestFirstSoALaterRevisionWinsAndNothingIsCached() {
        MemoryStorage memory = MemoryStorage.create();
        DataStore writer = new DataStore(memory, TradingCalendar.nyse());
        writer.appendSegment(Timespan.MINUTE, false, List.of(minute("AAPL", 9, 30), minute("MSFT", 9, 30)), "r1");
        writer.appendSegment(Timespan.MINUTE, false, List.of(minute("AAPL", 9, 31), minute("MSFT", 9, 31)), "r1");
        writer.appendSegment(Timespan.MINUTE, false, List.of(minute("AAPL", 9, 30, 12.5), minute("MSFT", 9, 32)),
                "r1");
        List<String> segments = memory.list(StoreLayout.segmentsDirectory(Timespan.MINUTE, false));

        List<String> steps = new ArrayList<>();
        DataStore[] compactor = new DataStore[1];
        compactor[0] = new DataStore(new Forwarding(memory) {
            @Override
            public Optional<byte[]> read(String path) {
                if (segments.contains(path)) {
                    steps.add("read " + segments.indexOf(path));
                }
                return super.read(path);
            }

            @Override
            public boolean update(String path, UnaryOperator<byte[]> change) {
                steps.add("write " + path.replaceAll(".*ticker=([A-Z]+)/.*", "$1") + " cached "
                        + compactor[0].segmentCacheBars());
                return super.update(path, change);
            }

            @Override
            public void delete(String path) {
                steps.add("delete " + segments.indexOf(path));
                super.delete(path);
            }
        }, TradingCalendar.nyse());

        compactor[0].compact(Timespan.MINUTE, false, 3); // a round: segments until they hold 3 bars or more

        assertThat(steps).containsExactly(
                "read 0", "read 1", "write AAPL cached 0", "write MSFT cached 0", "delete 0", "delete 1",
                "read 2", "write AAPL cached 0", "write MSFT cached 0", "delete 2");
        assertThat(writer.read("AAPL", Timespan.MINUTE, false, DAY, DAY)).extracting(Bar::close)
                .containsExactly(12.5, 10.5);
        assertThat(writer.read("MSFT", Timespan.MINUTE, false, DAY, DAY)).hasSize(3);
        assertThat(memory.list(StoreLayout.segmentsDirectory(Timespan.MINUTE, false))).isEmpty();
    }

    private static Bar minute(String ticker, int hour, int minute) {
        return minute(ticker, hour, minute, 10.5);
    }

    private static Bar minute(String ticker, int hour, int minute, double close) {
        ZonedDateTime start = LocalDateTime.of(DAY, java.time.LocalTime.of(hour, minute)).atZone(MarketTime.ZONE);
        long startMs = start.toInstant().toEpochMilli();
        return new Bar(ticker, Timespan.MINUTE, DAY, startMs, start.toOffsetDateTime(), start.toInstant(), 10, 13, 9,
                close, 1_000, null, null, false, null, null, Bar.SCHEMA_VERSION);
    }

    /** Passes everything to another storage; tests override what they watch or delay. */
    private static class Forwarding implements Storage {
        private final Storage delegate;

        Forwarding(Storage delegate) {
            this.delegate = delegate;
        }

        @Override
        public URI uri() {
            return delegate.uri();
        }

        @Override
        public Optional<byte[]> read(String path) {
            return delegate.read(path);
        }

        @Override
        public List<String> list(String prefix) {
            return delegate.list(prefix);
        }

        @Override
        public void put(String path, byte[] bytes) {
            delegate.put(path, bytes);
        }

        @Override
        public boolean update(String path, UnaryOperator<byte[]> change) {
            return delegate.update(path, change);
        }

        @Override
        public void delete(String path) {
            delegate.delete(path);
        }

        @Override
        public void close() {
        }
    }
}
