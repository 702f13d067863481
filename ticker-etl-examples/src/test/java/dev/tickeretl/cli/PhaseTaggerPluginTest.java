package dev.tickeretl.cli;

import static dev.tickeretl.cli.CliRunner.cli;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.Bar;
import dev.tickeretl.Phase;
import dev.tickeretl.RunRecord;
import dev.tickeretl.RunStatus;
import dev.tickeretl.Store;
import dev.tickeretl.TradingCalendar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's plugin example end to end: the examples' own phase tagger, registered only through its
 * META-INF/services file, picked by name on the command line, and what it stored.
 */
class PhaseTaggerPluginTest {

    private static final TradingCalendar NYSE = TradingCalendar.nyse();
    private static final LocalDate FROM = LocalDate.of(2025, 2, 3);
    private static final LocalDate TO = LocalDate.of(2025, 3, 31);
    /** The 20 sessions before 2025-02-03: every January session (the 9th and the 20th were closed). */
    private static final LocalDate LOOKBACK = LocalDate.of(2025, 1, 2);

    @TempDir
    Path dir;

    @Test
    void theReadmesIngestWithPhaseTaggerAvg20TagsEveryDayAgainstTheAverageVolumeOfTheTwentySessionsBefore()
            throws IOException {
        String store = dir.resolve("data").toUri().toString();
        List<String> command = readmeSection().lines().filter(l -> l.startsWith("./ticker-etl ingest ")).toList();
        assertThat(command).hasSize(1);
        List<String> args = new ArrayList<>(List.of(command.get(0).split(" +")));
        assertThat(args).containsSubsequence("--from", FROM.toString()).containsSubsequence("--to", TO.toString());
        args.remove(0); // ./ticker-etl
        args.addAll(List.of("--store", store)); // the README's default ./data, here in this test's directory

        CliRunner.Result r = cli(args.toArray(String[]::new));

        assertThat(r.exit()).as(r.err()).isZero();
        try (Store s = Store.open(store)) {
            RunRecord run = s.runs().get(0);
            assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(run.parameters().phaseTagger()).isEqualTo("avg20");

            int differFromBrief = 0;
            Map<Phase, Integer> seen = new HashMap<>();
            for (String ticker : List.of("AAPL", "MSFT")) {
                List<Bar> bars = s.bars(ticker, LOOKBACK.minusYears(1), TO);
                assertThat(bars.get(0).tradingDate()).as("the lookback was fetched too").isEqualTo(LOOKBACK);
                assertThat(bars).hasSize(NYSE.countTradingDays(LOOKBACK, TO));
                Map<LocalDate, Bar> byDate = new HashMap<>();
                bars.forEach(b -> byDate.put(b.tradingDate(), b));
                for (Bar bar : bars) {
                    Phase expected = avg20(bar, byDate);
                    assertThat(bar.phase()).as(ticker + " " + bar.tradingDate()).isEqualTo(expected);
                    seen.merge(expected, 1, Integer::sum);
                    if (expected != brief(bar, byDate)) {
                        differFromBrief++;
                    }
                }
            }
            assertThat(seen).as("the rule is exercised, not just Neutral").containsKeys(Phase.BULL, Phase.BEAR);
            assertThat(differFromBrief).as("bars where the default tagger would have said otherwise").isPositive();
        }
    }

    @Test
    void anUnknownPhaseTaggerIsAUsageErrorListingTheAvailableOnes() {
        CliRunner.Result r = cli("ingest", "--source", "simulator", "--tickers", "AAPL", "--from", "2025-02-03",
                "--to", "2025-02-07", "--phase-tagger", "avg200", "--store", dir.resolve("data").toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly(
                "ticker-etl: unknown phase tagger 'avg200'; available: avg20, brief");
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void theReadmeShowsTheExampleClassAsItIsAndItsServicesFile() throws IOException {
        String section = readmeSection();
        int code = section.indexOf("```java\n") + "```java\n".length();
        String java = section.substring(code, section.indexOf("\n```", code));
        Path examples = Path.of("").toAbsolutePath();

        assertThat(Files.readString(examples.resolve(
                "src/main/java/dev/tickeretl/examples/plugins/AverageVolumePhaseTagger.java"))).contains(java);
        assertThat(Files.readString(examples.resolve(
                "src/main/resources/META-INF/services/dev.tickeretl.spi.PhaseTagger")).strip())
                .isEqualTo("dev.tickeretl.examples.plugins.AverageVolumePhaseTagger")
                .isIn(section.lines().toList());
    }

    /** The README's section on plugins, up to the next section. */
    private static String readmeSection() throws IOException {
        String readme = Files.readString(Path.of("").toAbsolutePath().resolve("../README.md"));
        int start = readme.indexOf("## Write your own phase tagger, source or store");
        assertThat(start).as("the README has the section").isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    /** The rule as the README states it, written out independently of the tagger class. */
    private static Phase avg20(Bar bar, Map<LocalDate, Bar> byDate) {
        double sum = 0;
        LocalDate day = bar.tradingDate();
        for (int i = 0; i < 20; i++) {
            day = NYSE.previousTradingDay(day);
            Bar earlier = byDate.get(day);
            if (earlier == null) {
                return Phase.NEUTRAL;
            }
            sum += earlier.volume();
        }
        return direction(bar, bar.volume() > sum / 20);
    }

    private static Phase brief(Bar bar, Map<LocalDate, Bar> byDate) {
        Bar previous = byDate.get(NYSE.previousTradingDay(bar.tradingDate()));
        return direction(bar, previous != null && bar.volume() > previous.volume());
    }

    private static Phase direction(Bar bar, boolean volumeAbove) {
        if (!volumeAbove || bar.close() == bar.open()) {
            return Phase.NEUTRAL;
        }
        return bar.close() > bar.open() ? Phase.BULL : Phase.BEAR;
    }
}
