package dev.tickeretl.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.Bar;
import dev.tickeretl.RunRecord;
import dev.tickeretl.RunStatus;
import dev.tickeretl.Timespan;
import dev.tickeretl.spi.BarStore;
import dev.tickeretl.spi.PartitionMerge;
import dev.tickeretl.spi.RequestStats;
import dev.tickeretl.spi.StoreLayout;
import dev.tickeretl.spi.WriteResult;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract every {@link BarStore} keeps, as tests: idempotent keyed writes with exact counts, time-ordered
 * reads, no lost update under concurrent writers, large partitions, crash debris that no reader sees, and run
 * records newest first. A store's test extends this class and says how to make its storage:
 *
 * <pre>
 * class FileStoreContractTest extends StoreContract {
 *     &#64;TempDir Path tmp;
 *     Path root;
 *     protected BarStore newStore() { root = tmp.resolve(UUID.randomUUID().toString()); return open(root); }
 *     protected BarStore openAgain() { return open(root); }
 *     protected void leaveCrashDebris(String partition, byte[] partial) { ... }
 * }
 * </pre>
 *
 * Each test starts with {@link #store()}, made by {@link #newStore()}; stores the kit obtains are closed after
 * each test.
 */
public abstract class StoreContract {

    private static final String TICKER = "AAPL";
    private static final String OTHER = "MSFT";

    private final List<BarStore> opened = new ArrayList<>();
    private BarStore store;

    /**
     * Creates new, empty storage (a fresh directory, bucket or prefix) and opens a store on it. Called once before
     * every test, and again by tests that compare with a clean store.
     */
    protected abstract BarStore newStore();

    /**
     * Opens another store instance on the storage of the most recent {@link #newStore()}, the way a second writer
     * (another thread, process or host) would: it must share no in-memory state with the first instance that a
     * separate process would not share.
     */
    protected abstract BarStore openAgain();

    /**
     * Leaves, in the storage of the most recent {@link #newStore()}, what this store's writer leaves behind when it
     * dies after writing part of the new content of {@code partition} (a {@link StoreLayout} path) and before
     * publishing it, e.g. a truncated temp file next to the partition file, or an incomplete upload.
     * {@code partialContent} is the beginning of what the writer was writing.
     */
    protected abstract void leaveCrashDebris(String partition, byte[] partialContent);

    @BeforeEach
    final void openFreshStore() {
        store = fresh();
    }

    @AfterEach
    final void closeStores() {
        for (BarStore s : opened) {
            s.close();
        }
        opened.clear();
    }

    /** The store of the current test, on fresh storage. */
    protected final BarStore store() {
        return store;
    }

    /** A store on new, empty storage, closed after the test. */
    protected final BarStore fresh() {
        return track(newStore());
    }

    /** Another instance on the most recent storage, closed after the test. */
    protected final BarStore another() {
        return track(openAgain());
    }

    private BarStore track(BarStore s) {
        assertThat(s).as("store opened by the test").isNotNull();
        opened.add(s);
        return s;
    }

    // ---------------------------------------------------------------- empty store

    @Test
    void emptyStoreReadsNoBarsAndNoRuns() {
        assertThat(store().read(TICKER, Timespan.DAY, LocalDate.of(2000, 1, 1), LocalDate.of(2030, 12, 31)))
                .isEmpty();
        assertThat(store().read(TICKER, Timespan.MINUTE, LocalDate.of(2024, 3, 11), LocalDate.of(2024, 3, 12)))
                .isEmpty();
        assertThat(store().runs()).isEmpty();
    }

    @Test
    void writingNoBarsChangesNothing() {
        assertThat(store().write(List.of())).isEqualTo(WriteResult.EMPTY);
        assertThat(store().read(TICKER, Timespan.DAY, LocalDate.of(2000, 1, 1), LocalDate.of(2030, 12, 31)))
                .isEmpty();
    }

    // ---------------------------------------------------------------- idempotency and counting

    @Test
    void rewritingIdenticalBarsWritesNoFileAndCountsEveryBarUnchanged() {
        List<Bar> bars = new ArrayList<>(TestBars.weekdays(TICKER, LocalDate.of(2023, 11, 1),
                LocalDate.of(2024, 2, 29)));
        bars.addAll(TestBars.weekdays(OTHER, LocalDate.of(2023, 12, 1), LocalDate.of(2024, 1, 31)));

        WriteResult first = store().write(bars);
        assertThat(first.inserted()).isEqualTo(bars.size());
        assertThat(first.updated()).isZero();
        assertThat(first.unchanged()).isZero();
        assertThat(first.filesWritten()).as("one file per ticker and year").isEqualTo(partitionsOf(bars));
        assertThat(first.bytesWritten()).isPositive();

        WriteResult second = store().write(bars);
        assertThat(second).isEqualTo(new WriteResult(0, 0, bars.size(), 0, 0));

        assertThat(readAll(store(), TICKER)).isEqualTo(sortedOf(bars, TICKER));
        assertThat(readAll(store(), OTHER)).isEqualTo(sortedOf(bars, OTHER));
    }

    @Test
    void oneChangedBarCountsExactlyOneUpdateAndReplacesTheStoredValue() {
        List<Bar> bars = TestBars.weekdays(TICKER, LocalDate.of(2023, 12, 1), LocalDate.of(2024, 1, 31));
        store().write(bars);

        Bar old = bars.get(bars.size() / 2);
        Bar changed = TestBars.withClose(old, old.close() + 0.01);
        List<Bar> upstream = new ArrayList<>(bars);
        upstream.set(bars.size() / 2, changed);

        WriteResult result = store().write(upstream);

        assertThat(result.inserted()).isZero();
        assertThat(result.updated()).isEqualTo(1);
        assertThat(result.unchanged()).isEqualTo(bars.size() - 1);
        assertThat(result.filesWritten()).as("only the changed bar's partition is rewritten").isEqualTo(1);
        List<Bar> stored = readAll(store(), TICKER);
        assertThat(stored).hasSize(bars.size()).contains(changed).doesNotContain(old);
        assertThat(stored).isEqualTo(sortedOf(upstream, TICKER));
    }

    @Test
    void newBarsNextToStoredOnesCountAsInserted() {
        List<Bar> january = TestBars.weekdays(TICKER, LocalDate.of(2024, 1, 1), LocalDate.of(2024, 1, 31));
        List<Bar> february = TestBars.weekdays(TICKER, LocalDate.of(2024, 2, 1), LocalDate.of(2024, 2, 29));
        store().write(january);

        List<Bar> both = new ArrayList<>(january);
        both.addAll(february);
        WriteResult result = store().write(both);

        assertThat(result).isEqualTo(new WriteResult(february.size(), 0, january.size(), 1,
                result.bytesWritten()));
        assertThat(result.bytesWritten()).isPositive();
        assertThat(readAll(store(), TICKER)).isEqualTo(both);
    }

    @Test
    void aKeyWrittenTwiceInOneCallIsStoredOnceWithTheLastValue() {
        Bar first = TestBars.day(TICKER, LocalDate.of(2024, 3, 11), 10, 12, 9, 11, 1000);
        Bar last = TestBars.withVolume(first, 2000);

        WriteResult result = store().write(List.of(first, last));

        assertThat(result.inserted()).isEqualTo(1);
        assertThat(store().read(TICKER, Timespan.DAY, first.tradingDate(), first.tradingDate()))
                .containsExactly(last);
    }

    @Test
    void aKeyWrittenAgainInLaterCallsIsStoredOnce() {
        Bar bar = TestBars.day(TICKER, LocalDate.of(2024, 3, 11), 10, 12, 9, 11, 1000);
        Bar changed = TestBars.withClose(bar, 11.5);

        store().write(List.of(bar));
        store().write(List.of(changed));
        store().write(List.of(bar));
        another().write(List.of(changed, bar));

        List<Bar> stored = readAll(store(), TICKER);
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).key()).isEqualTo(bar.key());
        assertThat(stored.get(0)).isEqualTo(bar);
    }

    // ---------------------------------------------------------------- reading

    @Test
    void readReturnsTimeOrderWhateverTheWriteOrder() {
        List<Bar> bars = TestBars.weekdays(TICKER, LocalDate.of(2022, 11, 1), LocalDate.of(2024, 2, 29));
        List<Bar> shuffled = new ArrayList<>(bars);
        Collections.shuffle(shuffled, new Random(42));
        // Two calls, so time order cannot come from the write order of one call either.
        store().write(shuffled.subList(0, shuffled.size() / 2));
        store().write(shuffled.subList(shuffled.size() / 2, shuffled.size()));

        List<Bar> stored = readAll(store(), TICKER);

        assertThat(stored).isEqualTo(bars);
        assertThat(stored).isSortedAccordingTo(Comparator.comparingLong(Bar::startMs));
    }

    @Test
    void readIncludesBothEndsOfTheDateRangeAndNothingOutside() {
        store().write(TestBars.weekdays(TICKER, LocalDate.of(2023, 12, 1), LocalDate.of(2024, 1, 31)));
        LocalDate from = LocalDate.of(2023, 12, 29); // a Friday
        LocalDate to = LocalDate.of(2024, 1, 3);

        List<Bar> stored = store().read(TICKER, Timespan.DAY, from, to);

        assertThat(stored).extracting(Bar::tradingDate).containsExactly(LocalDate.of(2023, 12, 29),
                LocalDate.of(2024, 1, 1), LocalDate.of(2024, 1, 2), LocalDate.of(2024, 1, 3));
        assertThat(store().read(TICKER, Timespan.DAY, from, from)).extracting(Bar::tradingDate)
                .containsExactly(from);
        assertThat(store().read(TICKER, Timespan.DAY, LocalDate.of(2023, 12, 30), LocalDate.of(2023, 12, 31)))
                .as("a weekend holds no bars").isEmpty();
        assertThat(store().read(TICKER, Timespan.DAY, LocalDate.of(2025, 1, 1), LocalDate.of(2025, 12, 31)))
                .isEmpty();
    }

    @Test
    void minuteAndDayBarsOfATickerDoNotMix() {
        LocalDate date = LocalDate.of(2024, 3, 11);
        List<Bar> days = TestBars.weekdays(TICKER, date.minusDays(7), date);
        List<Bar> minutes = minutesOf(TICKER, date, LocalTime.of(9, 30), 30);
        List<Bar> both = new ArrayList<>(minutes);
        both.addAll(days);

        WriteResult result = store().write(both);

        assertThat(result.inserted()).isEqualTo(both.size());
        assertThat(store().read(TICKER, Timespan.DAY, date.minusDays(7), date)).isEqualTo(days);
        assertThat(store().read(TICKER, Timespan.MINUTE, date.minusDays(7), date)).isEqualTo(minutes);
    }

    @Test
    void tickersDoNotMix() {
        List<Bar> aapl = TestBars.weekdays(TICKER, LocalDate.of(2024, 1, 1), LocalDate.of(2024, 1, 31));
        List<Bar> msft = TestBars.weekdays(OTHER, LocalDate.of(2024, 1, 1), LocalDate.of(2024, 1, 31));
        List<Bar> both = new ArrayList<>(aapl);
        both.addAll(msft);

        assertThat(store().write(both).inserted()).as("same start, other ticker: another key")
                .isEqualTo(both.size());
        assertThat(readAll(store(), TICKER)).isEqualTo(aapl);
        assertThat(readAll(store(), OTHER)).isEqualTo(msft);
        assertThat(readAll(store(), "NVDA")).isEmpty();
    }

    @Test
    void anotherInstanceOnTheSameStorageSeesTheWrites() {
        List<Bar> bars = TestBars.weekdays(TICKER, LocalDate.of(2024, 1, 1), LocalDate.of(2024, 1, 31));
        store().write(bars);

        BarStore second = another();

        assertThat(readAll(second, TICKER)).isEqualTo(bars);
        assertThat(second.write(bars)).isEqualTo(new WriteResult(0, 0, bars.size(), 0, 0));
    }

    // ---------------------------------------------------------------- concurrency

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void concurrentWritersToOnePartitionLoseNoUpdate() throws Exception {
        int writers = 4;
        int rounds = 25;
        int sharedDays = 5;
        LocalDate first = LocalDate.of(2024, 1, 1);
        List<BarStore> stores = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            stores.add(another());
        }
        // Every round, each writer adds one key of its own and rewrites the shared keys with values that say who
        // wrote them in which round; the barrier makes all writers hit the partition at the same moment.
        CyclicBarrier startOfRound = new CyclicBarrier(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<List<WriteResult>>> futures = new ArrayList<>();
        try {
            for (int w = 0; w < writers; w++) {
                int writer = w;
                futures.add(pool.submit(() -> {
                    List<WriteResult> results = new ArrayList<>();
                    for (int r = 0; r < rounds; r++) {
                        List<Bar> batch = new ArrayList<>();
                        batch.add(TestBars.day(TICKER, first.plusDays(sharedDays + (long) r * writers + writer)));
                        for (int s = 0; s < sharedDays; s++) {
                            batch.add(TestBars.withVolume(TestBars.day(TICKER, first.plusDays(s)),
                                    sharedVolume(writer, r)));
                        }
                        Collections.shuffle(batch, new Random(writer * 1000L + r));
                        startOfRound.await(60, TimeUnit.SECONDS);
                        results.add(stores.get(writer).write(batch));
                    }
                    return results;
                }));
            }
            List<WriteResult> results = new ArrayList<>();
            for (Future<List<WriteResult>> f : futures) {
                results.addAll(f.get(100, TimeUnit.SECONDS));
            }

            int ownKeys = writers * rounds;
            WriteResult total = results.stream().reduce(WriteResult.EMPTY, WriteResult::plus);
            assertThat(total.inserted()).as("every key is inserted exactly once, by one writer")
                    .isEqualTo(ownKeys + sharedDays);
            assertThat(total.inserted() + total.updated() + total.unchanged())
                    .isEqualTo((long) writers * rounds * (1 + sharedDays));

            List<Bar> stored = store().read(TICKER, Timespan.DAY, first, first.plusDays(365));
            assertThat(stored).hasSize(ownKeys + sharedDays);
            assertThat(stored.stream().map(Bar::key).distinct().count()).isEqualTo(ownKeys + sharedDays);
            for (int i = 0; i < ownKeys; i++) {
                assertThat(stored).contains(TestBars.day(TICKER, first.plusDays(sharedDays + i)));
            }
            Set<Double> sharedVolumes = stored.subList(0, sharedDays).stream().map(Bar::volume)
                    .collect(Collectors.toSet());
            assertThat(sharedVolumes).as("the shared keys hold one writer's last write, whole").hasSize(1);
            List<Double> lastRound = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                lastRound.add(sharedVolume(w, rounds - 1));
            }
            assertThat(lastRound).contains(sharedVolumes.iterator().next());
        } finally {
            pool.shutdownNow();
        }
    }

    private static double sharedVolume(int writer, int round) {
        return 1_000_000.0 * (writer + 1) + round;
    }

    // ---------------------------------------------------------------- size

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void twentyYearsOfDailyBarsForTwoTickersRoundTripInOneWrite() {
        LocalDate from = LocalDate.of(2005, 1, 1);
        LocalDate to = LocalDate.of(2024, 12, 31);
        List<Bar> aapl = TestBars.weekdays(TICKER, from, to);
        List<Bar> msft = TestBars.weekdays(OTHER, from, to);
        List<Bar> all = new ArrayList<>(aapl);
        all.addAll(msft);
        Collections.shuffle(all, new Random(7));
        assertThat(all).hasSizeGreaterThan(10_000);

        WriteResult result = store().write(all);

        assertThat(result.inserted()).isEqualTo(all.size());
        assertThat(result.filesWritten()).as("2 tickers x 20 years").isEqualTo(40);
        assertThat(store().read(TICKER, Timespan.DAY, from, to)).isEqualTo(aapl);
        assertThat(another().read(OTHER, Timespan.DAY, from, to)).isEqualTo(msft);
        assertThat(store().write(all)).isEqualTo(new WriteResult(0, 0, all.size(), 0, 0));
    }

    @Test
    void aFullDayOfMinuteBarsIsOnePartitionThatRoundTripsAndTakesOneUpdate() {
        LocalDate date = LocalDate.of(2024, 3, 11);
        List<Bar> minutes = minutesOf(TICKER, date, LocalTime.MIDNIGHT, 24 * 60);

        WriteResult result = store().write(minutes);

        assertThat(result.inserted()).isEqualTo(24 * 60);
        assertThat(result.filesWritten()).isEqualTo(1);
        assertThat(store().read(TICKER, Timespan.MINUTE, date, date)).isEqualTo(minutes);

        List<Bar> upstream = new ArrayList<>(minutes);
        upstream.set(600, TestBars.withVolume(minutes.get(600), minutes.get(600).volume() + 1));
        assertThat(store().write(upstream)).isEqualTo(new WriteResult(0, 1, 24 * 60 - 1, 1,
                PartitionMerge.encode(upstream).length));
        assertThat(store().read(TICKER, Timespan.MINUTE, date, date)).isEqualTo(upstream);
    }

    // ---------------------------------------------------------------- crashes

    @Test
    void crashDebrisIsInvisibleAndTheNextWriteEqualsACleanRun() {
        List<Bar> before = TestBars.weekdays(TICKER, LocalDate.of(2024, 1, 1), LocalDate.of(2024, 6, 30));
        List<Bar> upstream = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            upstream.add(TestBars.withClose(before.get(i), before.get(i).close() + 1));
        }
        upstream.addAll(TestBars.weekdays(TICKER, LocalDate.of(2024, 7, 1), LocalDate.of(2025, 3, 31)));
        store().write(before);

        // The crashed run had merged `upstream` and died while writing both partitions' new content.
        String existing = StoreLayout.partitionOf(TICKER, Timespan.DAY, LocalDate.of(2024, 1, 1));
        String added = StoreLayout.partitionOf(TICKER, Timespan.DAY, LocalDate.of(2025, 1, 1));
        byte[] existingContent = PartitionMerge.encode(PartitionMerge.merge(before,
                upstream.stream().filter(b -> b.tradingDate().getYear() == 2024).toList()).bars());
        byte[] addedContent = PartitionMerge.encode(
                upstream.stream().filter(b -> b.tradingDate().getYear() == 2025).toList());
        leaveCrashDebris(existing, Arrays.copyOf(existingContent, existingContent.length / 2 + 7));
        leaveCrashDebris(added, Arrays.copyOf(addedContent, addedContent.length / 3));

        assertThat(readAll(store(), TICKER)).as("debris is never read").isEqualTo(before);
        assertThat(readAll(another(), TICKER)).isEqualTo(before);

        WriteResult healed = store().write(upstream);

        BarStore clean = fresh();
        clean.write(before);
        WriteResult cleanResult = clean.write(upstream);
        assertThat(healed).isEqualTo(cleanResult);
        assertThat(readAll(store(), TICKER)).isEqualTo(readAll(clean, TICKER));
        assertThat(store().write(upstream).filesWritten()).isZero();
    }

    // ---------------------------------------------------------------- run records

    @Test
    void runsAreListedNewestFirst() {
        List<String> ids = List.of("20250102T143000123Z-7f3a", "20241231T235959000Z-0001",
                "20250102T090000000Z-c9d2", "20250101T000000000Z-aa00");
        for (String id : ids) {
            store().putRun(finishedRun(id));
        }

        assertThat(store().runs()).extracting(RunRecord::runId).containsExactly("20250102T143000123Z-7f3a",
                "20250102T090000000Z-c9d2", "20250101T000000000Z-aa00", "20241231T235959000Z-0001");
        assertThat(another().runs()).containsExactlyElementsOf(store().runs());
        assertThat(store().runs().get(0)).isEqualTo(finishedRun("20250102T143000123Z-7f3a"));
    }

    @Test
    void aRunningRecordIsReplacedByTheFinalOne() {
        String id = "20250102T143000123Z-7f3a";
        RunRecord running = new RunRecord(id, RunStatus.RUNNING, Instant.parse("2025-01-02T14:30:00.123Z"), null,
                null, parameters(), RunRecord.Totals.ZERO, RequestStats.NONE, Map.of(), List.of(), null);
        store().putRun(running);
        assertThat(another().runs()).containsExactly(running);

        RunRecord finished = finishedRun(id);
        store().putRun(finished);

        assertThat(store().runs()).containsExactly(finished);
        assertThat(another().runs()).containsExactly(finished);
    }

    // ---------------------------------------------------------------- helpers

    /** Every stored daily bar of {@code ticker}, in time order. */
    protected static List<Bar> readAll(BarStore s, String ticker) {
        return s.read(ticker, Timespan.DAY, LocalDate.of(1990, 1, 1), LocalDate.of(2049, 12, 31));
    }

    /** {@code count} consecutive minute bars from {@code start} New York time on {@code date}. */
    protected static List<Bar> minutesOf(String ticker, LocalDate date, LocalTime start, int count) {
        List<Bar> bars = new ArrayList<>();
        LocalDateTime t = date.atTime(start);
        for (int i = 0; i < count; i++) {
            bars.add(TestBars.minute(ticker, t.plusMinutes(i)));
        }
        return bars;
    }

    private static long partitionsOf(List<Bar> bars) {
        return bars.stream().map(StoreLayout::partitionOf).distinct().count();
    }

    private static List<Bar> sortedOf(List<Bar> bars, String ticker) {
        return bars.stream().filter(b -> b.ticker().equals(ticker)).sorted(Comparator.comparingLong(Bar::startMs))
                .toList();
    }

    private static RunRecord.RunParameters parameters() {
        return new RunRecord.RunParameters(List.of(TICKER, OTHER), LocalDate.of(2024, 1, 1),
                LocalDate.of(2024, 12, 31), Timespan.DAY, true, false, "test", "store-under-test", "default");
    }

    private static RunRecord finishedRun(String id) {
        Instant started = Instant.parse("2025-01-02T14:30:00.123Z");
        RunRecord.TickerOutcome ok = new RunRecord.TickerOutcome(RunStatus.SUCCEEDED, 252, 250, 1, 1, 0, null);
        RunRecord.TickerOutcome failed = new RunRecord.TickerOutcome(RunStatus.FAILED, 0, 0, 0, 0, 0,
                "HTTP 404 from upstream");
        Map<String, RunRecord.TickerOutcome> outcomes = new LinkedHashMap<>();
        outcomes.put(TICKER, ok);
        outcomes.put(OTHER, failed);
        return new RunRecord(id, RunStatus.PARTIAL, started, started.plusMillis(4321), 4321L, parameters(),
                new RunRecord.Totals(2, 1, 252, 250, 1, 1, 0, 1, 81_234),
                new RequestStats(3, 2, 1, 1, 12_000, 0), outcomes,
                List.of(new RunRecord.DataQualityWarning("missing_previous_day", TICKER,
                        LocalDate.of(2024, 4, 1), "no bar on 2024-03-28")),
                null);
    }
}
