package dev.tickeretl.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickeretl.Bar;
import dev.tickeretl.RunRecord;
import dev.tickeretl.RunStatus;
import dev.tickeretl.StoreException;
import dev.tickeretl.Timespan;
import dev.tickeretl.spi.BarStore;
import dev.tickeretl.spi.JsonCodec;
import dev.tickeretl.spi.RequestStats;
import dev.tickeretl.spi.StoreLayout;
import dev.tickeretl.testkit.TestBars;
import java.io.IOException;
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
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the filesystem store does on disk, beyond the store contract. */
class FileStoreTest {

    private static final FileTime LONG_AGO = FileTime.from(Instant.parse("2001-01-01T00:00:00Z"));

    @TempDir
    Path tmp;

    private Path root;
    private BarStore store;

    @BeforeEach
    void openStore() {
        root = tmp.resolve("data");
        store = new FileStoreProvider().open(root.toUri(), Map.of());
    }

    @Test
    void filesAreExactlyWhereStoreLayoutSays() throws IOException {
        List<Bar> bars = new ArrayList<>(TestBars.weekdays("AAPL", LocalDate.of(2023, 12, 20),
                LocalDate.of(2024, 1, 10)));
        bars.addAll(TestBars.weekdays("BRK.A", LocalDate.of(2024, 1, 2), LocalDate.of(2024, 1, 3)));
        bars.add(TestBars.minute("AAPL", LocalDateTime.of(2024, 1, 2, 9, 30)));
        bars.add(TestBars.minute("AAPL", LocalDateTime.of(2024, 1, 3, 15, 59)));
        store.write(bars);
        store.putRun(run("20240103T120000000Z-0001", RunStatus.SUCCEEDED));

        Set<String> expected = bars.stream().map(StoreLayout::partitionOf).collect(Collectors.toCollection(
                TreeSet::new));
        expected.add(StoreLayout.runPath("20240103T120000000Z-0001"));
        assertThat(visibleFiles()).isEqualTo(expected).contains(
                "bars/timespan=day/ticker=AAPL/year=2023/bars.jsonl",
                "bars/timespan=day/ticker=AAPL/year=2024/bars.jsonl",
                "bars/timespan=day/ticker=BRK.A/year=2024/bars.jsonl",
                "bars/timespan=minute/ticker=AAPL/date=2024-01-02/bars.jsonl",
                "runs/20240103T120000000Z-0001.json");

        Path partition = root.resolve("bars/timespan=day/ticker=BRK.A/year=2024/bars.jsonl");
        assertThat(Files.readString(partition)).isEqualTo(JsonCodec.toJson(bars.get(bars.size() - 4)) + "\n"
                + JsonCodec.toJson(bars.get(bars.size() - 3)) + "\n");
        assertThat(JsonCodec.parseRun(Files.readAllBytes(root.resolve("runs/20240103T120000000Z-0001.json"))))
                .isEqualTo(run("20240103T120000000Z-0001", RunStatus.SUCCEEDED));
    }

