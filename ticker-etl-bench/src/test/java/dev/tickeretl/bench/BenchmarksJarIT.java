package dev.tickeretl.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** Runs after {@code package} (failsafe): inspects the runnable benchmarks jar. */
class BenchmarksJarIT {

    @Test
    void theBenchmarksJarCarriesNoTestFrameworkClass() throws IOException {
        Path jar = Path.of("target", "benchmarks.jar");
        assertThat(jar).as("built by the package phase").isRegularFile();

        List<String> entries;
        try (JarFile file = new JarFile(jar.toFile())) {
            entries = file.stream().map(ZipEntry::getName).toList();
        }

        assertThat(entries).contains("org/openjdk/jmh/Main.class", "dev/tickeretl/testkit/TestBars.class");
        assertThat(entries).filteredOn(name -> name.startsWith("org/junit/") || name.startsWith("org/assertj/")
                || name.startsWith("net/jqwik/") || name.startsWith("org/opentest4j/")
                || name.startsWith("org/apiguardian/")).isEmpty();
    }

    @Test
    void cpuSideBySideComparesTwoBuildsOfEachPathInOneJvm() throws Exception {
        String jar = Path.of("target", "benchmarks.jar").toAbsolutePath().toString();
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                jar, "dev.tickeretl.bench.CpuSideBySide", "2", "serialize,storeRead", "old=" + jar, "new=" + jar)
                .redirectErrorStream(true).start();
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("finished within 2 minutes").isTrue();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(child.exitValue()).as(out).isZero();
        // One row per path and build, the first build's ratio to itself exactly 1.
        assertThat(out.lines().filter(l -> l.startsWith("| serialize | ") || l.startsWith("| storeRead | ")))
                .as(out).hasSize(4)
                .anySatisfy(l -> assertThat(l).startsWith("| serialize | old |").endsWith("| 1.00 (1.00-1.00) |"))
                .anySatisfy(l -> assertThat(l).startsWith("| storeRead | new |"));
    }
}
