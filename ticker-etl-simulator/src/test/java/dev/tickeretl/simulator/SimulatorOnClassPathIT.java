package dev.tickeretl.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application with only the core, the simulator and what they need at run time on its class path (no test
 * framework, no testkit, no store module) runs {@code source("simulator")}, in a JVM of its own.
 */
class SimulatorOnClassPathIT {

    /** Test frameworks and our testkit: none may be needed by an application that uses the simulator. */
    private static final List<String> NOT_WANTED = List.of("junit", "assertj", "jqwik", "opentest4j", "apiguardian",
            "ticker-etl-testkit", "ticker-etl-storage", "slf4j-simple");

    private static final String EMBEDDER = """
            import dev.tickeretl.RunRecord;
            import dev.tickeretl.Store;
            import dev.tickeretl.TickerEtl;
            import java.net.URI;
            import java.time.LocalDate;
            import java.util.Map;

            public class Embedder {
                public static void main(String[] args) {
                    LocalDate from = LocalDate.of(2025, 1, 2);
                    LocalDate to = LocalDate.of(2025, 1, 31);
                    URI store = URI.create("memory:embedder");
                    RunRecord run = TickerEtl.builder().tickers("AAPL", "MSFT").from(from).to(to)
                            .source("simulator", Map.of("seed", "7")).store(store).shutdownHook(false)
                            .build().run();
                    try (Store read = Store.open(store)) {
                        System.out.println(run.status() + " source=" + run.parameters().source()
                                + " AAPL=" + read.bars("AAPL", from, to).size()
                                + " MSFT=" + read.bars("MSFT", from, to).size());
                    }
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void sourceSimulatorRunsWithOnlyCoreTheSimulatorAndTheirRuntimeDependencies() throws IOException {
        List<Path> classPath = BuiltJars.simulatorAndRuntimeDependencies();
        List<String> names = classPath.stream().map(p -> p.getFileName().toString()).toList();
        assertThat(names).filteredOn(n -> n.startsWith("ticker-etl-")).extracting(n -> n.replaceAll("-\\d.*", ""))
                .containsExactlyInAnyOrder("ticker-etl-simulator", "ticker-etl-core", "ticker-etl-polygon");
        assertThat(names).filteredOn(n -> NOT_WANTED.stream().anyMatch(n::contains)).isEmpty();
        Path source = Files.writeString(dir.resolve("Embedder.java"), EMBEDDER);

        // The JDK's source launcher compiles and runs the file against exactly this class path.
        BuiltJars.Output run = BuiltJars.run(List.of(BuiltJars.java().toString(), "-Xmx256m",
                "-cp", BuiltJars.path(classPath), source.toString()), dir, Duration.ofMinutes(2));

        assertThat(run.exit()).as(run.err()).isZero();
        // January 2025: 21 sessions less the Carter closure on the 9th.
        assertThat(run.out().strip()).isEqualTo("SUCCEEDED source=simulator AAPL=20 MSFT=20");
    }
}
