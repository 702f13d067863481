package dev.tickeretl.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickeretl.Bar;
import dev.tickeretl.RequestStats;
import dev.tickeretl.RunRecord;
import dev.tickeretl.RunStatus;
import dev.tickeretl.StoreException;
import dev.tickeretl.Timespan;
import dev.tickeretl.TradingCalendar;
import dev.tickeretl.internal.BriefPhaseTagger;
import dev.tickeretl.internal.Coverage;
import dev.tickeretl.internal.DaemonThreads;
import dev.tickeretl.internal.DataStore;
import dev.tickeretl.internal.DataStore.WriteOutcome;
import dev.tickeretl.internal.OffsetsFile;
import dev.tickeretl.internal.PartitionFile;
import dev.tickeretl.internal.StoreLayout;
import dev.tickeretl.spi.Storage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract every {@link Storage} keeps, as tests: the primitives (whole objects, durable atomic updates that
 * lose nothing under concurrent writers, crash debris no reader sees, read-only opening), and the store the core
 * builds on them (idempotent keyed writes with exact counts, time-ordered reads, datasets that never mix, the
 * tagging invariant, offsets, run records). A backend's test extends this class and says how to make its storage:
 *
 * <pre>
 * class FileStorageContractTest extends StoreContract {
 *     &#64;TempDir Path tmp;
 *     Path root;
 *     protected Storage newStorage() { root = tmp.resolve(UUID.randomUUID().toString()); return openAgain(); }
 *     protected Storage openAgain() { return provider.open(root.toUri(), context, READ_WRITE); }
 *     ...
 * }
 * </pre>
 */
public abstract class StoreContract {

    private static final String TICKER = "AAPL";
    private static final String OTHER = "MSFT";
    private static final TradingCalendar NYSE = TradingCalendar.nyse();

    private final List<Storage> opened = new ArrayList<>();
    private DataStore store;

    /** New, empty storage (a fresh directory, bucket prefix or name), opened for writing. */
    protected abstract Storage newStorage();

    /**
     * Another instance on the storage of the most recent {@link #newStorage()}, the way a second writer (another
     * thread, process or host) would open it: sharing no in-memory state a separate process would not share.
     */
    protected abstract Storage openAgain();

    /** The storage of the most recent {@link #newStorage()}, opened read-only. */
    protected abstract Storage openReadOnly();

    /** Opens, read-only, a store that does not exist: must throw a {@link StoreException}. */
    protected abstract Storage openMissingReadOnly();

    /**
     * Leaves, in the storage of the most recent {@link #newStorage()}, what this backend's writer leaves behind when
     * it dies after writing part of the new content of {@code path} and before publishing it (a truncated temp
     * file, an incomplete upload). {@code partialContent} is the beginning of what it was writing.
     */
    protected abstract void leaveCrashDebris(String path, byte[] partialContent);

    @BeforeEach
    final void openFreshStore() {
        store = fresh();
    }

    @AfterEach
    final void closeStorages() {
        for (Storage s : opened) {
            s.close();
        }
        opened.clear();
    }

    /** The store of the current test, on fresh storage. */
    protected final DataStore store() {
        return store;
    }

    /** A store on new, empty storage, closed after the test. */
    protected final DataStore fresh() {
        return new DataStore(track(newStorage()), NYSE);
    }

    /** Another instance on the most recent storage, closed after the test. */
    protected final DataStore another() {
        return new DataStore(track(openAgain()), NYSE);
    }

    private Storage track(Storage s) {
        assertThat(s).as("storage opened by the test").isNotNull();
        opened.add(s);
        return s;
    }

    // ---------------------------------------------------------------- the primitives

    @Test
    void anEmptyStorageHasNothing() {
        Storage s = store().storage();
        assertThat(s.read("runs/x.json")).isEmpty();
        assertThat(s.list("")).isEmpty();
        assertThat(s.list("bars/")).isEmpty();
    }

    @Test
    void putReplacesAWholeObjectAndAnotherInstanceReadsIt() {
        Storage s = store().storage();
        s.put("a/b/c.json", bytes("first"));
        s.put("a/b/c.json", bytes("second, longer than the first"));

        assertThat(s.read("a/b/c.json")).contains(bytes("second, longer than the first"));
        assertThat(another().storage().read("a/b/c.json")).contains(bytes("second, longer than the first"));
    }

