package dev.tickeretl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Runs after {@code package} (failsafe): every library jar of ours names its module as a module path reads it. */
class ModuleNamesIT {

    @Test
    void everyLibraryJarIsTheModuleDevTickeretlDotItsNameAndOnlyTheCoreIsExplicit() throws IOException {
        List<Path> jars = Arrays.stream(Files.readString(Path.of(System.getProperty("ticker-etl.runtime-classpath")))
                        .strip().split(File.pathSeparator))
                .map(Path::of).filter(p -> p.getFileName().toString().startsWith("ticker-etl-")).toList();

        Map<String, String> modules = new TreeMap<>();
        for (Path jar : jars) {
            assertThat(jar).as("a built jar").isRegularFile();
            ModuleDescriptor module = ModuleFinder.of(jar).findAll().stream().map(ModuleReference::descriptor)
                    .findFirst().orElseThrow();
            String artifact = jar.getFileName().toString().replaceAll("-\\d.*", "");
            modules.put(artifact, module.name() + (module.isAutomatic() ? "" : " (module-info)"));
        }

        assertThat(modules).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "ticker-etl-core", "dev.tickeretl.core (module-info)",
                "ticker-etl-kafka", "dev.tickeretl.kafka",
                "ticker-etl-metrics", "dev.tickeretl.metrics",
                "ticker-etl-polygon", "dev.tickeretl.polygon",
                "ticker-etl-server", "dev.tickeretl.server",
                "ticker-etl-simulator", "dev.tickeretl.simulator",
                "ticker-etl-storage-fs", "dev.tickeretl.storage.fs",
                "ticker-etl-storage-s3", "dev.tickeretl.storage.s3")));
    }
}
