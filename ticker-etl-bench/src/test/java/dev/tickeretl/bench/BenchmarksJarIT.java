package dev.tickeretl.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
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
}
