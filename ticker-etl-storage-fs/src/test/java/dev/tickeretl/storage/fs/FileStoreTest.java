package dev.tickeretl.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickeretl.Bar;
import dev.tickeretl.Phase;
import dev.tickeretl.RequestStats;
import dev.tickeretl.RunRecord;
import dev.tickeretl.RunStatus;
import dev.tickeretl.StoreException;
import dev.tickeretl.Timespan;
import dev.tickeretl.internal.Coverage;
import dev.tickeretl.internal.DataStore;
import dev.tickeretl.internal.JsonCodec;
import dev.tickeretl.internal.StoreLayout;
import dev.tickeretl.spi.Storage;
import dev.tickeretl.testkit.TestBars;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the filesystem store does on disk, beyond the store contract. */
class FileStoreTest {

    private static final FileTime LONG_AGO = FileTime.from(Instant.parse("2001-01-01T00:00:00Z"));
    private static final Instant COMMITTED_AT = Instant.parse("2024-01-10T22:00:00Z");

    @TempDir
    Path tmp;

    private Path root;
    private DataStore store;

    @BeforeEach
    void openStore() {
        root = tmp.resolve("data");
        store = TestStores.open(root);
    }

    @Test
    void filesAreExactlyWhereStoreLayoutSays() throws IOException {
        List<Bar> bars = new ArrayList<>(TestBars.weekdays("AAPL", LocalDate.of(2023, 12, 20),
                LocalDate.of(2024, 1, 10)));
        Bar brkFirst = TestBars.day("BRK.A", LocalDate.of(2024, 1, 2));
        Bar brkSecond = TestBars.day("BRK.A", LocalDate.of(2024, 1, 3));
        bars.add(brkFirst);
        bars.add(brkSecond);
        bars.add(TestBars.withAdjusted(TestBars.withClose(brkFirst, brkFirst.close() * 4), false));
        bars.add(TestBars.minute("AAPL", LocalDateTime.of(2024, 1, 2, 9, 30)));
        bars.add(TestBars.minute("AAPL", LocalDateTime.of(2024, 1, 3, 15, 59)));
        bars.add(TestBars.withAdjusted(TestBars.minute("AAPL", LocalDateTime.of(2024, 1, 3, 16, 0)), true));
        TestStores.write(store, bars);
        store.putRun(run("20240103T120000000Z-0001", RunStatus.SUCCEEDED));
        store.commit(Timespan.DAY, true, Map.of("AAPL", new DataStore.Commit(Map.of("through", "2024-01-10"),
                List.of(new Coverage.Span(LocalDate.of(2023, 12, 20), LocalDate.of(2024, 1, 10), COMMITTED_AT)))),
                COMMITTED_AT, "20240103T120000000Z-0001");

        Set<String> expected = bars.stream().map(StoreLayout::partitionOf).collect(Collectors.toCollection(
                TreeSet::new));
        expected.add(StoreLayout.runPath("20240103T120000000Z-0001"));
        expected.add(StoreLayout.offsetsPath(Timespan.DAY, true));
        assertThat(visibleFiles()).isEqualTo(expected).containsExactlyInAnyOrder(
                "bars/timespan=day/ticker=AAPL/year=2023/bars.jsonl",
                "bars/timespan=day/ticker=AAPL/year=2024/bars.jsonl",
                "bars/timespan=day/ticker=BRK.A/year=2024/bars.jsonl",
                "bars-unadjusted/timespan=day/ticker=BRK.A/year=2024/bars.jsonl",
                "bars-unadjusted/timespan=minute/ticker=AAPL/date=2024-01-02/bars.jsonl",
                "bars-unadjusted/timespan=minute/ticker=AAPL/date=2024-01-03/bars.jsonl",
                "bars/timespan=minute/ticker=AAPL/date=2024-01-03/bars.jsonl",
                "runs/20240103T120000000Z-0001.json",
                "state/offsets/timespan=day/adjusted=true.json");

        // One data-contract line per bar, in time order, tagged against the stored previous session.
        Phase secondPhase = brkSecond.volume() > brkFirst.volume()
                ? brkSecond.close() > brkSecond.open() ? Phase.BULL
                : brkSecond.close() < brkSecond.open() ? Phase.BEAR : Phase.NEUTRAL
                : Phase.NEUTRAL;
        assertThat(Files.readString(root.resolve("bars/timespan=day/ticker=BRK.A/year=2024/bars.jsonl")))
                .isEqualTo(brkFirst.withPhase(Phase.NEUTRAL, null).toJson() + "\n"
                        + brkSecond.withPhase(secondPhase, brkFirst.volume()).toJson() + "\n");
        assertThat(Files.readString(root.resolve("bars-unadjusted/timespan=day/ticker=BRK.A/year=2024/bars.jsonl")))
                .contains("\"adjusted\":false").doesNotContain("\"adjusted\":true");
        assertThat(JsonCodec.parseRun(Files.readAllBytes(root.resolve("runs/20240103T120000000Z-0001.json"))))
                .isEqualTo(run("20240103T120000000Z-0001", RunStatus.SUCCEEDED));
        assertThat(TestStores.open(root).offsets(Timespan.DAY, true).partitions().get("AAPL").offset())
                .containsEntry("through", "2024-01-10");
    }

