package dev.tickeretl.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.Bar;
import dev.tickeretl.internal.DataStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several ingests, each a JVM with several writer threads, into one store over overlapping partitions. Linux checks
 * POSIX record locks for deadlock per process, not per thread: with a blocking lock, process A's thread waiting for
 * B's partition while A's other thread holds one that B's thread waits for looks like a cycle, and the kernel fails
 * one wait with EDEADLK ("Resource deadlock avoided") though each thread holds only one lock.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ConcurrentWriterProcessesTest {

    private static final int PROCESSES = 6;
    private static final int TRIALS = 5;

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
    void sixWriterProcessesOnOverlappingPartitionsAllSucceedAndLeaveTheStoreOfOneCleanRun() throws Exception {
        Path cleanRoot = tmp.resolve("clean");
        DataStore clean = IngestWriterProcess.open(cleanRoot);
        java.util.Map<String, List<Bar>> byTicker = new java.util.LinkedHashMap<>();
        for (Bar b : IngestWriterProcess.union(PROCESSES)) {
            byTicker.computeIfAbsent(b.ticker(), t -> new java.util.ArrayList<>()).add(b);
        }
        byTicker.values().forEach(bars -> IngestWriterProcess.write(clean, bars));
        Map<String, String> expected = dataFiles(cleanRoot);
        assertThat(expected).hasSize(2 * IngestWriterProcess.TICKERS.size());

        for (int trial = 1; trial <= TRIALS; trial++) {
            Path root = tmp.resolve("trial-" + trial);
            List<Process> writers = new ArrayList<>();
            for (int i = 0; i < PROCESSES; i++) {
                writers.add(start(root, i));
            }
            // Start together: the JVMs take longer to boot than to write.
            for (Process p : writers) {
                assertThat(reader(p).readLine()).as("trial %d: %s", trial, errors(p)).isEqualTo("ready");
            }
            for (Process p : writers) {
                try (OutputStream in = p.getOutputStream()) {
                    in.write("go\n".getBytes(StandardCharsets.UTF_8));
                }
            }
            for (Process p : writers) {
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("trial %d: writer finished", trial).isTrue();
                assertThat(p.exitValue()).as("trial %d: writer exit; %s", trial, errors(p)).isZero();
            }
            assertThat(dataFiles(root)).as("trial %d: the store of one clean run", trial).isEqualTo(expected);
            assertThat(tempFiles(root)).as("trial %d: no temp file left", trial).isEmpty();
        }
    }

    private Process start(Path root, int index) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Duser.timezone=Asia/Tokyo",
                "-cp", System.getProperty("java.class.path"), IngestWriterProcess.class.getName(),
                root.toString(), String.valueOf(index));
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

    /** Relative path to content of every partition file. */
    private static Map<String, String> dataFiles(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                if (p.getFileName().toString().endsWith(".jsonl")) {
                    files.put(root.relativize(p).toString(), Files.readString(p));
                }
            }
        }
        return files;
    }

    private static List<Path> tempFiles(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }
}
