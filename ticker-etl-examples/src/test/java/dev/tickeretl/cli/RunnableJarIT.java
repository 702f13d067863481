package dev.tickeretl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

    @Test
    void theCliJarRegistersTheCoresPhaseTaggerAndTheExamplePluginInOneServicesFile() throws IOException {
        try (JarFile file = new JarFile(Path.of("target", "ticker-etl.jar").toFile())) {
            ZipEntry services = file.getEntry("META-INF/services/dev.tickeretl.spi.PhaseTagger");
            assertThat(services).as("merged by the shade plugin").isNotNull();
            String text = new String(file.getInputStream(services).readAllBytes(), StandardCharsets.UTF_8);
            assertThat(text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")))
                    .containsExactlyInAnyOrder("dev.tickeretl.internal.BriefPhaseTagger",
                            "dev.tickeretl.examples.plugins.AverageVolumePhaseTagger");
        }
    }

    @Test
    void theCliJarBindsSlf4jToItsOwnProviderAlone() throws IOException {
        Path jar = Path.of("target", "ticker-etl.jar");
        String providers;
        List<String> entries;
        try (JarFile file = new JarFile(jar.toFile())) {
            entries = file.stream().map(ZipEntry::getName).toList();
            providers = new String(file.getInputStream(file.getEntry(
                    "META-INF/services/org.slf4j.spi.SLF4JServiceProvider")).readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
        }

        // Two bindings would make slf4j pick one and warn on every start.
        assertThat(providers.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")))
                .containsExactly("dev.tickeretl.cli.CliLogProvider");
        assertThat(entries).noneMatch(name -> name.startsWith("org/slf4j/simple/") || name.startsWith("ch/qos/"));
    }
}
