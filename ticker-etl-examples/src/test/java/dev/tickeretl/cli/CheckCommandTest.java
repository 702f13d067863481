package dev.tickeretl.cli;

import static dev.tickeretl.cli.CliRunner.cli;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tickeretl.Bar;
import dev.tickeretl.Phase;
import dev.tickeretl.RunRecord;
import dev.tickeretl.RunStatus;
import dev.tickeretl.TickerEtl;
import dev.tickeretl.Timespan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ticker-etl check} over a store a real simulator ingest made: clean, then with one problem planted at a time,
 * each listed with its file and line and exit 1; data-quality warnings exit 0 unless --strict; read-only.
 */
class CheckCommandTest {

    private static final String AAPL_2025 = "bars/timespan=day/ticker=AAPL/year=2025/bars.jsonl";
    private static final String MSFT_2025 = "bars/timespan=day/ticker=MSFT/year=2025/bars.jsonl";

    @TempDir
    Path dir;

    private Path store;

    @BeforeEach
    void ingest() {
        store = dir.resolve("data");
        CliRunner.Result r = cli("ingest", "--source", "simulator", "--tickers", "AAPL,MSFT", "--from", "2024-11-01",
                "--to", "2025-02-28", "--store", store.toString(), "--quiet");
        assertThat(r.exit()).as(r.err()).isZero();
    }

    private CliRunner.Result check(String... extra) {
        List<String> args = new ArrayList<>(List.of("check", "--store", store.toString()));
        args.addAll(List.of(extra));
        return cli(args.toArray(String[]::new));
    }

    private List<String> lines(String path) throws IOException {
        return new ArrayList<>(Files.readAllLines(store.resolve(path)));
    }

    private void write(String path, List<String> lines) throws IOException {
        Files.write(store.resolve(path), lines);
    }

    /** The finding lines (all but the summary). */
    private static List<String> findings(CliRunner.Result r) {
        List<String> lines = r.out().lines().toList();
        return lines.subList(0, lines.size() - 1);
    }

