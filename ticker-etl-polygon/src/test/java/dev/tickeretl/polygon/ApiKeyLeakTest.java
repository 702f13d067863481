package dev.tickeretl.polygon;

import static dev.tickeretl.polygon.Fixtures.D1;
import static dev.tickeretl.polygon.Fixtures.KEY;
import static dev.tickeretl.polygon.Fixtures.days;
import static dev.tickeretl.polygon.Fixtures.fast;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickeretl.spi.SourceEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

/**
 * The key goes out only as {@code Authorization: Bearer} and is never written anywhere: not in a URL, an event, an
 * exception message or a log line, even when a server echoes it back in an error body.
 */
class ApiKeyLeakTest {

    /** Where simplelogger.properties sends every log line of this test JVM (DEBUG for dev.tickeretl). */
    private static final Path LOG = Path.of("target", "polygon-tests.log");

    @Test
    void theKeyAppearsInNoUrlEventExceptionOrLogLineEvenWhenTheServerEchoesIt() throws Exception {
        List<String> userVisible = new ArrayList<>();
        try (MockWebServer server = new MockWebServer()) {
            ScriptedPolygon polygon = new ScriptedPolygon();
            server.setDispatcher(polygon);
            server.start();
            String echo = "{\"status\":\"ERROR\",\"error\":\"API key '" + KEY + "' is not entitled\"}";
            polygon.answer("AAPL", new MockResponse.Builder().code(429).build(), Json.json(404, echo));
            polygon.answer("MSFT", Json.json(503, echo));
            polygon.answer("NVDA", Json.json(200, "{\"status\":\"OK\", " + KEY + "}"));
            polygon.answer("AMZN", Json.ok("AMZN", D1));

            Drained run;
            try (PolygonSource source = fast(server).retryBudget(Duration.ofMillis(300)).build()) {
                run = Drained.run(source, days("AAPL", "MSFT", "NVDA", "AMZN"));
                userVisible.add(source.toString());
            }
            run.events().forEach(e -> userVisible.add(e.toString()));
            assertThat(run.failed()).containsOnlyKeys("AAPL", "MSFT", "NVDA");
            assertThat(run.failed().get("AAPL")).contains("HTTP 404").contains("<redacted>");
            assertThat(run.done()).containsExactly("AMZN");

            ScriptedPolygon unauthorized = new ScriptedPolygon();
            server.setDispatcher(unauthorized);
            unauthorized.answer("AAPL", Json.json(401, echo));
            try (PolygonSource source = fast(server).build()) {
                Drained rejected = Drained.run(source, days("AAPL"));
                assertThat(rejected.failure()).isNotNull();
                userVisible.add(rejected.failure().getMessage());
                userVisible.add(rejected.failure().toString());
            }

            List<ScriptedPolygon.Arrival> arrivals = new ArrayList<>(polygon.arrivals());
            arrivals.addAll(unauthorized.arrivals());
            assertThat(arrivals).isNotEmpty();
            assertThat(arrivals).extracting(ScriptedPolygon.Arrival::authorization).containsOnly("Bearer " + KEY);
            assertThat(arrivals).extracting(ScriptedPolygon.Arrival::target).noneMatch(t -> t.contains(KEY));
        }

        assertThat(userVisible).isNotEmpty().noneMatch(text -> text.contains(KEY));
        String logs = Files.readString(LOG, StandardCharsets.UTF_8);
        // Proves the log really captured this run (so "no key in it" means something).
        assertThat(logs).contains("HTTP 429 Too Many Requests").contains("HTTP 404 Not Found")
                .contains("Polygon refused the API key");
        assertThat(logs).doesNotContain(KEY);
    }

    @Test
    void noToStringShowsTheKey() {
        PolygonSource source = PolygonSource.builder().apiKey(KEY).build();

        assertThat(source.toString()).doesNotContain(KEY);
        assertThat(source.settings().toString()).doesNotContain(KEY);
        assertThat(source.settings().apiKey().toString()).doesNotContain(KEY);
        assertThat(source.settings().apiKey().bearer()).isEqualTo("Bearer " + KEY);
    }

    @Test
    void aKeyAHeaderCannotCarryIsRejectedWithoutQuotingIt() {
        assertThatThrownBy(() -> PolygonSource.builder().apiKey(KEY + "\nX-Injected: 1").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("api-key:")
                .hasMessageNotContaining(KEY);
    }

    @Test
    void warningsAndInvalidReasonsCarryNoKeyEither() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            ScriptedPolygon polygon = new ScriptedPolygon();
            server.setDispatcher(polygon);
            server.start();
            polygon.answer("AAPL", Json.json(200, Json.page("AAPL", "DELAYED", null, "{\"o\":1}")));

            Drained run;
            try (PolygonSource source = fast(server).build()) {
                run = Drained.run(source, days("AAPL"));
            }

            assertThat(run.warnings()).hasSize(1);
            assertThat(run.invalid()).hasSize(1);
            assertThat(run.events()).extracting(SourceEvent::toString).noneMatch(s -> s.contains(KEY));
        }
    }
}
