package dev.tickeretl.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.Bar;
import dev.tickeretl.Timespan;
import dev.tickeretl.internal.DataStore;
import dev.tickeretl.internal.OffsetsFile;
import dev.tickeretl.internal.StoreLayout;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writers in other processes: the OS file lock serialises them, and a killed one leaves nothing visible. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FileStoreProcessTest {

    private static final Logger LOG = LoggerFactory.getLogger(FileStoreProcessTest.class);

    @TempDir
    Path tmp;

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void stopChildren() throws InterruptedException {
        for (Process p : children) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSecondProcessWritingTheSamePartitionLosesNoUpdate() throws Exception {
        Path root = tmp.resolve("store");
        DataStore store = TestStores.open(root);
        int writes = 60;
        Process child = start("interleave", root.toString(), "1", String.valueOf(writes));
        BufferedReader out = reader(child);
        assertThat(out.readLine()).as(errors(child)).isEqualTo("ready");

        try (OutputStream in = child.getOutputStream()) {
            in.write("go\n".getBytes(StandardCharsets.UTF_8));
        }
        long[] mine = WriterProcess.interleave(store, 0, writes);
        String done = out.readLine();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(errors(child)).isZero();
        assertThat(done).as(errors(child)).startsWith("done ");
        String[] theirs = done.split(" ");
        long theirFirst = Long.parseLong(theirs[1]);
        long theirLast = Long.parseLong(theirs[2]);
        long theirInserted = Long.parseLong(theirs[3]);

        assertThat(theirFirst).as("the two processes wrote at the same time").isLessThan(mine[1]);
        assertThat(mine[0]).as("the two processes wrote at the same time").isLessThan(theirLast);
        int expected = 2 * writes + WriterProcess.SHARED_MINUTES;
        assertThat(mine[2] + theirInserted).as("each key inserted once, by one of the processes")
                .isEqualTo(expected);
        List<Bar> stored = store.read("AAPL", Timespan.MINUTE, false, WriterProcess.INTERLEAVE_DATE,
                WriterProcess.INTERLEAVE_DATE);
        assertThat(stored).hasSize(expected);
        for (int m = 0; m < 2 * writes; m++) {
            assertThat(stored.get(m)).isEqualTo(WriterProcess.minute(m));
        }
        Set<Double> shared = stored.subList(2 * writes, expected).stream().map(Bar::volume)
                .collect(Collectors.toSet());
        assertThat(shared).as("shared minutes hold one writer's last write, whole")
                .hasSize(1).containsAnyOf(1_000_000.0 + writes - 1, 2_000_000.0 + writes - 1);
        // Both processes committed into the dataset's one offsets file after each write: no commit was lost.
        OffsetsFile offsets = store.offsets(Timespan.MINUTE, false);
        for (int parity = 0; parity < 2; parity++) {
            for (int i = 0; i < writes; i++) {
                assertThat(offsets.partitions().get(WriterProcess.offsetTicker(parity, i)))
                        .as("offset %d of writer %d", i, parity).isNotNull()
                        .extracting(OffsetsFile.Progress::offset).isEqualTo(Map.of("written", String.valueOf(i)));
            }
        }
        assertThat(offsets.partitions()).hasSize(2 * writes);
    }

    @Test
    void aWriterKilledBetweenTempFileAndRenameLeavesNothingVisibleAndTheRerunEqualsACleanRun() throws Exception {
        Path root = tmp.resolve("store");
        List<Path> partitionDirs = WriterProcess.JOB_DAYS.stream()
                .map(day -> root.resolve(StoreLayout.partitionOf("MSFT", Timespan.MINUTE, false, day)).getParent())
                .toList();
        List<Path> left = List.of();
        for (int attempt = 1; attempt <= 5 && left.isEmpty(); attempt++) {
            Process child = start("job", root.toString());
            // Let it replace some partitions first, so the interrupted write is one over a complete file.
            BufferedReader out = reader(child);
            String line;
            do {
                line = out.readLine();
                assertThat(line).as("job output; " + errors(child)).isNotNull();
            } while (!line.equals("wrote 5"));
            // Kill it the moment one of its temp files exists: after it wrote new content, before the rename.
            while (child.isAlive() && tempFiles(partitionDirs).isEmpty()) {
                // Short naps, not a busy loop: the child needs the CPU to get there.
                LockSupport.parkNanos(200_000);
            }
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            left = tempFiles(partitionDirs);
            LOG.info("Attempt {}: killed the writer, temp files left: {}", attempt, left);
        }
        assertThat(left).as("a kill landed between a temp file and its rename").isNotEmpty();

        DataStore store = TestStores.open(root);
        for (LocalDate day : WriterProcess.JOB_DAYS) {
            List<Bar> stored = store.read("MSFT", Timespan.MINUTE, false, day, day);
            if (!stored.isEmpty()) {
                assertThat(isSomeRoundOf(stored, day)).as("partition %s holds one complete write", day).isTrue();
            }
        }

        WriterProcess.job(store, n -> { });
        DataStore clean = TestStores.open(tmp.resolve("clean"));
        WriterProcess.job(clean, n -> { });

        assertThat(debris(root)).as("the rerun removed every temp file").isEmpty();
        assertThat(dataFiles(root)).isEqualTo(dataFiles(tmp.resolve("clean")));
        for (LocalDate day : WriterProcess.JOB_DAYS) {
            assertThat(store.read("MSFT", Timespan.MINUTE, false, day, day))
                    .isEqualTo(clean.read("MSFT", Timespan.MINUTE, false, day, day))
                    .isEqualTo(WriterProcess.jobDay(day, WriterProcess.JOB_ROUNDS - 1));
        }
    }

    private static boolean isSomeRoundOf(List<Bar> stored, LocalDate day) {
        for (int round = 0; round < WriterProcess.JOB_ROUNDS; round++) {
            if (stored.equals(WriterProcess.jobDay(day, round))) {
                return true;
            }
        }
        return false;
    }

    private Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-Duser.timezone=Asia/Tokyo", "-cp", System.getProperty("java.class.path"),
                WriterProcess.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .redirectError(tmp.resolve("child-" + children.size() + ".err").toFile())
                .start();
        children.add(p);
        return p;
    }

    private static BufferedReader reader(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }

    /** The child's stderr, for assertion messages. */
    private String errors(Process p) {
        Path err = tmp.resolve("child-" + children.indexOf(p) + ".err");
        try {
            return "child stderr: " + (Files.exists(err) ? Files.readString(err) : "");
        } catch (IOException e) {
            return "child stderr unreadable: " + e;
        }
    }

    /** Our temp files in {@code dirs}, by name only: the writer may rename one while we look. */
    private static List<Path> tempFiles(List<Path> dirs) throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path dir : dirs) {
            if (Files.isDirectory(dir)) {
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, ".*.tmp")) {
                    entries.forEach(found::add);
                }
            }
        }
        return found;
    }

    private static List<Path> debris(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    /** Relative path to content of every partition and run file. */
    private static Map<String, String> dataFiles(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                if (p.getFileName().toString().equals(StoreLayout.FILE_NAME)) {
                    files.put(root.relativize(p).toString(), Files.readString(p));
                }
            }
        }
        assertThat(files).hasSize(WriterProcess.JOB_DAYS.size());
        return files;
    }
}
