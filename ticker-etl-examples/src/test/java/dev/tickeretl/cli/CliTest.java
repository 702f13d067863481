package dev.tickeretl.cli;

import static dev.tickeretl.cli.CliRunner.cli;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tickeretl.RunRecord;
import dev.tickeretl.RunStatus;
import dev.tickeretl.Store;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI end to end against the offline simulator and a file store in a temp directory. */
class CliTest {

    @TempDir
    Path dir;

    private String store() {
        return dir.resolve("data").toUri().toString();
    }

    private long dataFiles() throws IOException {
        Path bars = dir.resolve("data/bars");
        if (!Files.exists(bars)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(bars)) {
            return files.filter(p -> p.getFileName().toString().equals("bars.jsonl")).count();
        }
    }

    private List<Long> mtimes() throws IOException {
        List<Long> times = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir.resolve("data/bars"))) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                times.add(Files.getLastModifiedTime(p).toMillis());
            }
        }
        return times;
    }

    @Test
    void ingestsTheFiveDefaultTickersOfflineAndPrintsASummary() throws IOException {
        CliRunner.Result r = cli("ingest", "--source", "simulator", "--from", "2025-01-02", "--to", "2025-01-31",
                "--store", store());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("SUCCEEDED").contains("5 tickers");
        assertThat(dataFiles()).as("2025, and 2024 for each lookback bar (2024-12-31)").isEqualTo(10);
        try (Store s = Store.open(store())) {
            for (String t : List.of("AAPL", "MSFT", "NVDA", "AMZN", "GOOGL")) {
                assertThat(s.bars(t, LocalDate.of(2025, 1, 2), LocalDate.of(2025, 1, 31))).hasSize(20);
            }
        }
    }

    @Test
    void aSecondIdenticalRunWritesNoFileAndIncrementalMakesNoDataRequest() throws IOException {
        String[] args = {"ingest", "--source", "simulator", "--from", "2025-01-02", "--to", "2025-03-31",
                "--store", store()};
        assertThat(cli(args).exit()).isZero();
        List<Long> before = mtimes();

        CliRunner.Result again = cli(args);
        CliRunner.Result incremental = cli("ingest", "--source", "simulator", "--from", "2025-01-02", "--to", "2025-03-31",
                "--store", store(), "--incremental");

        assertThat(again.exit()).isZero();
        assertThat(mtimes()).isEqualTo(before);
        try (Store s = Store.open(store())) {
            List<RunRecord> runs = s.runs();
            RunRecord rerun = runs.get(1);
            assertThat(rerun.totals().filesWritten()).isZero();
            assertThat(rerun.totals().unchanged()).isEqualTo(rerun.totals().fetched()); // lookbacks are stored too
            RunRecord inc = runs.get(0);
            assertThat(inc.parameters().incremental()).isTrue();
            assertThat(inc.requests().dataRequests()).isZero();
            assertThat(inc.status()).isEqualTo(RunStatus.SUCCEEDED);
        }
        assertThat(incremental.exit()).isZero();
    }

    @Test
    void barsJsonlPrintsExactlyTheDataContract() throws IOException {
        cli("ingest", "--source", "simulator", "--tickers", "BRK.A", "--from", "2024-03-25", "--to", "2024-04-05",
                "--store", store());

        CliRunner.Result r = cli("bars", "--ticker", "BRK.A", "--from", "2024-03-25", "--to", "2024-04-05", "--format", "jsonl",
                "--store", store());

        assertThat(r.exit()).as(r.err()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines).hasSize(9); // Good Friday 2024-03-29 closed
        String stored = Files.readString(dir.resolve("data/bars/timespan=day/ticker=BRK.A/year=2024/bars.jsonl"));
        assertThat(stored).as("the lookback bar is stored too").startsWith("{\"ticker\":\"BRK.A\",\"timespan\":\"day\","
                + "\"trading_date\":\"2024-03-22\"");
        assertThat(r.out()).as("the stored lines of the range, byte for byte")
                .isEqualTo(stored.substring(stored.indexOf('\n') + 1));
        for (String line : lines) {
            JsonNode node = new ObjectMapper().readTree(line);
            List<String> fields = new ArrayList<>();
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                fields.add(it.next());
            }
            assertThat(fields).containsExactly("ticker", "timespan", "trading_date", "start_ms", "start_et",
                    "start_utc", "open", "high", "low", "close", "volume", "vwap", "transactions", "adjusted",
                    "prior_volume", "phase", "schema_version");
            assertThat(node.get("schema_version").asInt()).isEqualTo(1);
            assertThat(node.get("timespan").asText()).isEqualTo("day");
            assertThat(node.get("phase").asText()).isIn("Bull", "Bear", "Neutral");
            assertThat(node.get("start_et").asText()).matches("\\d{4}-\\d\\d-\\d\\dT00:00:00-0[45]:00");
            assertThat(node.get("start_utc").asText()).endsWith("Z");
        }
        // Monday after Good Friday is compared with Thursday's volume.
        JsonNode thursday = new ObjectMapper().readTree(lines[3]);
        JsonNode monday = new ObjectMapper().readTree(lines[4]);
        assertThat(thursday.get("trading_date").asText()).isEqualTo("2024-03-28");
        assertThat(monday.get("trading_date").asText()).isEqualTo("2024-04-01");
        assertThat(monday.get("prior_volume").asDouble()).isEqualTo(thursday.get("volume").asDouble());
    }

    @Test
    void runsListsHistoryNewestFirst() {
        cli("ingest", "--source", "simulator", "--tickers", "AAPL", "--from", "2025-01-02", "--to", "2025-01-10",
                "--store", store());
        cli("ingest", "--source", "simulator", "--tickers", "AAPL,MSFT", "--from", "2025-01-02", "--to", "2025-01-10",
                "--store", store());

        CliRunner.Result r = cli("runs", "--store", store());

        String[] lines = r.out().split("\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).startsWith("RUN_ID");
        assertThat(lines[1]).contains("SUCCEEDED").containsPattern("\\s2\\s");
        assertThat(lines[1].compareTo(lines[2])).isPositive();
    }

    @Test
    void usageErrorsNameTheFieldAndExitWithTwo() {
        assertThat(cli("ingest", "--tickers", "../x", "--store", store())).satisfies(r -> {
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("ticker").contains("../X");
        });
        assertThat(cli("ingest", "--from", "2025-02-01", "--to", "2025-01-01", "--store", store()))
                .satisfies(r -> {
                    assertThat(r.exit()).isEqualTo(2);
                    assertThat(r.err()).contains("from");
                });
        assertThat(cli("ingest", "--from", "2025-13-01", "--store", store())).satisfies(r -> {
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("--from").contains("2025-13-01");
        });
        assertThat(cli("ingest", "--from", "2099-01-02", "--to", "2099-01-03", "--store", store())).satisfies(r -> {
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("to").contains("future");
        });
        assertThat(cli("ingest", "--store", "ftp://host/x")).satisfies(r -> {
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("store scheme 'ftp'").contains("file");
        });
        assertThat(cli("bars", "--ticker", "AAPL", "--from", "2025-01-01")).satisfies(r ->
                assertThat(r.exit()).isEqualTo(2));
    }

    @Test
    void polygonWithoutAKeyIsOneUsageErrorLineAndRecordsNoRun() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("POLYGON_API_KEY") == null
                && System.getenv("MASSIVE_API_KEY") == null, "a key is set in this environment");

        CliRunner.Result r = cli("ingest", "--source", "polygon", "--tickers", "AAPL", "--from", "2025-01-02",
                "--to", "2025-01-03", "--store", store());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("api-key").contains("POLYGON_API_KEY");
        try (Store s = Store.open(store())) {
            assertThat(s.runs()).isEmpty();
        }
    }

    @Test
    void plainHttpToARemoteHostIsAUsageErrorNamingTheOptionThatAllowsIt() {
        CliRunner.Result r = cli("ingest", "--source", "polygon", "--base-url", "http://api.polygon.io",
                "--tickers", "AAPL", "--from", "2025-01-02", "--to", "2025-01-03", "--store", store());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("base-url").contains("cleartext")
                .contains("--allow-insecure-http");
        try (Store s = Store.open(store())) {
            assertThat(s.runs()).isEmpty();
        }
    }

    @Test
    void maxResponseBytesAndAllowInsecureHttpReachTheSourceWhichChecksThem() {
        CliRunner.Result ok = cli("ingest", "--source", "simulator", "--tickers", "AAPL", "--from", "2025-01-02",
                "--to", "2025-01-10", "--store", store(), "--max-response-bytes", "1048576", "--allow-insecure-http");
        assertThat(ok.exit()).as(ok.err()).isZero();

        CliRunner.Result tooSmall = cli("ingest", "--source", "simulator", "--store", store(),
                "--max-response-bytes", "10");
        assertThat(tooSmall.exit()).isEqualTo(2);
        assertThat(tooSmall.err()).contains("max-response-bytes");
    }

    @Test
    void rateLimitAndConcurrencyReachTheSourceWhichChecksThem() {
        CliRunner.Result ok = cli("ingest", "--source", "simulator", "--tickers", "AAPL,MSFT", "--from", "2025-01-02", "--to",
                "2025-01-10", "--store", store(), "--rate-limit", "50/PT1S", "--concurrency", "2");
        assertThat(ok.exit()).as(ok.err()).isZero();

        assertThat(cli("ingest", "--source", "simulator", "--store", store(), "--concurrency", "0")).satisfies(r -> {
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("concurrency");
        });
        assertThat(cli("ingest", "--source", "simulator", "--store", store(), "--rate-limit", "5 per second"))
                .satisfies(r -> {
                    assertThat(r.exit()).isEqualTo(2);
                    assertThat(r.err()).contains("rate-limit");
                });
        assertThat(cli("ingest", "--source", "simulator", "--store", store(), "--rate-limit", "5/PT1S",
                "--max-requests-per-minute", "5")).satisfies(r -> {
                    assertThat(r.exit()).isEqualTo(2);
                    assertThat(r.err()).contains("rate-limit").contains("max-requests-per-minute");
                });
    }

    @Test
    void baseUrlWithTheSimulatorIsAUsageErrorNamingTheOptionNotSilentlyDropped() throws IOException {
        CliRunner.Result r = cli("ingest", "--source", "simulator", "--tickers", "AAPL", "--from", "2025-01-02",
                "--to", "2025-01-03", "--store", store(), "--base-url", "http://127.0.0.1:9");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("base-url").contains("simulator");
        assertThat(dataFiles()).isZero();
    }

    @Test
    void defaultsToTheLatestCompletedTradingDay() {
        // Friday 2025-01-10 15:00 ET: the session is still open, so the latest completed day is Wednesday the 8th
        // (the 9th was the Carter closure).
        Clock clock = Clock.fixed(Instant.parse("2025-01-10T20:00:00Z"), ZoneOffset.UTC);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), clock);

        int exit = cli.execute("ingest", "--source", "simulator", "--tickers", "AAPL", "--store", store());

        assertThat(exit).as(err.toString()).isZero();
        try (Store s = Store.open(store())) {
            RunRecord run = s.runs().get(0);
            assertThat(run.parameters().from()).isEqualTo(LocalDate.of(2025, 1, 8));
            assertThat(run.parameters().to()).isEqualTo(LocalDate.of(2025, 1, 8));
        }
    }
}
