package dev.tickeretl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tickeretl.RunRecord;
import dev.tickeretl.Store;
import dev.tickeretl.simulator.PolygonSimulator;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What the CLI prints on standard error, in its own JVM with its own logging binding. */
class LogFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private String[] ingest(String... extra) {
        // No --source: without a key (CliProcess removes it) the CLI picks the simulator and says so.
        List<String> args = new ArrayList<>(List.of("ingest", "--from", "2025-01-02", "--to",
                "2025-01-10", "--store", dir.resolve("data").toString()));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private RunRecord lastRun() {
        try (Store s = Store.open(dir.resolve("data").toString())) {
            return s.runs().get(0);
        }
    }

    @Test
    @Timeout(180)
    void jsonLogsAreOneObjectPerLineWithTimeLevelLoggerMessageAndTheRunIdAndTickerWhereTheyBelong()
            throws Exception {
        // NVDA's bar of 2025-01-06 has its high below its low upstream: a data-quality warning about one ticker.
        CliProcess.Result r;
        try (PolygonSimulator upstream = PolygonSimulator.builder()
                .override("NVDA", java.time.LocalDate.of(2025, 1, 6), b -> b.withHigh(b.low() - 1)).start()) {
            r = CliProcess.run(dir, Map.of(), ingest("--tickers", "AAPL,MSFT,NVDA", "--log-format", "json",
                    "--source", "polygon", "--base-url", upstream.baseUrl(), "--source-option", "require-key=false"));
        }

        assertThat(r.exit()).as("partial: one invalid bar; %s", r.err()).isEqualTo(Main.EXIT_PARTIAL);
        String runId = lastRun().runId();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : r.err().split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            JsonNode node = JSON.readTree(line); // every line parses alone: JSON Lines
            assertThat(node.isObject()).as(line).isTrue();
            assertThat(Instant.parse(node.get("timestamp").asText())).as("ISO-8601 UTC").isNotNull();
            assertThat(node.get("timestamp").asText()).endsWith("Z");
            assertThat(node.get("level").asText()).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
            assertThat(node.get("logger").asText()).startsWith("dev.tickeretl.");
            assertThat(node.get("message").asText()).isNotBlank();
            lines.add(node);
        }
        assertThat(lines).as("run start and end, three tickers, one warning").hasSizeGreaterThanOrEqualTo(6);

        List<JsonNode> pipeline = lines.stream()
                .filter(n -> n.get("logger").asText().equals("dev.tickeretl.internal.Pipeline")).toList();
        assertThat(pipeline).isNotEmpty().allSatisfy(n -> assertThat(n.path("run_id").asText()).isEqualTo(runId));
        JsonNode finished = pipeline.stream().filter(n -> n.path("event").asText().equals("run_finished"))
                .findFirst().orElseThrow();
        assertThat(finished.path("status").asText()).isEqualTo("PARTIAL");
        assertThat(finished.path("duration_ms").isNumber()).isTrue();
        assertThat(finished.has("ticker")).as("the run's own lines name no ticker").isFalse();

        List<JsonNode> tickers = lines.stream().filter(n -> n.path("event").asText().equals("ticker_finished"))
                .toList();
        assertThat(tickers).extracting(n -> n.path("ticker").asText())
                .containsExactlyInAnyOrder("AAPL", "MSFT", "NVDA");
        assertThat(tickers).allSatisfy(n -> {
            assertThat(n.path("run_id").asText()).isEqualTo(runId);
            assertThat(n.path("message").asText()).contains(n.path("ticker").asText());
            assertThat(n.path("fetched").isNumber()).isTrue();
        });
        JsonNode warning = lines.stream().filter(n -> n.path("event").asText().equals("data_quality"))
                .findFirst().orElseThrow(() -> new AssertionError("no data-quality line in " + r.err()));
        assertThat(warning.path("level").asText()).isEqualTo("WARN");
        assertThat(warning.path("kind").asText()).isEqualTo("INVALID_BAR");
        assertThat(warning.path("ticker").asText()).isEqualTo("NVDA");
        assertThat(r.out()).as("the summary stays on standard output").contains("PARTIAL");
    }

    @Test
    @Timeout(180)
    void plainLogLinesCarryAnIsoUtcTimestampAndTheLevelComesFromTheEnvironment() throws Exception {
        CliProcess.Result info = CliProcess.run(dir, Map.of(CliLog.LEVEL_VARIABLE, "info"),
                ingest("--tickers", "AAPL"));
        CliProcess.Result quietDefault = CliProcess.run(dir, Map.of(), ingest("--tickers", "AAPL"));

        assertThat(info.exit()).as(info.err()).isZero();
        List<String> logLines = info.errLines().stream().filter(l -> l.matches("^\\d{4}-.*")).toList();
        assertThat(logLines).isNotEmpty().allSatisfy(l -> assertThat(l).matches(
                "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z (TRACE|DEBUG|INFO|WARN|ERROR) +\\[[^]]+] \\S+ - .+"));
        assertThat(logLines).anyMatch(l -> l.contains(" INFO  [") && l.contains("] Pipeline - run ")
                && l.contains(" started: "));
        // Default level warn: a clean run logs nothing, and the progress lines stay plain.
        assertThat(quietDefault.errLines()).noneMatch(l -> l.matches("^\\d{4}-.*"))
                .anyMatch(l -> l.startsWith("ticker AAPL SUCCEEDED"));
    }

    @Test
    @Timeout(180)
    void quietPrintsOnlyErrorsWhateverTheLevelAsked() throws Exception {
        CliProcess.Result quiet = CliProcess.run(dir, Map.of(CliLog.LEVEL_VARIABLE, "debug"),
                ingest("--tickers", "AAPL,ZZZZ", "--quiet", "--log-format", "json"));
        CliProcess.Result failing = CliProcess.run(dir, Map.of(), ingest("--tickers", "AAPL", "--quiet",
                "--log-format", "json", "--metrics-file", dir.resolve("not-prom.txt").toString()));

        assertThat(quiet.exit()).as(quiet.err()).isZero();
        assertThat(quiet.err()).as("a warning (NO_BARS) and debug lines are not errors").isEmpty();
        assertThat(quiet.out()).isEmpty();
        assertThat(failing.exit()).isEqualTo(Main.EXIT_USAGE);
        JsonNode error = JSON.readTree(failing.err().strip());
        assertThat(error.path("level").asText()).isEqualTo("ERROR");
        assertThat(error.path("message").asText()).contains("metrics-file").contains(".prom");
    }

    @Test
    @Timeout(180)
    void debugLevelFromTheEnvironmentStillWorksWithJson() throws Exception {
        CliProcess.Result r = CliProcess.run(dir, Map.of(CliLog.LEVEL_VARIABLE, "debug"),
                ingest("--tickers", "AAPL", "--log-format", "JSON"));

        assertThat(r.exit()).as(r.err()).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String l : r.errLines()) {
            lines.add(JSON.readTree(l));
        }
        assertThat(lines).anyMatch(n -> n.path("level").asText().equals("DEBUG"));
        assertThat(lines).as("the CLI's own notice is a log event too")
                .anyMatch(n -> n.path("event").asText().equals("notice")
                        && n.path("message").asText().contains("offline simulator"));
    }
}