    @Test
    void listGivesEveryPathUnderAPrefixInOrder() {
        Storage s = store().storage();
        for (String p : List.of("runs/2.json", "bars/x/y.jsonl", "runs/1.json", "runs-other/3.json", "runs/sub/4.json")) {
            s.put(p, bytes(p));
        }

        assertThat(s.list("runs/")).containsExactly("runs/1.json", "runs/2.json", "runs/sub/4.json");
        assertThat(s.list("")).containsExactly("bars/x/y.jsonl", "runs-other/3.json", "runs/1.json", "runs/2.json",
                "runs/sub/4.json");
        assertThat(s.list("nothing/")).isEmpty();
    }

    @Test
    void updateSeesTheCurrentContentAndWritesOnlyAChange() {
        Storage s = store().storage();
        assertThat(s.update("c.txt", old -> {
            assertThat(old).isNull();
            return bytes("1");
        })).isTrue();
        assertThat(s.update("c.txt", old -> bytes(Integer.parseInt(text(old)) + 1 + ""))).isTrue();
        assertThat(s.update("c.txt", old -> old)).as("the same array: nothing to write").isFalse();
        assertThat(s.update("c.txt", old -> null)).as("null: nothing to write").isFalse();
        assertThat(s.update("c.txt", old -> bytes("2"))).as("equal bytes: nothing to write").isFalse();

        assertThat(s.read("c.txt")).contains(bytes("2"));
    }

