package dev.tickeretl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

/** The CLI's log line encoder on its own: JSON that parses, and no secret in any part of a line. */
class LogLineEncoderTest {

    private static final String KEY = "test-key-DO-NOT-LEAK-3f9a";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LoggerContext context = new LoggerContext();

    private LoggingEvent event(String message, Throwable error) {
        LoggingEvent e = new LoggingEvent(LogLineEncoderTest.class.getName(),
                context.getLogger("dev.tickeretl.polygon.AggregatesClient"), Level.WARN, message, error, null);
        e.setInstant(Instant.parse("2025-01-31T21:00:00.5Z"));
        e.setThreadName("polygon-fetch-1");
        return e;
    }

    private static String encode(LogFormat format, LoggingEvent e, String... secrets) {
        LogLineEncoder encoder = new LogLineEncoder(format, SecretMask.fromEnvironment(List.of(secrets)));
        return new String(encoder.encode(e), StandardCharsets.UTF_8);
    }

    @Test
    void aKeyIsMaskedInTheMessageTheMdcTheEventFieldsAndTheStackTraceOfBothFormats() throws Exception {
        String encoded = URLEncoder.encode(KEY + "/x", StandardCharsets.UTF_8);
        LoggingEvent e = event("GET /v2/aggs?apiKey=" + KEY + " -> 401, next " + URLEncoder.encode(KEY,
                StandardCharsets.UTF_8), new IllegalStateException("server said: unknown key " + KEY));
        e.setMDCPropertyMap(Map.of("run_id", "r1", "request", "Bearer " + KEY));
        e.addKeyValuePair(new KeyValuePair("url", "https://api.massive.com/v2?k=" + encoded));
        e.addKeyValuePair(new KeyValuePair("header", KEY));

        String json = encode(LogFormat.JSON, e, KEY);
        String plain = encode(LogFormat.PLAIN, e, KEY);

        assertThat(json).doesNotContain(KEY).contains(SecretMask.MASK);
        assertThat(plain).doesNotContain(KEY).contains(SecretMask.MASK);
        JsonNode node = JSON.readTree(json);
        assertThat(node.get("message").asText()).isEqualTo("GET /v2/aggs?apiKey=<redacted> -> 401, next <redacted>");
        assertThat(node.get("request").asText()).isEqualTo("Bearer <redacted>");
        assertThat(node.get("header").asText()).isEqualTo("<redacted>");
        assertThat(node.get("exception").asText()).contains("IllegalStateException: server said: unknown key "
                + "<redacted>");
    }

    @Test
    void jsonIsOneParseableLineWhateverTheMessageHoldsWithFieldsInTheirTypes() throws Exception {
        LoggingEvent e = event("a \"quoted\"\nsecond line\twith tab and \u00e9", null);
        e.setMDCPropertyMap(Map.of("run_id", "20250131T210000000Z-abcdef", "ticker", "BRK.A"));
        e.addKeyValuePair(new KeyValuePair("event", "ticker_finished"));
        e.addKeyValuePair(new KeyValuePair("written", 252L));
        e.addKeyValuePair(new KeyValuePair("ok", true));
        e.addKeyValuePair(new KeyValuePair("error", null));
        e.addKeyValuePair(new KeyValuePair("message", "a field may not replace the message"));

        String line = encode(LogFormat.JSON, e);

        assertThat(line).endsWith("\n");
        assertThat(line.strip()).doesNotContain("\n");
        JsonNode node = JSON.readTree(line);
        assertThat(node.get("timestamp").asText()).isEqualTo("2025-01-31T21:00:00.500Z");
        assertThat(node.get("level").asText()).isEqualTo("WARN");
        assertThat(node.get("logger").asText()).isEqualTo("dev.tickeretl.polygon.AggregatesClient");
        assertThat(node.get("thread").asText()).isEqualTo("polygon-fetch-1");
        assertThat(node.get("message").asText()).isEqualTo("a \"quoted\"\nsecond line\twith tab and \u00e9");
        assertThat(node.get("run_id").asText()).isEqualTo("20250131T210000000Z-abcdef");
        assertThat(node.get("ticker").asText()).isEqualTo("BRK.A");
        assertThat(node.get("event").asText()).isEqualTo("ticker_finished");
        assertThat(node.get("written").isIntegralNumber()).isTrue();
        assertThat(node.get("ok").isBoolean()).isTrue();
        assertThat(node.has("error")).as("a null field is left out").isFalse();
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        assertThat(names).startsWith("timestamp", "level", "logger", "thread", "message", "run_id", "ticker");
    }

    @Test
    void plainLinesStartWithAnIsoUtcTimeTheLevelAndTheLoggersShortName() {
        String line = encode(LogFormat.PLAIN, event("Still waiting", null));

        assertThat(line).isEqualTo("2025-01-31T21:00:00.500Z WARN  AggregatesClient - Still waiting\n");
    }
}
