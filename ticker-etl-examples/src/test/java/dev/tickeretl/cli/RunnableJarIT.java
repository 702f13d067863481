package dev.tickeretl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** Runs after {@code package} (failsafe): inspects the shaded jar the launcher runs. */
class RunnableJarIT {

    /** Test frameworks and their support libraries: none belongs in a jar users run. */
    static final List<String> TEST_FRAMEWORKS =
            List.of("org/junit/", "org/assertj/", "net/jqwik/", "org/opentest4j/", "org/apiguardian/");

    @Test
    void theCliJarCarriesTheSimulatorButNoTestFrameworkClass() throws IOException {
        Path jar = Path.of("target", "ticker-etl.jar");
        assertThat(jar).as("built by the package phase").isRegularFile();

        List<String> entries;
        try (JarFile file = new JarFile(jar.toFile())) {
            entries = file.stream().map(ZipEntry::getName).toList();
        }

        assertThat(entries).contains("dev/tickeretl/cli/Main.class",
                "dev/tickeretl/simulator/PolygonSimulator.class",
                "dev/tickeretl/simulator/SimulatorSourceProvider.class");
        assertThat(entries).filteredOn(name -> TEST_FRAMEWORKS.stream().anyMatch(name::startsWith)).isEmpty();
        assertThat(Files.size(jar)).isPositive();
    }
}
