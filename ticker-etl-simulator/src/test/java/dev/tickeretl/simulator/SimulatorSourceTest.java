package dev.tickeretl.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickeretl.Bar;
import dev.tickeretl.RunRecord;
import dev.tickeretl.RunStatus;
import dev.tickeretl.Store;
import dev.tickeretl.TickerEtl;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code simulator} source as an embedder uses it. This module's test class path holds core, the simulator, the
 * Polygon source it reads through and the file store, and no testkit: what an application needs.
 */
class SimulatorSourceTest {

    @TempDir
    Path dir;

    @Test
    void sourceSimulatorRunsWithOnlyCoreSimulatorPolygonAndAStoreOnTheClassPath() {
        assertThatThrownBy(() -> Class.forName("dev.tickeretl.testkit.StoreContract"))
                .as("the testkit is not on this class path").isInstanceOf(ClassNotFoundException.class);
        LocalDate from = LocalDate.of(2025, 1, 2);
        LocalDate to = LocalDate.of(2025, 1, 31);

        RunRecord run = TickerEtl.builder()
                .tickers("AAPL", "MSFT")
                .from(from).to(to)
                .source("simulator", Map.of("seed", "7"))
                .store(dir.toUri())
                .build().run();

        assertThat(run.status()).as(run.toString()).isEqualTo(RunStatus.SUCCEEDED);
        try (Store store = Store.open(dir.toUri());
             PolygonSimulator truth = PolygonSimulator.builder().seed(7).start()) {
            List<Bar> aapl = store.bars("AAPL", from, to);
            assertThat(aapl).hasSize(20); // January 2025: 21 sessions less the Carter closure on the 9th
            for (Bar bar : aapl) {
                SimulatedBar expected = truth.dailyBar("AAPL", bar.tradingDate(), true).orElseThrow();
                assertThat(bar.close()).isEqualTo(expected.close());
                assertThat(bar.volume()).isEqualTo(expected.volume());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"base-url", "api-key", "require-key"})
    void optionsTheSimulatorCannotHonourAreRefusedNamingTheOption(String option) {
        SimulatorSourceProvider provider = new SimulatorSourceProvider();

        assertThatThrownBy(() -> provider.open(dev.tickeretl.spi.ProviderContext.of(Map.of(option, "x"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(option + ":");
    }

    @Test
    void polygonOptionsThatShapeFetchingStillReachThePolygonSource() {
        assertThatThrownBy(() -> new SimulatorSourceProvider().open(dev.tickeretl.spi.ProviderContext.of(Map.of("concurrency", "0"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("concurrency");
        assertThatThrownBy(() -> new SimulatorSourceProvider().open(dev.tickeretl.spi.ProviderContext.of(Map.of("seed", "forty-two"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seed");
    }
}