    @Test
    void rerunningIdenticalBarsTouchesNoFileOnDisk() throws IOException {
        List<Bar> bars = new ArrayList<>(TestBars.weekdays("AAPL", LocalDate.of(2022, 6, 1),
                LocalDate.of(2024, 6, 30)));
        bars.add(TestBars.minute("AAPL", LocalDateTime.of(2024, 6, 28, 9, 30)));
        TestStores.write(store, bars);
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                Files.setLastModifiedTime(p, LONG_AGO);
            }
        }
        Map<String, String> before = snapshot();

        DataStore secondRun = TestStores.open(root);
        TestStores.Written again = TestStores.write(secondRun, bars);

        assertThat(again.filesWritten()).isZero();
        assertThat(again.unchanged()).isEqualTo(bars.size());
        assertThat(snapshot()).as("no file or directory created, replaced or touched").isEqualTo(before);
        assertThat(before.values()).allMatch(s -> s.startsWith(LONG_AGO.toString()));
    }

    @Test
    void tempFilesOfAnInterruptedWriteAreRemovedByTheNextWriteOfTheSameFile() throws IOException {
        Bar bar = TestBars.day("AAPL", LocalDate.of(2024, 3, 11));
        TestStores.write(store, List.of(bar));
        store.putRun(run("20240103T120000000Z-0001", RunStatus.RUNNING));
        Path dir = root.resolve(StoreLayout.partitionOf(bar)).getParent();
        Path debris = dir.resolve(".bars.jsonl.crashed1.tmp");
        Path emptyDebris = dir.resolve(".bars.jsonl.crashed2.tmp");
        Files.writeString(debris, "{\"ticker\":\"AAPL\",\"timesp");
        Files.createFile(emptyDebris);
        Path someoneElses = dir.resolve("notes.tmp");
        Files.writeString(someoneElses, "not ours");
        Path runDebris = root.resolve("runs/.20240103T120000000Z-0001.json.crashed3.tmp");
        Files.writeString(runDebris, "{\"run_id\":");
        Path offsetsDebris = root.resolve(StoreLayout.offsetsPath(Timespan.DAY, true)).resolveSibling(
                ".adjusted=true.json.crashed4.tmp");
        Files.createDirectories(offsetsDebris.getParent());
        Files.writeString(offsetsDebris, "{\"schema_v");

        assertThat(TestStores.write(store, List.of(bar)).filesWritten()).as("unchanged data still cleans up")
                .isZero();
        // A run record is rewritten by the run itself, or re-recorded ABANDONED by the next run.
        store.putRun(run("20240103T120000000Z-0001", RunStatus.ABANDONED));
        store.commit(Timespan.DAY, true, Map.of("AAPL", new DataStore.Commit(Map.of(), List.of())), COMMITTED_AT,
                "20240103T120000000Z-0001");

        assertThat(debris).doesNotExist();
        assertThat(emptyDebris).doesNotExist();
        assertThat(runDebris).doesNotExist();
        assertThat(offsetsDebris).doesNotExist();
        assertThat(someoneElses).as("only our own temp files are removed").exists();
        assertThat(store.read("AAPL", Timespan.DAY, true, bar.tradingDate(), bar.tradingDate()))
                .containsExactly(bar);
    }

    @Test
    void writesLeaveNoTempFileBehind() throws IOException {
        for (int round = 0; round < 5; round++) {
            List<Bar> bars = new ArrayList<>();
            for (Bar b : TestBars.weekdays("AAPL", LocalDate.of(2023, 12, 1), LocalDate.of(2024, 1, 31))) {
                bars.add(TestBars.withVolume(b, b.volume() + round));
            }
            bars.add(TestBars.withVolume(TestBars.minute("AAPL", LocalDateTime.of(2024, 1, 31, 9, 30)), round));
            TestStores.write(store, bars);
            store.putRun(run("20240103T120000000Z-000" + round, RunStatus.SUCCEEDED));
            store.commit(Timespan.DAY, true, Map.of("AAPL", new DataStore.Commit(Map.of("round", "" + round),
                    List.of())), COMMITTED_AT, "20240103T120000000Z-000" + round);
        }

        try (Stream<Path> all = Files.walk(root)) {
            assertThat(all.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void aPartitionThatIsNotJsonLinesIsReportedWithItsPathAndNotOverwritten() throws IOException {
        Bar bar = TestBars.day("AAPL", LocalDate.of(2024, 3, 11));
        String path = StoreLayout.partitionOf(bar);
        Path partition = root.resolve(path);
        Files.createDirectories(partition.getParent());
        Files.writeString(partition, "ticker,close\nAAPL,1\n");

        assertThatThrownBy(() -> TestStores.write(store, List.of(bar))).isInstanceOf(StoreException.class)
                .hasMessageContaining(root.toString()).hasMessageContaining(path)
                .hasMessageContaining("line 1 is not a data-contract bar");
        assertThatThrownBy(() -> store.read("AAPL", Timespan.DAY, true, bar.tradingDate(), bar.tradingDate()))
                .isInstanceOf(StoreException.class).hasMessageContaining(path);
        assertThat(Files.readString(partition)).isEqualTo("ticker,close\nAAPL,1\n");

        // The failed write let go of the partition's lock: once the file is moved away, the next write goes through.
        Files.move(partition, tmp.resolve("moved-away.jsonl"));
        assertThat(TestStores.write(store, List.of(bar)).inserted()).isEqualTo(1);
    }

    @Test
    void anUnreadableRunRecordIsSkipped() throws IOException {
        RunRecord good = run("20240103T120000000Z-0001", RunStatus.SUCCEEDED);
        store.putRun(good);
        Files.writeString(root.resolve("runs/20240104T120000000Z-0002.json"), "{\"run_id\": ");
        Files.writeString(root.resolve("runs/20240105T120000000Z-0003.json"), "[]");

        assertThat(store.runs()).containsExactly(good);
    }

    @Test
    void aTickerThatIsNotASymbolIsRefusedByNameBeforeAnythingIsWritten() throws IOException {
        for (String ticker : List.of("../../../etc", "aapl/x", "A/B")) {
            Bar bad = TestBars.day(ticker, LocalDate.of(2024, 3, 11));
            assertThatThrownBy(() -> store.write(ticker, Timespan.DAY, true, List.of(bad),
                    new dev.tickeretl.internal.BriefPhaseTagger()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("ticker: '" + ticker + "' is not a valid symbol");
            assertThatThrownBy(() -> store.read(ticker, Timespan.MINUTE, false, LocalDate.of(2024, 1, 1),
                    LocalDate.of(2024, 1, 2))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("ticker: ");
        }
        try (Stream<Path> all = Files.walk(tmp)) {
            assertThat(all.filter(p -> !p.equals(tmp) && !p.equals(root))).as("nothing but the empty root").isEmpty();
        }
    }

    @Test
    void aPathThatCouldLeaveTheRootIsRefusedByTheStorage() throws IOException {
        Storage storage = store.storage();
        for (String path : List.of("../escape.json", "runs/../../escape.json", "/etc/escape.json", "runs\\x.json")) {
            assertThatThrownBy(() -> storage.put(path, "x".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(path);
            assertThatThrownBy(() -> storage.read(path)).isInstanceOf(IllegalArgumentException.class);
        }
        try (Stream<Path> all = Files.walk(tmp)) {
            assertThat(all.filter(p -> !p.equals(tmp) && !p.equals(root))).isEmpty();
        }
    }

    @Test
    void aRunIdThatIsNotAFileNameIsRefused() {
        assertThatThrownBy(() -> store.putRun(run("../escape", RunStatus.RUNNING)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("run_id");
        assertThatThrownBy(() -> store.putRun(run(".hidden", RunStatus.RUNNING)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("run_id");
        assertThat(store.runs()).isEmpty();
    }

    @Test
    void aMinuteRangeReadsOnlyTheDaysAsked() {
        LocalDate day = LocalDate.of(2024, 3, 11);
        List<Bar> bars = new ArrayList<>();
        for (int d = 0; d < 3; d++) {
            bars.add(TestBars.minute("AAPL", day.plusDays(d).atTime(LocalTime.of(9, 30))));
            bars.add(TestBars.minute("AAPL", day.plusDays(d).atTime(LocalTime.of(23, 59))));
        }
        TestStores.write(store, bars);

        assertThat(store.read("AAPL", Timespan.MINUTE, false, day.plusDays(1), day.plusDays(1)))
                .containsExactly(bars.get(2), bars.get(3));
        assertThat(store.read("AAPL", Timespan.MINUTE, false, day.plusDays(2), day)).isEmpty();
    }

    @Test
    void aDeleteWaitsForAnUpdateInProgressAndWins() throws Exception {
        Storage writer = store.storage();
        Storage deleter = TestStores.storage(root, Storage.Access.READ_WRITE);
        writer.put("runs/r.json", "old".getBytes(StandardCharsets.UTF_8));
        CountDownLatch read = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Boolean> update = pool.submit(() -> writer.update("runs/r.json", old -> {
                read.countDown();
                await(release);
                return (new String(old, StandardCharsets.UTF_8) + "+new").getBytes(StandardCharsets.UTF_8);
            }));
            assertThat(read.await(30, TimeUnit.SECONDS)).isTrue();
            Future<?> delete = pool.submit(() -> deleter.delete("runs/r.json"));
            Thread.sleep(300);
            assertThat(delete.isDone()).as("the delete waits while the update holds the file").isFalse();

            release.countDown();
            assertThat(update.get(30, TimeUnit.SECONDS)).isTrue();
            delete.get(30, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
        // Update, then delete: an update that read the old content never publishes it after the delete.
        assertThat(writer.read("runs/r.json")).isEmpty();
        assertThat(writer.list("runs/")).isEmpty();
    }

    @Test
    void deletingInADirectoryThatDoesNotExistCreatesNothing() throws IOException {
        store.storage().delete("bars/timespan=day/ticker=AAPL/year=2024/bars.jsonl");

        try (Stream<Path> all = Files.walk(root)) {
            assertThat(all.filter(p -> !p.equals(root))).isEmpty();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every file under the root that people and query engines see, relative, '/'-separated. */
    private Set<String> visibleFiles() throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** Path to modification time, size and file identity (inode) of everything under the root. */
    private Map<String, String> snapshot() throws IOException {
        Map<String, String> state = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                state.put(root.relativize(p).toString(), a.lastModifiedTime() + " " + a.size() + " " + a.fileKey());
            }
        }
        return state;
    }

    static RunRecord run(String id, RunStatus status) {
        Instant started = Instant.parse("2024-01-03T12:00:00Z");
        boolean running = status == RunStatus.RUNNING;
        return new RunRecord(id, status, started, running ? null : started.plusSeconds(2), running ? null : 2000L,
                new RunRecord.RunProcess("host-a", 4242, started.minusSeconds(1), started, 30_000),
                new RunRecord.RunParameters(RunRecord.RunParameters.BATCH, List.of("AAPL"), LocalDate.of(2024, 1, 2),
                        LocalDate.of(2024, 1, 3), Timespan.DAY, true, false, "test", "file:./data", List.of(),
                        "brief"),
                RunRecord.Totals.ZERO, RequestStats.NONE, Map.of(), Map.of(), Map.of(), List.of(), null);
    }

    @Test
    void aStreamsSegmentsLeaveNoFileBehindOnceCompactedNotEvenALockFile() throws IOException {
        for (int minute = 0; minute < 20; minute++) {
            store.appendSegment(Timespan.MINUTE, false, List.of(TestBars.untagged(TestBars.withAdjusted(
                    TestBars.minute("AAPL", LocalDateTime.of(2024, 1, 2, 9, 30 + minute)), false))), "run-1");
        }
        Path segments = root.resolve(StoreLayout.segmentsDirectory(Timespan.MINUTE, false));
        try (Stream<Path> files = Files.list(segments)) {
            assertThat(files.map(p -> p.getFileName().toString())).hasSize(20).noneMatch(n -> n.startsWith("."));
        }

        store.compact(Timespan.MINUTE, false);

        // A lock file per segment would pile up by the thousand a day, and every segment write scans the directory.
        try (Stream<Path> files = Files.list(segments)) {
            assertThat(files).isEmpty();
        }
        assertThat(store.read("AAPL", Timespan.MINUTE, false, LocalDate.of(2024, 1, 2), LocalDate.of(2024, 1, 2)))
                .hasSize(20);
    }

    @Test
    void tempFilesOfSegmentWritesKilledBeforeTheirRenameAreRemovedByTheNextWriter() throws IOException {
        Path segments = root.resolve(StoreLayout.segmentsDirectory(Timespan.MINUTE, false));
        Files.createDirectories(segments);
        // What a process killed between writing a segment's temp file and renaming it leaves: nothing else ever
        // removes it, since the segment's name was never published.
        Path stale = segments.resolve(".0001704205800000000-run-0.jsonl.k3j4q.tmp");
        Files.writeString(stale, "{\"ticker\":\"AA");
        Files.setLastModifiedTime(stale,
                FileTime.from(Instant.now().minus(FileStorage.STALE_TEMP_AGE.multipliedBy(2))));
        // A live writer's temp file (another process, mid-write) is seconds old and must be left alone.
        Path live = segments.resolve(".0001704205860000000-run-9.jsonl.x7.tmp");
        Files.writeString(live, "{\"ticker\":\"MS");

        store.appendSegment(Timespan.MINUTE, false, List.of(TestBars.untagged(TestBars.withAdjusted(
                TestBars.minute("AAPL", LocalDateTime.of(2024, 1, 2, 9, 30)), false))), "run-1");

        assertThat(stale).doesNotExist();
        assertThat(live).exists();
        assertThat(store.read("AAPL", Timespan.MINUTE, false, LocalDate.of(2024, 1, 2), LocalDate.of(2024, 1, 2)))
                .hasSize(1);
    }
}