    @Test
    void aStoreARealIngestMadeIsCleanAndOnlyTheSummaryIsPrinted() {
        CliRunner.Result r = check();

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out().lines()).singleElement().asString().startsWith("check file:").contains(": clean")
                .contains("phases by brief (as run ");
        assertThat(r.err()).isEmpty();
        assertThat(check("--strict").exit()).isZero();
    }

    @Test
    void aPlantedDuplicateKeyIsAnErrorOnItsFileAndLine() throws IOException {
        List<String> lines = lines(AAPL_2025);
        lines.add(5, lines.get(4));
        write(AAPL_2025, lines);
        String date = Bar.parse(lines.get(4)).tradingDate().toString();

        CliRunner.Result r = check();

        assertThat(r.exit()).isEqualTo(1);
        assertThat(findings(r)).singleElement().asString().startsWith(AAPL_2025 + ":6: ERROR DUPLICATE_KEY AAPL "
                + date + ": key AAPL/day/").contains("repeats line 5");
        assertThat(r.out().lines().toList().get(1)).contains("1 errors, 0 warnings, 0 notes");
    }

    @Test
    void aLineOfAnotherTickerIsForeign() throws IOException {
        List<String> lines = lines(AAPL_2025);
        lines.add(10, lines(MSFT_2025).get(9));
        write(AAPL_2025, lines);

        CliRunner.Result r = check();

        assertThat(r.exit()).isEqualTo(1);
        assertThat(findings(r)).singleElement().asString().startsWith(AAPL_2025 + ":11: ERROR FOREIGN_LINE MSFT ")
                .endsWith("a MSFT bar in AAPL's partition; readers skip this line");
    }

    @Test
    void anEditedPriorVolumeIsStale() throws IOException {
        List<String> lines = lines(MSFT_2025);
        Bar bar = Bar.parse(lines.get(7));
        lines.set(7, bar.withPhase(bar.phase(), bar.priorVolume() * 2).toJson());
        write(MSFT_2025, lines);

        CliRunner.Result r = check();

        assertThat(r.exit()).isEqualTo(1);
        assertThat(findings(r)).singleElement().asString().startsWith(MSFT_2025 + ":8: ERROR STALE_PRIOR_VOLUME MSFT "
                + bar.tradingDate() + ": prior_volume " + bar.priorVolume() * 2 + ", but the previous session ")
                .endsWith(" has volume " + bar.priorVolume() + " stored");
    }

    @Test
    void anEditedPhaseIsWrong() throws IOException {
        List<String> lines = lines(AAPL_2025);
        Bar bar = Bar.parse(lines.get(12));
        Phase other = bar.phase() == Phase.NEUTRAL ? Phase.BULL : Phase.NEUTRAL;
        lines.set(12, bar.withPhase(other, bar.priorVolume()).toJson());
        write(AAPL_2025, lines);

        CliRunner.Result r = check();

        assertThat(r.exit()).isEqualTo(1);
        assertThat(findings(r)).singleElement().asString().startsWith(AAPL_2025 + ":13: ERROR WRONG_PHASE AAPL "
                + bar.tradingDate() + ": phase " + other.label() + ", but tagger 'brief' gives " + bar.phase()
                .label());
    }

    @Test
    void aBadSchemaVersionIsAnError() throws IOException {
        List<String> lines = lines(AAPL_2025);
        lines.set(2, lines.get(2).replace("\"schema_version\":1}", "\"schema_version\":7}"));
        write(AAPL_2025, lines);

        CliRunner.Result r = check();

        assertThat(r.exit()).isEqualTo(1);
        assertThat(findings(r)).singleElement().asString().startsWith(AAPL_2025 + ":3: ERROR SCHEMA_VERSION AAPL ")
                .endsWith("schema_version 7; this library reads and writes 1");
    }

    @Test
    void aStaleTickerIsAWarningThatFailsOnlyWithStrict() {
        assertThat(cli("ingest", "--source", "simulator", "--tickers", "AAPL", "--from", "2025-03-03", "--to",
                "2025-03-31", "--store", store.toString(), "--quiet").exit()).isZero();

        CliRunner.Result r = check();
        CliRunner.Result strict = check("--strict");
        CliRunner.Result errorsOnly = check("--min-severity", "ERROR");

        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(findings(r)).singleElement().asString().startsWith(MSFT_2025 + ": WARN STALE_TICKER MSFT"
                + " 2025-02-28: no bar in the last 3 sessions up to 2025-03-31");
        assertThat(r.out()).contains("0 errors, 1 warnings, 0 notes");
        assertThat(strict.exit()).isEqualTo(1);
        assertThat(errorsOnly.out().lines()).hasSize(1); // listed no more, still counted in the summary
        assertThat(errorsOnly.out()).contains("1 warnings");
        assertThat(check("--to", "2025-02-28").out().lines()).as("not stale at the end of February").hasSize(1);
    }

    @Test
    void jsonOutputIsOneObjectWithCountsAndFindings() throws IOException {
        List<String> lines = lines(AAPL_2025);
        lines.add(5, lines.get(4));
        write(AAPL_2025, lines);

        CliRunner.Result r = check("--format", "json");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out().lines()).hasSize(1);
        JsonNode report = new ObjectMapper().readTree(r.out());
        assertThat(report.get("counts").get("DUPLICATE_KEY").get("count").asInt()).isEqualTo(1);
        JsonNode finding = report.get("findings").get(0);
        assertThat(finding.get("file").asText()).isEqualTo(AAPL_2025);
        assertThat(finding.get("line").asInt()).isEqualTo(6);
        assertThat(finding.get("severity").asText()).isEqualTo("ERROR");
        assertThat(report.get("store").asText()).isEqualTo(store.toUri().toString().replaceAll("/$", ""));
    }

    @Test
    void checkingCreatesAndChangesNothing() throws IOException {
        Map<String, FileTime> before = snapshot(store);

        assertThat(check().exit()).isZero();
        assertThat(check("--timespan", "minute").exit()).isZero();

        assertThat(snapshot(store)).isEqualTo(before);
    }

    @Test
    void aMissingStoreIsOneLineExitOneAndIsNotCreated() {
        Path missing = dir.resolve("mistyped/path");

        CliRunner.Result r = cli("check", "--store", missing.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errLines()).singleElement().asString().contains("does not exist");
        assertThat(dir.resolve("mistyped")).doesNotExist();
    }

    @Test
    void badOptionsAreUsageErrorsNamingTheOption() {
        assertThat(check("--timespan", "week").err()).contains("timespan");
        assertThat(check("--timespan", "week").exit()).isEqualTo(2);
        assertThat(check("--from", "2025-02-01", "--to", "2025-01-01").err()).contains("from: 2025-02-01 is after");
        assertThat(check("--min-severity", "LOUD").exit()).isEqualTo(2);
        assertThat(check("--stale-sessions", "0").err()).contains("stale-sessions: must be between 1 and 260");
        assertThat(check("--source", "simulator").err()).contains("source: compares minute bars only");
        assertThat(check("--phase-tagger", "nope").err()).contains("unknown phase tagger 'nope'");
        assertThat(check("--tickers", "aapl/../x").exit()).isEqualTo(2);
    }

    @Test
    void minutesTheSourceHasAndTheStoreLacksAreGapsListedByTime() throws IOException {
        LocalDate day = LocalDate.of(2025, 1, 3);
        RunRecord run = TickerEtl.builder().tickers("AAPL").from(day).to(day).timespan(Timespan.MINUTE)
                .adjusted(false).source("simulator").store(store.toString()).shutdownHook(false).build().run();
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        String path = "bars-unadjusted/timespan=minute/ticker=AAPL/date=2025-01-03/bars.jsonl";
        List<String> lines = lines(path);
        // Remove the minutes starting 10:00, 10:01 and 10:02 New York.
        List<String> kept = lines.stream().filter(l -> !l.contains("\"start_et\":\"2025-01-03T10:0")
                || l.contains("T10:03") || l.contains("T10:04") || l.contains("T10:05") || l.contains("T10:06")
                || l.contains("T10:07") || l.contains("T10:08") || l.contains("T10:09")).toList();
        int removed = lines.size() - kept.size();
        write(path, kept);

        CliRunner.Result r = check("--timespan", "minute", "--from", "2025-01-03", "--to", "2025-01-03",
                "--source", "simulator");
        CliRunner.Result strict = check("--timespan", "minute", "--from", "2025-01-03", "--to", "2025-01-03",
                "--source", "simulator", "--strict");
        CliRunner.Result storeOnly = check("--timespan", "minute", "--from", "2025-01-03", "--to", "2025-01-03");

        assertThat(removed).isBetween(1, 3);
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(findings(r)).singleElement().asString().startsWith(path + ": WARN MINUTE_GAP AAPL 2025-01-03: "
                + removed + " regular-session minutes the source (simulator) has are not stored: 10:0");
        assertThat(strict.exit()).isEqualTo(1);
        assertThat(storeOnly.exit()).isZero();
        assertThat(findings(storeOnly)).singleElement().asString().startsWith(path
                + ": INFO SESSION_MINUTES_WITHOUT_BAR AAPL 2025-01-03: ").contains("10:00");
    }

    /** Every entry with its modification time: creating anything changes its directory's. */
    private static Map<String, FileTime> snapshot(Path root) throws IOException {
        Map<String, FileTime> all = new TreeMap<>();
        try (Stream<Path> entries = Files.walk(root)) {
            for (Path p : entries.toList()) {
                all.put(root.relativize(p).toString(), Files.getLastModifiedTime(p));
            }
        }
        return all;
    }
}
