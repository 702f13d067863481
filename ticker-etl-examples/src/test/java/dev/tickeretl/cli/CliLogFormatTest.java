package dev.tickeretl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;

/** The CLI's log lines on their own: JSON that parses, plain lines as documented, and no secret in any part. */
class CliLogFormatTest {

    private static final String KEY = "test-key-DO-NOT-LEAK-3f9a";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant AT = Instant.parse("2025-01-31T21:00:00.5Z");
    private static final String LOGGER = "dev.tickeretl.polygon.AggregatesClient";

    private static String render(LogFormat format, String message, Throwable error, boolean traces,
                                 Map<String, String> mdc, List<KeyValuePair> fields, String... secrets) {
        return CliLog.render(format, SecretMask.fromEnvironment(List.of(secrets)), AT, Level.WARN,
                "polygon-fetch-1", LOGGER, message, error, traces, mdc, fields);
    }

    @Test
    void aKeyIsMaskedInTheMessageTheMdcTheEventFieldsAndTheErrorOfBothFormats() throws Exception {
        String message = "GET /v2/aggs?apiKey=" + KEY + " -> 401, next " + URLEncoder.encode(KEY,
                StandardCharsets.UTF_8);
        IllegalStateException error = new IllegalStateException("server said: unknown key " + KEY);
        Map<String, String> mdc = Map.of("run_id", "r1", "request", "Bearer " + KEY);
        List<KeyValuePair> fields = List.of(new KeyValuePair("url", "https://api.massive.com/v2?k="
                + URLEncoder.encode(KEY + "/x", StandardCharsets.UTF_8)), new KeyValuePair("header", KEY));

        List<String> lines = new ArrayList<>();
        for (LogFormat format : LogFormat.values()) {
            for (boolean traces : new boolean[] {false, true}) {
                lines.add(render(format, message, error, traces, mdc, fields, KEY));
            }
        }

        assertThat(lines).allSatisfy(l -> assertThat(l).doesNotContain(KEY).contains(SecretMask.MASK));
        JsonNode node = JSON.readTree(lines.get(2));
        assertThat(node.get("message").asText()).isEqualTo("GET /v2/aggs?apiKey=<redacted> -> 401, next <redacted>");
        assertThat(node.get("request").asText()).isEqualTo("Bearer <redacted>");
        assertThat(node.get("header").asText()).isEqualTo("<redacted>");
        assertThat(node.get("exception").asText()).isEqualTo("IllegalStateException: server said: unknown key "
                + "<redacted>");
        assertThat(JSON.readTree(lines.get(3)).get("exception").asText()).as("the stack trace at debug")
                .contains("\tat dev.tickeretl.cli.CliLogFormatTest");
    }

    @Test
    void jsonIsOneParseableLineWhateverTheMessageHoldsWithFieldsInTheirTypes() throws Exception {
        Map<String, String> mdc = new LinkedHashMap<>();
        mdc.put("zone", "x");
        mdc.put("ticker", "BRK.A");
        mdc.put("run_id", "20250131T210000000Z-abcdef");
        List<KeyValuePair> fields = new ArrayList<>(List.of(new KeyValuePair("event", "ticker_finished"),
                new KeyValuePair("written", 252L), new KeyValuePair("ok", true), new KeyValuePair("error", null),
                new KeyValuePair("message", "a field may not replace the message")));

        String line = render(LogFormat.JSON, "a \"quoted\"\nsecond line\twith tab and \u00e9", null, false, mdc,
                fields);

        assertThat(line).doesNotContain("\n");
        JsonNode node = JSON.readTree(line);
        assertThat(node.get("timestamp").asText()).isEqualTo("2025-01-31T21:00:00.500Z");
        assertThat(node.get("level").asText()).isEqualTo("WARN");
        assertThat(node.get("logger").asText()).isEqualTo(LOGGER);
        assertThat(node.get("thread").asText()).isEqualTo("polygon-fetch-1");
        assertThat(node.get("message").asText()).isEqualTo("a \"quoted\"\nsecond line\twith tab and \u00e9");
        assertThat(node.get("run_id").asText()).isEqualTo("20250131T210000000Z-abcdef");
        assertThat(node.get("ticker").asText()).isEqualTo("BRK.A");
        assertThat(node.get("event").asText()).isEqualTo("ticker_finished");
        assertThat(node.get("written").isIntegralNumber()).isTrue();
        assertThat(node.get("ok").isBoolean()).isTrue();
        assertThat(node.has("error")).as("a null field is left out").isFalse();
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        assertThat(names).startsWith("timestamp", "level", "logger", "thread", "message", "run_id", "ticker");
    }

    @Test
    void plainLinesStartWithAnIsoUtcTimeTheLevelTheThreadAndTheLoggersShortNameAndShowNoEventFields() {
        String line = render(LogFormat.PLAIN, "Still waiting", null, false, Map.of("run_id", "r1"),
                List.of(new KeyValuePair("event", "notice")));

        assertThat(line).isEqualTo("2025-01-31T21:00:00.500Z WARN  [polygon-fetch-1] AggregatesClient - Still waiting");
    }
}
