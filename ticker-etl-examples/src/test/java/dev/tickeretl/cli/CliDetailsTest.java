package dev.tickeretl.cli;

import static dev.tickeretl.cli.CliRunner.cli;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.RunRecord;
import dev.tickeretl.RunStatus;
import dev.tickeretl.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a new user hit in the first ten minutes (issue 10, point 8), each as the user sees it. */
class CliDetailsTest {

    private static final String ISO_UTC_STAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

    @TempDir
    Path dir;

    private String store() {
        return dir.resolve("data").toUri().toString();
    }

    @Test
    void runsLimitBelowOneIsAUsageErrorNamingTheOption() {
        for (String limit : new String[] {"-1", "0"}) {
            CliRunner.Result r = cli("runs", "--limit", limit, "--store", store());
            assertThat(r.exit()).as(r.err()).isEqualTo(2);
            assertThat(r.errLines()).singleElement().asString().contains("--limit").contains(limit);
        }
    }

    @Test
    void barsHelpSaysFromAndToAreInclusive() {
        CliRunner.Result r = cli("bars", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).containsPattern("--from=YYYY-MM-DD\\s+First trading date to show, inclusive")
                .containsPattern("--to=YYYY-MM-DD\\s+Last trading date to show, inclusive");
    }

    @Test
    void everyCommandsHelpListsItsExitCodesAndExamples() {
        for (String command : new String[] {"ingest", "runs", "bars"}) {
            CliRunner.Result r = cli(command, "--help");
            assertThat(r.exit()).isZero();
            assertThat(r.out()).as(command).contains("Exit codes:").contains("  2   usage error")
                    .contains("Examples:").contains("  ticker-etl " + command);
            assertThat(r.out().lines()).as(command + ": no line wider than a terminal")
                    .allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));
        }
        assertThat(cli("ingest", "--help").out()).contains("3   partial");
        assertThat(cli("--help").out()).contains("Exit codes:").contains("Examples:").contains("ingest")
                .contains("runs").contains("bars");
    }

    @Test
    void aWeekendOnlyRangeSaysNoTradingDaysInRangeAndRecordsNoRun() {
        CliRunner.Result r = cli("ingest", "--source", "simulator", "--from", "2025-01-04", "--to", "2025-01-05",
                "--store", store());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString()
                .contains("no trading days in range 2025-01-04..2025-01-05").contains("weekend");
        assertThat(dir.resolve("data")).as("no run recorded, no store created").doesNotExist();
    }

    @Test
    void aHolidayOnlyRangeNamesTheHolidayForIngestAndBars() {
        CliRunner.Result ingest = cli("ingest", "--source", "simulator", "--from", "2025-12-25", "--to",
                "2025-12-25", "--store", store());
        CliRunner.Result bars = cli("bars", "--ticker", "AAPL", "--from", "2025-04-18", "--to", "2025-04-20",
                "--store", store());

        assertThat(ingest.exit()).isEqualTo(2);
        assertThat(ingest.err()).contains("no trading days in range 2025-12-25..2025-12-25 (2025-12-25 Christmas Day)");
        assertThat(bars.exit()).isEqualTo(2);
        assertThat(bars.err()).contains("no trading days in range 2025-04-18..2025-04-20 (2025-04-18 Good Friday, "
                + "weekend)");
        assertThat(bars.out()).isEmpty();
    }

    @Test
    void datesOutsideTheCalendarsVerifiedYearsAreUsageErrorsNamingTheFieldAndTheYears() {
        CliRunner.Result early = cli("ingest", "--source", "simulator", "--from", "1999-12-30", "--to",
                "2000-01-05", "--store", store());
        CliRunner.Result late = cli("bars", "--ticker", "AAPL", "--from", "2035-12-31", "--to", "2036-01-02",
                "--store", store());

        assertThat(early.exit()).isEqualTo(2);
        assertThat(early.errLines()).singleElement().asString().startsWith("ticker-etl: from: 1999-12-30")
                .contains("verified").contains("2000-2035");
        assertThat(late.exit()).isEqualTo(2);
        assertThat(late.errLines()).singleElement().asString().startsWith("ticker-etl: to: 2036-01-02")
                .contains("2000-2035");
        assertThat(cli("ingest", "--source", "simulator", "--tickers", "AAPL", "--from", "2000-01-03", "--to",
                "2000-01-05", "--store", store()).exit()).isZero();
    }

    @Test
    void aStoreErrorIsOneTimestampedLogLineWithoutStackTraceAndSaysStoreOnce() throws IOException {
        // A directory where AAPL's partition file belongs: that ticker's write fails, MSFT's succeeds.
        Files.createDirectories(dir.resolve("data/bars/timespan=day/ticker=AAPL/year=2025/bars.jsonl"));

        CliRunner.Result r = cli("ingest", "--source", "simulator", "--tickers", "AAPL,MSFT", "--from", "2025-01-02",
                "--to", "2025-01-03", "--store", store());

        assertThat(r.exit()).as(r.err()).isEqualTo(3);
        assertThat(r.err()).doesNotContain("\tat ").doesNotContain("store: store");
        assertThat(r.errLines()).filteredOn(l -> l.contains("ERROR")).singleElement().asString()
                .matches(ISO_UTC_STAMP + " ERROR \\[[^]]+] Pipeline - storing AAPL failed: store file:.*: cannot "
                        + "(read|write) .*bars\\.jsonl.*");
        try (Store s = Store.open(store())) {
            RunRecord run = s.runs().get(0);
            assertThat(run.status()).isEqualTo(RunStatus.PARTIAL);
            assertThat(run.tickers().get("AAPL").error()).startsWith("store file:").doesNotContain("store: store");
        }
    }

    @Test
    void quietLeavesOnlyTheErrorLine() throws IOException {
        Files.createDirectories(dir.resolve("data/bars/timespan=day/ticker=AAPL/year=2025/bars.jsonl"));

        CliRunner.Result r = cli("ingest", "--source", "simulator", "--tickers", "AAPL,MSFT", "--from", "2025-01-02",
                "--to", "2025-01-03", "--store", store(), "--quiet");

        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).singleElement().asString().contains("ERROR").contains("storing AAPL failed");
    }

    @Test
    void aStoreReadErrorIsOneLineWithExitOne() throws IOException {
        Files.createDirectories(dir.resolve("data/bars/timespan=day/ticker=AAPL/year=2025/bars.jsonl"));

        CliRunner.Result r = cli("bars", "--ticker", "AAPL", "--from", "2025-01-02", "--to", "2025-01-03",
                "--store", store());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errLines()).singleElement().asString().startsWith("ticker-etl: store file:")
                .contains("cannot read").contains("bars.jsonl").contains("Is a directory");
    }
}
