package dev.tickeretl.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PolygonSimulatorMainTest {

    @Test
    void optionsConfigureTheSimulator() {
        PolygonSimulator.Builder builder = PolygonSimulatorMain.parse(new String[] {
                "--port", "0", "--seed", "9", "--page-size", "2", "--rate-limit", "5/PT2S", "--latency", "PT0.01S",
                "--delayed"});

        try (PolygonSimulator sim = builder.start()) {
            assertThat(sim.seed()).isEqualTo(9);
            Http.Answer answer = Http.get(sim.baseUrl() + "/v2/aggs/ticker/AAPL/range/1/day/2024-01-02/2024-01-31");
            assertThat(answer.json().get("resultsCount").asInt()).isEqualTo(2);
            assertThat(answer.json().get("status").asText()).isEqualTo("DELAYED");
            assertThat(sim.toString()).contains("rateLimit=5/" + Duration.ofSeconds(2));
        }
    }

    @Test
    void helpReturnsNoBuilder() {
        assertThat(PolygonSimulatorMain.parse(new String[] {"--help"})).isNull();
    }

    @Test
    void usageErrorsNameTheOption() {
        assertThatThrownBy(() -> PolygonSimulatorMain.parse(new String[] {"--rate-limit", "5"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--rate-limit");
        assertThatThrownBy(() -> PolygonSimulatorMain.parse(new String[] {"--latency", "50ms"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--latency");
        assertThatThrownBy(() -> PolygonSimulatorMain.parse(new String[] {"--port"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--port");
        assertThatThrownBy(() -> PolygonSimulatorMain.parse(new String[] {"--seed", "x"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--seed");
        assertThatThrownBy(() -> PolygonSimulatorMain.parse(new String[] {"--colour"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--colour");
    }
}
