package dev.tickeretl.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
    void streamOptionsSetTheMarketClockUniverseFeedAndScheduledDrops() throws InterruptedException {
        PolygonSimulator.Builder builder = PolygonSimulatorMain.parse(new String[] {
                "--market-clock", "2025-03-03T14:30:00Z", "--speed", "0", "--universe", "10", "--revisions", "0",
                "--events-per-message", "4", "--drop-every", "PT5M"});

        try (PolygonSimulator sim = builder.start();
             StreamClient client = StreamClient.authenticated(sim.webSocketUrl(), "k")) {
            assertThat(sim.marketTime()).isEqualTo(Instant.parse("2025-03-03T14:30:00Z"));
            assertThat(sim.universe()).hasSize(10);
            client.subscribe("AM.*");

            sim.advanceMarketClock(Duration.ofMinutes(1));
            assertThat(client.next().json()).hasSize(4); // 10 symbols trade at the open: 4 + 4 + 2
            assertThat(client.next().json()).hasSize(4);
            assertThat(client.next().json()).hasSize(2);
            sim.advanceMarketClock(Duration.ofMinutes(4));

            assertThat(client.awaitEnd()).as("dropped at 09:35, without a close frame").isEqualTo(-1);
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
        for (String[] bad : List.of(new String[] {"--speed", "-1"}, new String[] {"--revisions", "2"},
                new String[] {"--out-of-order", "x"}, new String[] {"--market-clock", "yesterday"},
                new String[] {"--universe", "0"}, new String[] {"--drop-every", "PT0S"},
                new String[] {"--fragment-bytes", "0"}, new String[] {"--fault-rate", "1.5"})) {
            assertThatThrownBy(() -> PolygonSimulatorMain.parse(bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(bad[0] + ":");
        }
    }
}
