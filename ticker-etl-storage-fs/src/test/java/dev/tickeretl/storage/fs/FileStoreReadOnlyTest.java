package dev.tickeretl.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickeretl.Bar;
import dev.tickeretl.RunRecord;
import dev.tickeretl.RunStatus;
import dev.tickeretl.Store;
import dev.tickeretl.StoreException;
import dev.tickeretl.Timespan;
import dev.tickeretl.internal.Coverage;
import dev.tickeretl.internal.DataStore;
import dev.tickeretl.internal.StoreLayout;
import dev.tickeretl.spi.ProviderContext;
import dev.tickeretl.spi.Storage;
import dev.tickeretl.testkit.TestBars;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening the filesystem store read-only (what {@link Store#open} does): it creates nothing, needs no write
 * permission, and a store that is not there is a one-line error.
 *
 * <p>Tests may run as root, whom permission bits do not stop. So besides taking write permission away (which proves
 * the point for any other user), each test checks what holds for root too: every file and directory keeps its
 * modification time, size and inode. A directory's modification time changes when an entry is created, renamed or
 * removed in it, so this also shows that no lock or temp file was made, not even for a moment.
 */
class FileStoreReadOnlyTest {

    private static final FileTime LONG_AGO = FileTime.from(Instant.parse("2001-01-01T00:00:00Z"));
    private static final ProviderContext NO_OPTIONS = ProviderContext.of(Map.of());
    private static final LocalDate FROM = LocalDate.of(2024, 3, 4);
    private static final LocalDate TO = LocalDate.of(2024, 3, 15);

    @TempDir
    Path tmp;

    @Test
    void aReadOnlyStoreReadsEverythingWithoutWritePermissionAndChangesNothingOnDisk() throws IOException {
        Path root = tmp.resolve("data");
        List<Bar> days = TestBars.weekdays("AAPL", FROM, TO);
        List<Bar> unadjustedDays = days.stream().map(b -> TestBars.withAdjusted(TestBars.withClose(b,
                b.close() * 4), false)).toList();
        List<Bar> minutes = List.of(TestBars.minute("AAPL", LocalDateTime.of(2024, 3, 15, 9, 30)),
                TestBars.minute("AAPL", LocalDateTime.of(2024, 3, 15, 9, 31)));
        RunRecord run = FileStoreTest.run("20240315T220000000Z-0001", RunStatus.SUCCEEDED);
        Instant committed = Instant.parse("2024-03-15T22:00:00Z");
        List<Bar> stored;
        try (DataStore writer = TestStores.open(root)) {
            List<Bar> all = new ArrayList<>(days);
            all.addAll(unadjustedDays);
            all.addAll(minutes);
            TestStores.write(writer, all);
            writer.putRun(run);
            writer.commit(Timespan.DAY, true, Map.of("AAPL", new DataStore.Commit(Map.of("through", TO.toString()),
                    List.of(new Coverage.Span(FROM, TO, committed)))), committed, run.runId());
            stored = writer.read("AAPL", Timespan.DAY, true, FROM, TO);
        }
        Map<String, String> before = ageAndSnapshot(root);
        setWritable(root, false);
        try {
            boolean permissionBitsIgnored = Files.isWritable(root);
            try (DataStore reader = TestStores.openReadOnly(root)) {
                assertThat(reader.read("AAPL", Timespan.DAY, true, FROM, TO)).isEqualTo(stored);
                assertThat(TestBars.untagged(reader.read("AAPL", Timespan.DAY, false, FROM, TO)))
                        .isEqualTo(TestBars.untagged(unadjustedDays));
                assertThat(reader.read("AAPL", Timespan.MINUTE, false, TO, TO)).isEqualTo(minutes);
                assertThat(reader.runs()).containsExactly(run);
                assertThat(reader.offsets(Timespan.DAY, true).partitions().get("AAPL").coverage())
                        .containsExactly(new Coverage.Span(FROM, TO, committed));
                assertThat(reader.storage().list("")).contains(StoreLayout.runPath(run.runId()));
            }
            try (Store store = Store.open(root.toString())) {
                assertThat(store.bars("AAPL", FROM, TO)).isEqualTo(stored);
                assertThat(store.bars("AAPL", Timespan.MINUTE, TO, TO)).isEqualTo(minutes);
                assertThat(store.runs()).extracting(RunRecord::runId).containsExactly(run.runId());
            }

            assertThat(snapshot(root)).as("no file or directory created, changed or removed%s",
                    permissionBitsIgnored ? " (running as root: permission bits did not apply, the snapshot is the proof)" : "")
                    .isEqualTo(before);
        } finally {
            setWritable(root, true);
        }
    }

    @Test
    void aReadOnlyStoreRefusesEveryWriteBeforeTouchingTheDisk() throws IOException {
        Path root = tmp.resolve("data");
        try (DataStore writer = TestStores.open(root)) {
            TestStores.write(writer, TestBars.weekdays("AAPL", FROM, TO));
        }
        Map<String, String> before = ageAndSnapshot(root);

        try (DataStore reader = TestStores.openReadOnly(root)) {
            Storage storage = reader.storage();
            assertThatThrownBy(() -> TestStores.write(reader, TestBars.weekdays("NVDA", FROM, TO)))
                    .isInstanceOf(StoreException.class).hasMessageContaining("read-only");
            assertThatThrownBy(() -> TestStores.write(reader, TestBars.weekdays("AAPL", FROM, TO.plusDays(7))))
                    .isInstanceOf(StoreException.class).hasMessageContaining("read-only");
            assertThatThrownBy(() -> reader.putRun(FileStoreTest.run("20240315T220000000Z-0002",
                    RunStatus.RUNNING))).isInstanceOf(StoreException.class).hasMessageContaining("read-only");
            assertThatThrownBy(() -> reader.commit(Timespan.MINUTE, false, Map.of("AAPL", new DataStore.Commit(
                    Map.of("n", "1"), List.of())), Instant.EPOCH, "r")).isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> storage.put("x/y.json", "{}".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(StoreException.class).hasMessageContaining(root.toString());
            assertThatThrownBy(() -> storage.delete(StoreLayout.partitionOf("AAPL", Timespan.DAY, true, FROM)))
                    .isInstanceOf(StoreException.class);
        }

        assertThat(snapshot(root)).as("no directory for the new ticker, no lock, no temp file").isEqualTo(before);
    }

    @Test
    void anEmptyStoreDirectoryReadsAsAnEmptyStoreAndStaysEmpty() throws IOException {
        Path root = Files.createDirectory(tmp.resolve("empty"));
        Map<String, String> before = ageAndSnapshot(root);

        try (DataStore reader = TestStores.openReadOnly(root)) {
            assertThat(reader.read("AAPL", Timespan.DAY, true, FROM, TO)).isEmpty();
            assertThat(reader.runs()).isEmpty();
            assertThat(reader.offsets(Timespan.DAY, true).partitions()).isEmpty();
            assertThat(reader.storage().list("")).isEmpty();
        }

        assertThat(snapshot(root)).isEqualTo(before);
    }

    @Test
    void aMissingStoreOpenedReadOnlyIsAOneLineErrorAndCreatesNothing() throws IOException {
        Path missing = tmp.resolve("typo/data");
        Map<String, String> before = ageAndSnapshot(tmp);

        assertThatThrownBy(() -> new FileStoreProvider().open(missing.toUri(), NO_OPTIONS, Storage.Access.READ_ONLY))
                .isInstanceOf(StoreException.class).hasMessage("store " + missing + " does not exist");
        assertThatThrownBy(() -> Store.open(missing.toString())).isInstanceOf(StoreException.class)
                .hasMessage("store " + missing + " does not exist");
        assertThatThrownBy(() -> Store.open(missing.toUri())).isInstanceOf(StoreException.class)
                .hasMessage("store " + missing + " does not exist");

        assertThat(snapshot(tmp)).as("not even the parent was created").isEqualTo(before);
    }

    /** Sets every modification time under {@code dir} long ago (so any change shows), then snapshots it. */
    private static Map<String, String> ageAndSnapshot(Path dir) throws IOException {
        List<Path> all;
        try (Stream<Path> walk = Files.walk(dir)) {
            all = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : all) {
            Files.setLastModifiedTime(p, LONG_AGO);
        }
        return snapshot(dir);
    }

    /** Path to modification time, size and inode of everything under {@code dir}, hidden files included. */
    private static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> state = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                state.put(dir.relativize(p).toString(), a.lastModifiedTime() + " " + a.size() + " " + a.fileKey());
            }
        }
        return state;
    }

    /** Takes write permission away from (or gives it back to) every file and directory under {@code dir}. */
    private static void setWritable(Path dir, boolean writable) throws IOException {
        List<Path> all;
        try (Stream<Path> walk = Files.walk(dir)) {
            all = walk.toList();
        }
        for (Path p : all) {
            boolean directory = Files.isDirectory(p);
            String mode = directory ? (writable ? "rwxr-xr-x" : "r-xr-xr-x") : (writable ? "rw-r--r--" : "r--r--r--");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        }
    }
}
