package dev.tickeretl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.simulator.PolygonSimulator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API key, given as the CLI's users give it (the environment), never reaches standard output or error: not at
 * the most verbose level, not in JSON, not when the server echoes it back. The same key CI greps the build for.
 */
class SecretsInLogsTest {

    private static final String KEY = "test-key-DO-NOT-LEAK-3f9a";

    @TempDir
    Path dir;

    private String[] ingest(String baseUrl, String format) {
        return new String[] {"ingest", "--source", "polygon", "--base-url", baseUrl, "--tickers", "AAPL,MSFT",
                "--from", "2025-01-02", "--to", "2025-01-10", "--store", dir.resolve("data-" + format).toString(),
                "--log-format", format, "--retry-budget", "PT2S"};
    }

    @Test
    @Timeout(180)
    void aSuccessfulRunAtTraceLevelPrintsTheKeyNowhere() throws Exception {
        CliProcess.Result r;
        try (PolygonSimulator upstream = PolygonSimulator.builder().requireKey(KEY).start()) {
            r = CliProcess.run(dir, Map.of("POLYGON_API_KEY", KEY, CliLog.LEVEL_VARIABLE, "trace"),
                    ingest(upstream.baseUrl(), "json"));
        }

        assertThat(r.exit()).as("the key was accepted: %s", r.err()).isZero();
        assertThat(r.err()).as("the log really has request lines").contains("\"level\":\"DEBUG\"")
                .contains("/v2/aggs/ticker/AAPL");
        assertThat(r.out() + r.err()).doesNotContain(KEY);
    }

    @Test
    @Timeout(180)
    void aServerEchoingTheKeyBackLeavesNoKeyInPlainOrJsonLogs() throws Exception {
        List<String> authorizations = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<CliProcess.Result> results = new ArrayList<>();
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    authorizations.add(String.valueOf(request.getHeaders().get("Authorization")));
                    return new MockResponse.Builder().code(403).addHeader("Content-Type", "application/json")
                            .body("{\"status\":\"ERROR\",\"request_id\":\"x\",\"error\":\"API key '" + KEY
                                    + "' is not entitled to this data\"}").build();
                }
            });
            server.start(java.net.InetAddress.getLoopbackAddress(), 0);
            String base = server.url("/").toString().replaceAll("/$", "");
            for (String format : List.of("plain", "json")) {
                results.add(CliProcess.run(dir, Map.of("POLYGON_API_KEY", KEY, CliLog.LEVEL_VARIABLE, "trace"),
                        ingest(base, format)));
            }
        }

        assertThat(authorizations).isNotEmpty().containsOnly("Bearer " + KEY);
        for (CliProcess.Result r : results) {
            assertThat(r.exit()).as(r.err()).isNotZero();
            assertThat(r.out() + r.err()).as("the refusal is reported").contains("refused the API key")
                    .contains("not entitled").doesNotContain(KEY);
        }
    }
}