    @Test
    void rerunningIdenticalBarsTouchesNoFileOnDisk() throws IOException {
        List<Bar> bars = TestBars.weekdays("AAPL", LocalDate.of(2022, 6, 1), LocalDate.of(2024, 6, 30));
        store.write(bars);
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                Files.setLastModifiedTime(p, LONG_AGO);
            }
        }
        Map<String, String> before = snapshot();

        BarStore secondRun = new FileStoreProvider().open(root.toUri(), Map.of());
        assertThat(secondRun.write(bars).filesWritten()).isZero();

        assertThat(snapshot()).isEqualTo(before);
        assertThat(before.values()).allMatch(s -> s.startsWith(LONG_AGO.toString()));
    }

    @Test
    void tempFilesOfAnInterruptedWriteAreRemovedByTheNextWriteOfThatPartition() throws IOException {
        Bar bar = TestBars.day("AAPL", LocalDate.of(2024, 3, 11));
        store.write(List.of(bar));
        Path dir = root.resolve(StoreLayout.partitionOf(bar)).getParent();
        Path debris = dir.resolve(".bars.jsonl.crashed1.tmp");
        Path emptyDebris = dir.resolve(".bars.jsonl.crashed2.tmp");
        Files.writeString(debris, "{\"ticker\":\"AAPL\",\"timesp");
        Files.createFile(emptyDebris);
        Path someoneElses = dir.resolve("notes.tmp");
        Files.writeString(someoneElses, "not ours");
        Path runDebris = root.resolve("runs/.20240103T120000000Z-0001.json.crashed3.tmp");
        Files.createDirectories(runDebris.getParent());
        Files.writeString(runDebris, "{\"run_id\":");

        assertThat(store.write(List.of(bar)).filesWritten()).as("unchanged data still cleans up").isZero();
        store.putRun(run("20240103T120000000Z-0002", RunStatus.RUNNING));

        assertThat(debris).doesNotExist();
        assertThat(emptyDebris).doesNotExist();
        assertThat(runDebris).doesNotExist();
        assertThat(someoneElses).as("only our own temp files are removed").exists();
        assertThat(store.read("AAPL", Timespan.DAY, bar.tradingDate(), bar.tradingDate())).containsExactly(bar);
    }

    @Test
    void writesLeaveNoTempFileBehind() throws IOException {
        for (int round = 0; round < 5; round++) {
            List<Bar> bars = new ArrayList<>();
            for (Bar b : TestBars.weekdays("AAPL", LocalDate.of(2023, 12, 1), LocalDate.of(2024, 1, 31))) {
                bars.add(TestBars.withVolume(b, b.volume() + round));
            }
            store.write(bars);
            store.putRun(run("20240103T120000000Z-000" + round, RunStatus.SUCCEEDED));
        }

        try (Stream<Path> all = Files.walk(root)) {
            assertThat(all.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void aPartitionThatIsNotJsonLinesIsReportedWithItsPathAndNotOverwritten() throws IOException {
        Bar bar = TestBars.day("AAPL", LocalDate.of(2024, 3, 11));
        Path partition = root.resolve(StoreLayout.partitionOf(bar));
        Files.createDirectories(partition.getParent());
        Files.writeString(partition, "ticker,close\nAAPL,1\n");

        assertThatThrownBy(() -> store.write(List.of(bar))).isInstanceOf(StoreException.class)
                .hasMessageContaining(partition.toString()).hasMessageContaining("not data-contract JSON Lines");
        assertThatThrownBy(() -> store.read("AAPL", Timespan.DAY, bar.tradingDate(), bar.tradingDate()))
                .isInstanceOf(StoreException.class).hasMessageContaining(partition.toString());
        assertThat(Files.readString(partition)).isEqualTo("ticker,close\nAAPL,1\n");
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
    void aTickerThatIsNotASymbolIsRefusedBeforeAnythingIsWritten() throws IOException {
        Bar good = TestBars.day("AAPL", LocalDate.of(2024, 3, 11));
        Bar escaping = TestBars.day("../../../etc", LocalDate.of(2024, 3, 11));

        assertThatThrownBy(() -> store.write(List.of(good, escaping))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ticker");
        assertThatThrownBy(() -> store.read("../AAPL", Timespan.DAY, LocalDate.of(2024, 1, 1),
                LocalDate.of(2024, 12, 31))).isInstanceOf(IllegalArgumentException.class);
        try (Stream<Path> all = Files.walk(tmp)) {
            assertThat(all.filter(Files::isRegularFile)).isEmpty();
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
        store.write(bars);

        assertThat(store.read("AAPL", Timespan.MINUTE, day.plusDays(1), day.plusDays(1)))
                .containsExactly(bars.get(2), bars.get(3));
        assertThat(store.read("AAPL", Timespan.MINUTE, day.plusDays(2), day)).isEmpty();
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

    private static RunRecord run(String id, RunStatus status) {
        Instant started = Instant.parse("2024-01-03T12:00:00Z");
        return new RunRecord(id, status, started, status == RunStatus.RUNNING ? null : started.plusSeconds(2),
                status == RunStatus.RUNNING ? null : 2000L,
                new RunRecord.RunParameters(List.of("AAPL"), LocalDate.of(2024, 1, 2), LocalDate.of(2024, 1, 3),
                        Timespan.DAY, true, false, "test", "file:./data", "default"),
                RunRecord.Totals.ZERO, RequestStats.NONE, Map.of(), List.of(), null);
    }
}