    @Test
    void deleteRemovesAnObjectAndIgnoresAMissingOne() {
        Storage s = store().storage();
        s.put("d/e.json", bytes("x"));
        s.delete("d/e.json");
        s.delete("d/never.json");

        assertThat(s.read("d/e.json")).isEmpty();
        assertThat(s.list("d/")).isEmpty();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void concurrentUpdatesFromSeveralInstancesLoseNothing() throws Exception {
        int writers = 4;
        int rounds = 30;
        List<Storage> storages = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            storages.add(another().storage());
        }
        CyclicBarrier together = new CyclicBarrier(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers, DaemonThreads.named("store-contract-writer"));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                Storage mine = storages.get(w);
                futures.add(pool.submit(() -> {
                    for (int r = 0; r < rounds; r++) {
                        together.await(60, TimeUnit.SECONDS);
                        mine.update("counter.txt", old -> bytes((old == null ? 0 : Integer.parseInt(text(old))) + 1
                                + ""));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(100, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(text(store().storage().read("counter.txt").orElseThrow())).isEqualTo(writers * rounds + "");
    }

    @Test
    void readOnlyStorageReadsButRefusesEveryWrite() {
        store().storage().put("runs/r.json", bytes("{}"));
        Storage readOnly = track(openReadOnly());

        assertThat(readOnly.read("runs/r.json")).contains(bytes("{}"));
        assertThat(readOnly.list("runs/")).containsExactly("runs/r.json");
        assertThatThrownBy(() -> readOnly.put("runs/s.json", bytes("{}"))).isInstanceOf(StoreException.class)
                .hasMessageContaining("read-only");
        assertThatThrownBy(() -> readOnly.update("runs/r.json", old -> bytes("[]")))
                .isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> readOnly.delete("runs/r.json")).isInstanceOf(StoreException.class);
        assertThat(store().storage().read("runs/r.json")).contains(bytes("{}"));
    }

    @Test
    void aMissingStoreCannotBeOpenedReadOnly() {
        assertThatThrownBy(this::openMissingReadOnly).isInstanceOf(StoreException.class);
    }

    // ---------------------------------------------------------------- idempotency and counting

    @Test
    void rewritingIdenticalBarsWritesNoFileAndCountsEveryBarUnchanged() {
        List<Bar> aapl = TestBars.weekdays(TICKER, LocalDate.of(2023, 11, 1), LocalDate.of(2024, 2, 29));

        WriteOutcome first = writeDays(store(), aapl);
        assertThat(first.inserted()).isEqualTo(aapl.size());
        assertThat(first.updated()).isZero();
        assertThat(first.unchanged()).isZero();
        assertThat(first.filesWritten()).as("one file per ticker and year").isEqualTo(2);
        assertThat(first.bytesWritten()).isPositive();
        assertThat(first.changed()).hasSize(aapl.size());

        WriteOutcome second = writeDays(store(), aapl);
        assertThat(second.inserted()).isZero();
        assertThat(second.updated()).isZero();
        assertThat(second.unchanged()).isEqualTo(aapl.size());
        assertThat(second.filesWritten()).isZero();
        assertThat(second.changed()).isEmpty();

        assertThat(TestBars.untagged(readAll(store(), TICKER))).isEqualTo(TestBars.untagged(aapl));
    }

    @Test
    void oneChangedBarCountsExactlyOneUpdateAndReplacesTheStoredValue() {
        List<Bar> minutes = minutesOf(TICKER, LocalDate.of(2024, 3, 11), LocalTime.of(9, 30), 60);
        writeMinutes(store(), minutes);

        Bar old = minutes.get(30);
        Bar changed = TestBars.withClose(old, old.close() + 0.01);
        List<Bar> upstream = new ArrayList<>(minutes);
        upstream.set(30, changed);

        WriteOutcome result = writeMinutes(store(), upstream);

        assertThat(result.inserted()).isZero();
        assertThat(result.updated()).isEqualTo(1);
        assertThat(result.unchanged()).isEqualTo(minutes.size() - 1);
        assertThat(result.filesWritten()).isEqualTo(1);
        assertThat(result.changed()).containsExactly(changed);
        assertThat(readMinutes(store(), TICKER, LocalDate.of(2024, 3, 11))).isEqualTo(upstream);
    }

    @Test
    void newBarsNextToStoredOnesCountAsInserted() {
        List<Bar> morning = minutesOf(TICKER, LocalDate.of(2024, 3, 11), LocalTime.of(9, 30), 30);
        List<Bar> later = minutesOf(TICKER, LocalDate.of(2024, 3, 11), LocalTime.of(10, 0), 30);
        writeMinutes(store(), morning);

        List<Bar> both = new ArrayList<>(morning);
        both.addAll(later);
        WriteOutcome result = writeMinutes(store(), both);

        assertThat(result.inserted()).isEqualTo(later.size());
        assertThat(result.unchanged()).isEqualTo(morning.size());
        assertThat(result.filesWritten()).isEqualTo(1);
        assertThat(readMinutes(store(), TICKER, LocalDate.of(2024, 3, 11))).isEqualTo(both);
    }

    @Test
    void aKeyWrittenTwiceInOneCallIsStoredOnceWithTheLastValue() {
        Bar first = TestBars.minute(TICKER, LocalDateTime.of(2024, 3, 11, 9, 30));
        Bar last = TestBars.withVolume(first, first.volume() + 1000);

        WriteOutcome result = writeMinutes(store(), List.of(first, last));

        assertThat(result.inserted()).isEqualTo(1);
        assertThat(readMinutes(store(), TICKER, LocalDate.of(2024, 3, 11))).containsExactly(last);
    }

    @Test
    void aKeyWrittenAgainInLaterCallsIsStoredOnce() {
        Bar bar = TestBars.minute(TICKER, LocalDateTime.of(2024, 3, 11, 9, 30));
        Bar changed = TestBars.withClose(bar, bar.close() + 0.5);

        writeMinutes(store(), List.of(bar));
        writeMinutes(store(), List.of(changed));
        writeMinutes(store(), List.of(bar));
        writeMinutes(another(), List.of(changed, bar));

        assertThat(readMinutes(store(), TICKER, LocalDate.of(2024, 3, 11))).containsExactly(bar);
    }

    // ---------------------------------------------------------------- reading

    @Test
    void readReturnsTimeOrderWhateverTheWriteOrder() {
        List<Bar> bars = TestBars.weekdays(TICKER, LocalDate.of(2022, 11, 1), LocalDate.of(2024, 2, 29));
        List<Bar> shuffled = new ArrayList<>(bars);
        Collections.shuffle(shuffled, new Random(42));
        writeDays(store(), shuffled.subList(0, shuffled.size() / 2));
        writeDays(store(), shuffled.subList(shuffled.size() / 2, shuffled.size()));

        List<Bar> stored = readAll(store(), TICKER);

        assertThat(TestBars.untagged(stored)).isEqualTo(TestBars.untagged(bars));
        assertThat(stored).isSortedAccordingTo(Comparator.comparingLong(Bar::startMs));
    }

    @Test
    void readIncludesBothEndsOfTheDateRangeAndNothingOutside() {
        writeDays(store(), TestBars.weekdays(TICKER, LocalDate.of(2023, 12, 1), LocalDate.of(2024, 1, 31)));
        LocalDate from = LocalDate.of(2023, 12, 29); // a Friday
        LocalDate to = LocalDate.of(2024, 1, 3);

        assertThat(store().read(TICKER, Timespan.DAY, true, from, to)).extracting(Bar::tradingDate)
                .containsExactly(LocalDate.of(2023, 12, 29), LocalDate.of(2024, 1, 1), LocalDate.of(2024, 1, 2),
                        LocalDate.of(2024, 1, 3));
        assertThat(store().read(TICKER, Timespan.DAY, true, from, from)).extracting(Bar::tradingDate)
                .containsExactly(from);
        assertThat(store().read(TICKER, Timespan.DAY, true, LocalDate.of(2023, 12, 30),
                LocalDate.of(2023, 12, 31))).as("a weekend holds no bars").isEmpty();
        assertThat(store().read(TICKER, Timespan.DAY, true, LocalDate.of(2025, 1, 1), LocalDate.of(2025, 12, 31)))
                .isEmpty();
    }

    @Test
    void minuteAndDayBarsAndTheTwoPriceBasesNeverMix() {
        LocalDate date = LocalDate.of(2024, 3, 11);
        List<Bar> adjustedDays = TestBars.weekdays(TICKER, date.minusDays(7), date);
        List<Bar> rawDays = adjustedDays.stream().map(b -> TestBars.withAdjusted(TestBars.withClose(b,
                b.close() * 4), false)).toList();
        List<Bar> minutes = minutesOf(TICKER, date, LocalTime.of(9, 30), 30);

        writeDays(store(), adjustedDays);
        store().write(TICKER, Timespan.DAY, false, TestBars.untagged(rawDays), new BriefPhaseTagger());
        writeMinutes(store(), minutes);

        assertThat(TestBars.untagged(store().read(TICKER, Timespan.DAY, true, date.minusDays(7), date)))
                .isEqualTo(TestBars.untagged(adjustedDays));
        assertThat(TestBars.untagged(store().read(TICKER, Timespan.DAY, false, date.minusDays(7), date)))
                .isEqualTo(TestBars.untagged(rawDays));
        assertThat(store().read(TICKER, Timespan.MINUTE, false, date.minusDays(7), date)).isEqualTo(minutes);
        assertThat(store().read(TICKER, Timespan.MINUTE, true, date.minusDays(7), date)).isEmpty();
    }

    @Test
    void tickersDoNotMix() {
        List<Bar> aapl = TestBars.weekdays(TICKER, LocalDate.of(2024, 1, 2), LocalDate.of(2024, 1, 31));
        List<Bar> msft = TestBars.weekdays(OTHER, LocalDate.of(2024, 1, 2), LocalDate.of(2024, 1, 31));
        writeDays(store(), aapl);
        assertThat(writeDays(store(), msft).inserted()).as("same start, other ticker: another key")
                .isEqualTo(msft.size());

        assertThat(TestBars.untagged(readAll(store(), TICKER))).isEqualTo(TestBars.untagged(aapl));
        assertThat(TestBars.untagged(readAll(store(), OTHER))).isEqualTo(TestBars.untagged(msft));
        assertThat(readAll(store(), "NVDA")).isEmpty();
    }

    @Test
    void anotherInstanceOnTheSameStorageSeesTheWrites() {
        List<Bar> bars = TestBars.weekdays(TICKER, LocalDate.of(2024, 1, 2), LocalDate.of(2024, 1, 31));
        writeDays(store(), bars);

        DataStore second = another();

        assertThat(readAll(second, TICKER)).isEqualTo(readAll(store(), TICKER));
        WriteOutcome again = writeDays(second, bars);
        assertThat(again.unchanged()).isEqualTo(bars.size());
        assertThat(again.filesWritten()).isZero();
    }

    // ---------------------------------------------------------------- the tagging invariant

    @Test
    void everyStoredDayBarCarriesThePreviousSessionsStoredVolumeAndTheRuleOnIt() {
        // Written in three pieces out of order, across a year end, Good Friday and a gap upstream (2024-04-10).
        List<Bar> all = TestBars.weekdays(TICKER, LocalDate.of(2023, 12, 1), LocalDate.of(2024, 4, 30)).stream()
                .filter(b -> NYSE.isTradingDay(b.tradingDate()))
                .filter(b -> !b.tradingDate().equals(LocalDate.of(2024, 4, 10))).toList();
        writeDays(store(), all.subList(60, all.size()));
        writeDays(store(), all.subList(0, 20));
        writeDays(store(), all.subList(20, 60));

        assertTagsMatchStoredNeighbours(readAll(store(), TICKER));
    }

    @Test
    void aCorrectedDayRetagsTheNextSessionEvenAcrossAYearEnd() {
        List<Bar> bars = TestBars.weekdays(TICKER, LocalDate.of(2023, 12, 1), LocalDate.of(2024, 1, 31)).stream()
                .filter(b -> NYSE.isTradingDay(b.tradingDate())).toList();
        writeDays(store(), bars);
        Bar lastOf2023 = bars.stream().filter(b -> b.tradingDate().equals(LocalDate.of(2023, 12, 29))).findFirst()
                .orElseThrow();

        WriteOutcome result = writeDays(store(), List.of(TestBars.withVolume(lastOf2023, lastOf2023.volume() * 3)));

        Bar next = store().read(TICKER, Timespan.DAY, true, LocalDate.of(2024, 1, 2), LocalDate.of(2024, 1, 2))
                .get(0);
        assertThat(next.priorVolume()).isEqualTo(lastOf2023.volume() * 3);
        assertThat(result.updated()).as("the corrected day and the next session").isEqualTo(2);
        assertThat(result.changed()).extracting(Bar::tradingDate)
                .containsExactly(LocalDate.of(2023, 12, 29), LocalDate.of(2024, 1, 2));
        assertTagsMatchStoredNeighbours(readAll(store(), TICKER));
    }

    // ---------------------------------------------------------------- damaged partitions

    @Test
    void aForeignLineAndARepeatedKeyAreNotReadAndTheNextWriteRepairsThem() {
        List<Bar> bars = TestBars.weekdays(TICKER, LocalDate.of(2024, 1, 2), LocalDate.of(2024, 1, 12));
        writeDays(store(), bars);
        String path = StoreLayout.partitionOf(TICKER, Timespan.DAY, true, LocalDate.of(2024, 1, 1));
        List<Bar> stored = readAll(store(), TICKER);
        List<Bar> damaged = new ArrayList<>(stored);
        damaged.add(3, stored.get(3)); // a repeated key
        damaged.add(TestBars.day(OTHER, LocalDate.of(2024, 1, 5))); // another ticker's bar
        store().storage().put(path, PartitionFile.encode(damaged));

        assertThat(readAll(store(), TICKER)).isEqualTo(stored);

        WriteOutcome repair = writeDays(store(), bars);
        assertThat(repair.warnings()).extracting(RunRecord.DataQualityWarning::kind)
                .containsOnlyOnce("REPAIRED_PARTITION");
        assertThat(repair.filesWritten()).isEqualTo(1);
        assertThat(store().storage().read(path)).contains(PartitionFile.encode(stored));
    }

    @Test
    void aLineThatIsNotABarIsAnErrorNamingTheFileAndTheLine() {
        writeDays(store(), TestBars.weekdays(TICKER, LocalDate.of(2024, 1, 2), LocalDate.of(2024, 1, 31)));
        String path = StoreLayout.partitionOf(TICKER, Timespan.DAY, true, LocalDate.of(2024, 1, 1));
        String text = text(store().storage().read(path).orElseThrow());
        String[] lines = text.split("\n");
        lines[19] = lines[19].substring(0, 40);
        store().storage().put(path, bytes(String.join("\n", lines) + "\n"));

        assertThatThrownBy(() -> readAll(store(), TICKER)).isInstanceOf(StoreException.class)
                .hasMessageContaining(path).hasMessageContaining("line 20 ")
                .hasMessageContaining("move the file away");
    }

    // ---------------------------------------------------------------- offsets and coverage

    @Test
    void offsetsAndCoverageCommitAtomicallyAndMergeWithWhatOthersCommitted() {
        Instant at = Instant.parse("2024-03-01T12:00:00Z");
        store().commit(Timespan.DAY, true, Map.of(TICKER, new DataStore.Commit(Map.of("through", "2024-01-31"),
                List.of(span("2024-01-02", "2024-01-31", at)))), at, "run-1");
        another().commit(Timespan.DAY, true, Map.of(TICKER, new DataStore.Commit(Map.of("through", "2024-02-29"),
                        List.of(span("2024-02-01", "2024-02-29", at))), OTHER, new DataStore.Commit(null,
                        List.of(span("2024-02-01", "2024-02-02", at)))), at, "run-2");

        OffsetsFile file = store().offsets(Timespan.DAY, true);
        assertThat(file.partitions().get(TICKER).offset()).containsEntry("through", "2024-02-29");
        assertThat(file.partitions().get(TICKER).coverage()).containsExactly(span("2024-01-02", "2024-02-29", at));
        assertThat(file.partitions().get(OTHER).coverage()).containsExactly(span("2024-02-01", "2024-02-02", at));
        assertThat(file.partitions().get(OTHER).offset()).isEmpty();
        assertThat(store().offsets(Timespan.DAY, false).partitions()).as("the other dataset").isEmpty();
        assertThat(store().offsets(Timespan.MINUTE, true).partitions()).isEmpty();
    }

    @Test
    void aCommitAfterAnotherWritersCommitKeepsWhatTheOtherCommitted() {
        // A store keeps the offsets file it last wrote in memory; a file someone else rewrote since must be read.
        Instant at = Instant.parse("2024-03-01T12:00:00Z");
        DataStore other = another();
        for (int round = 1; round <= 3; round++) {
            store().commit(Timespan.MINUTE, false, Map.of(TICKER, new DataStore.Commit(Map.of("n", "" + round),
                    List.of())), at, "run-1");
            other.commit(Timespan.MINUTE, false, Map.of(OTHER + round, new DataStore.Commit(Map.of("n", "" + round),
                    List.of())), at, "run-2");
        }
        store().commit(Timespan.MINUTE, false, Map.of(TICKER, new DataStore.Commit(Map.of("n", "4"), List.of())),
                at, "run-1");

        OffsetsFile file = another().offsets(Timespan.MINUTE, false);
        assertThat(file.partitions()).containsOnlyKeys(TICKER, OTHER + 1, OTHER + 2, OTHER + 3);
        assertThat(file.partitions().get(TICKER).offset()).containsEntry("n", "4");
        assertThat(file.partitions().get(OTHER + 3).offset()).containsEntry("n", "3");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void concurrentOffsetCommitsOfDifferentTickersLoseNone() throws Exception {
        int writers = 4;
        Instant at = Instant.parse("2024-03-01T12:00:00Z");
        List<DataStore> stores = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            stores.add(another());
        }
        ExecutorService pool = Executors.newFixedThreadPool(writers, DaemonThreads.named("store-contract-writer"));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                DataStore mine = stores.get(w);
                int writer = w;
                futures.add(pool.submit(() -> {
                    for (int t = 0; t < 10; t++) {
                        mine.commit(Timespan.DAY, true, Map.of("T" + writer + "X" + t, new DataStore.Commit(
                                Map.of("n", "" + t), List.of(span("2024-01-02", "2024-01-31", at)))), at, "r" + writer);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(100, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store().offsets(Timespan.DAY, true).partitions()).hasSize(writers * 10);
    }

    // ---------------------------------------------------------------- segments (a stream's group commit)

    @Test
    void segmentsAreReadWithThePartitionsAndCompactionFoldsThemInWithTheLastRevisionWinning() {
        LocalDate date = LocalDate.of(2024, 3, 11);
        List<Bar> morning = minutesOf(TICKER, date, LocalTime.of(9, 30), 10);
        writeMinutes(store(), morning.subList(0, 5));
        Bar revised = TestBars.withVolume(morning.get(4), morning.get(4).volume() + 7);
        List<Bar> first = new ArrayList<>(morning.subList(5, 10));
        first.add(minutesOf(OTHER, date, LocalTime.of(9, 30), 1).get(0));
        store().appendSegment(Timespan.MINUTE, false, first, "run-a");
        store().appendSegment(Timespan.MINUTE, false, List.of(revised), "run-a");
        List<Bar> expected = new ArrayList<>(morning);
        expected.set(4, revised);

        assertThat(readMinutes(store(), TICKER, date)).as("partition and segments together").isEqualTo(expected);
        assertThat(readMinutes(another(), OTHER, date)).hasSize(1);

        WriteOutcome compacted = store().compact(Timespan.MINUTE, false);

        assertThat(compacted.inserted()).isEqualTo(6);
        assertThat(compacted.updated()).isEqualTo(1);
        assertThat(store().storage().list("state/segments/")).isEmpty();
        assertThat(readMinutes(store(), TICKER, date)).isEqualTo(expected);
        assertThat(store().storage().read(StoreLayout.partitionOf(TICKER, Timespan.MINUTE, false, date)))
                .contains(PartitionFile.encode(expected));
        assertThat(store().compact(Timespan.MINUTE, false).filesWritten()).as("nothing left to fold").isZero();
    }

    // ---------------------------------------------------------------- size

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void twentyYearsOfDailyBarsRoundTripInOneWrite() {
        LocalDate from = LocalDate.of(2005, 1, 1);
        LocalDate to = LocalDate.of(2024, 12, 31);
        List<Bar> aapl = new ArrayList<>(TestBars.weekdays(TICKER, from, to));
        List<Bar> shuffled = new ArrayList<>(aapl);
        Collections.shuffle(shuffled, new Random(7));
        assertThat(aapl).hasSizeGreaterThan(5_000);

        WriteOutcome result = writeDays(store(), shuffled);

        assertThat(result.inserted()).isEqualTo(aapl.size());
        assertThat(result.filesWritten()).as("20 years").isEqualTo(20);
        assertThat(TestBars.untagged(store().read(TICKER, Timespan.DAY, true, from, to)))
                .isEqualTo(TestBars.untagged(aapl));
        assertThat(writeDays(another(), aapl).filesWritten()).isZero();
    }

    @Test
    void aFullDayOfMinuteBarsIsOnePartitionThatRoundTripsAndTakesOneUpdate() {
        LocalDate date = LocalDate.of(2024, 3, 11);
        List<Bar> minutes = minutesOf(TICKER, date, LocalTime.MIDNIGHT, 24 * 60);

        WriteOutcome result = writeMinutes(store(), minutes);

        assertThat(result.inserted()).isEqualTo(24 * 60);
        assertThat(result.filesWritten()).isEqualTo(1);
        assertThat(readMinutes(store(), TICKER, date)).isEqualTo(minutes);

        List<Bar> upstream = new ArrayList<>(minutes);
        upstream.set(600, TestBars.withVolume(minutes.get(600), minutes.get(600).volume() + 1));
        WriteOutcome again = writeMinutes(store(), upstream);
        assertThat(again.updated()).isEqualTo(1);
        assertThat(again.unchanged()).isEqualTo(24 * 60 - 1);
        assertThat(again.bytesWritten()).isEqualTo(PartitionFile.encode(upstream).length);
        assertThat(readMinutes(store(), TICKER, date)).isEqualTo(upstream);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void concurrentWritersToOnePartitionLoseNoBar() throws Exception {
        int writers = 4;
        int rounds = 20;
        LocalDate date = LocalDate.of(2024, 3, 11);
        List<DataStore> stores = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            stores.add(another());
        }
        CyclicBarrier together = new CyclicBarrier(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers, DaemonThreads.named("store-contract-writer"));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                futures.add(pool.submit(() -> {
                    for (int r = 0; r < rounds; r++) {
                        Bar own = TestBars.minute(TICKER, date.atTime(9, 30).plusMinutes((long) r * writers + writer));
                        together.await(60, TimeUnit.SECONDS);
                        writeMinutes(stores.get(writer), List.of(own));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(100, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(readMinutes(store(), TICKER, date)).isEqualTo(minutesOf(TICKER, date, LocalTime.of(9, 30),
                writers * rounds));
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
        writeDays(store(), before);
        List<Bar> storedBefore = readAll(store(), TICKER);

        // The crashed run died while writing both partitions' new content.
        String existing = StoreLayout.partitionOf(TICKER, Timespan.DAY, true, LocalDate.of(2024, 1, 1));
        String added = StoreLayout.partitionOf(TICKER, Timespan.DAY, true, LocalDate.of(2025, 1, 1));
        byte[] content = PartitionFile.encode(upstream);
        leaveCrashDebris(existing, Arrays.copyOf(content, content.length / 2 + 7));
        leaveCrashDebris(added, Arrays.copyOf(content, content.length / 3));

        assertThat(readAll(store(), TICKER)).as("debris is never read").isEqualTo(storedBefore);
        assertThat(readAll(another(), TICKER)).isEqualTo(storedBefore);
        assertThat(store().storage().list("")).as("debris is never listed")
                .containsExactly(existing);

        WriteOutcome healed = writeDays(store(), upstream);

        DataStore clean = fresh();
        writeDays(clean, before);
        WriteOutcome cleanResult = writeDays(clean, upstream);
        assertThat(healed.inserted()).isEqualTo(cleanResult.inserted());
        assertThat(healed.updated()).isEqualTo(cleanResult.updated());
        assertThat(readAll(store(), TICKER)).isEqualTo(readAll(clean, TICKER));
        assertThat(writeDays(store(), upstream).filesWritten()).isZero();
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
                null, null, parameters(), RunRecord.Totals.ZERO, RequestStats.NONE, Map.of(), Map.of(), Map.of(), List.of(), null);
        store().putRun(running);
        assertThat(another().runs()).containsExactly(running);

        RunRecord finished = finishedRun(id);
        store().putRun(finished);

        assertThat(store().runs()).containsExactly(finished);
        assertThat(another().runs()).containsExactly(finished);
    }

    @Test
    void anUnreadableRunRecordIsSkipped() {
        store().putRun(finishedRun("20250102T143000123Z-7f3a"));
        store().storage().put("runs/20250103T000000000Z-0000.json", bytes("{not json"));

        assertThat(store().runs()).extracting(RunRecord::runId).containsExactly("20250102T143000123Z-7f3a");
    }

    // ---------------------------------------------------------------- helpers

    /** Writes day bars of one ticker as a source would deliver them (untagged), with the brief's tagger. */
    protected static WriteOutcome writeDays(DataStore s, List<Bar> bars) {
        return s.write(bars.get(0).ticker(), Timespan.DAY, true, TestBars.untagged(bars), new BriefPhaseTagger());
    }

    /** Writes unadjusted minute bars of one ticker. */
    protected static WriteOutcome writeMinutes(DataStore s, List<Bar> bars) {
        return s.write(bars.get(0).ticker(), Timespan.MINUTE, false, bars, new BriefPhaseTagger());
    }

    /** Every stored adjusted daily bar of {@code ticker}, in time order. */
    protected static List<Bar> readAll(DataStore s, String ticker) {
        return s.read(ticker, Timespan.DAY, true, LocalDate.of(1990, 1, 1), LocalDate.of(2049, 12, 31));
    }

    private static List<Bar> readMinutes(DataStore s, String ticker, LocalDate date) {
        return s.read(ticker, Timespan.MINUTE, false, date, date);
    }

    /** {@code count} consecutive unadjusted minute bars from {@code start} New York time on {@code date}. */
    protected static List<Bar> minutesOf(String ticker, LocalDate date, LocalTime start, int count) {
        List<Bar> bars = new ArrayList<>();
        LocalDateTime t = date.atTime(start);
        for (int i = 0; i < count; i++) {
            bars.add(TestBars.minute(ticker, t.plusMinutes(i)));
        }
        return bars;
    }

    /**
     * The invariant, checked against an oracle written apart from the store's code: each bar's prior volume is the
     * stored volume of the previous NYSE session (null when that session has no bar) and its phase the brief's rule.
     */
    protected static void assertTagsMatchStoredNeighbours(List<Bar> stored) {
        Map<LocalDate, Bar> byDate = new HashMap<>();
        for (Bar b : stored) {
            byDate.put(b.tradingDate(), b);
        }
        for (Bar b : stored) {
            Bar previous = byDate.get(NYSE.previousTradingDay(b.tradingDate()));
            assertThat(b.priorVolume()).as("prior volume of %s", b.tradingDate())
                    .isEqualTo(previous == null ? null : previous.volume());
            String expected = previous == null || !(b.volume() > previous.volume()) ? "Neutral"
                    : b.close() > b.open() ? "Bull" : b.close() < b.open() ? "Bear" : "Neutral";
            assertThat(b.phase().label()).as("phase of %s", b.tradingDate()).isEqualTo(expected);
        }
    }

    private static Coverage.Span span(String from, String to, Instant at) {
        return new Coverage.Span(LocalDate.parse(from), LocalDate.parse(to), at);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static RunRecord.RunParameters parameters() {
        return new RunRecord.RunParameters(RunRecord.RunParameters.BATCH, List.of(TICKER, OTHER),
                LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31), Timespan.DAY, true, false, "test",
                "store-under-test", List.of(), "brief");
    }

    private static RunRecord finishedRun(String id) {
        Instant started = Instant.parse("2025-01-02T14:30:00.123Z");
        RunRecord.TickerOutcome ok = new RunRecord.TickerOutcome(RunStatus.SUCCEEDED, 252, 250, 1, 1, 0, null);
        RunRecord.TickerOutcome failed = new RunRecord.TickerOutcome(RunStatus.FAILED, 0, 0, 0, 0, 0,
                "HTTP 404 from upstream");
        Map<String, RunRecord.TickerOutcome> outcomes = new LinkedHashMap<>();
        outcomes.put(TICKER, ok);
        outcomes.put(OTHER, failed);
        return new RunRecord(id, RunStatus.PARTIAL, started, started.plusMillis(4321), 4321L,
                new RunRecord.RunProcess("host-a", 4242, started.minusSeconds(1), started.plusMillis(4321), 30_000),
                parameters(), new RunRecord.Totals(2, 1, 252, 250, 1, 1, 0, 1, 81_234),
                new RequestStats(3, 2, 1, 1, 12_000, 0),
                Map.of("kafka://127.0.0.1:9092/bars", new RunRecord.SinkOutcome(250, 3, 3, "broker down")),
                Map.of("ticker_etl_request_duration_seconds_max", 0.25), outcomes,
                List.of(new RunRecord.DataQualityWarning("MISSING_PREVIOUS_BAR", TICKER,
                        LocalDate.of(2024, 4, 1), "no bar on 2024-03-28")),
                null);
    }
}
