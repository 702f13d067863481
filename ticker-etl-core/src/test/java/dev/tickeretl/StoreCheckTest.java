package dev.tickeretl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickeretl.internal.DataStore;
import dev.tickeretl.spi.PhaseTagger;
import dev.tickeretl.spi.RawBar;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Store#check}: each store invariant and data-quality rule finds its planted problem, and nothing else. */
class StoreCheckTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-15T21:00:00Z"), ZoneOffset.UTC);
    private static final LocalDate JAN_2 = LocalDate.of(2025, 1, 2);
    private static final LocalDate JAN_31 = LocalDate.of(2025, 1, 31);
    private static final String AAPL_2025 = "bars/timespan=day/ticker=AAPL/year=2025/bars.jsonl";

    private final FakeUpstream upstream = new FakeUpstream();
    private final TestStorage storage = TestStorage.create();

    private void ingest(String... tickers) {
        ingest(TickerEtl.builder(), tickers);
    }

    private void ingest(TickerEtl.Builder builder, String... tickers) {
        RunRecord r = builder.tickers(tickers).from(JAN_2).to(JAN_31).source(upstream.source()).store(TestStorage.PROVIDER, storage.uri(), Map.of())
                .clock(CLOCK).shutdownHook(false).build().run();
        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    private CheckReport check() {
        return check(StoreCheck.builder());
    }

    private CheckReport check(StoreCheck.Builder b) {
        try (Store s = Store.open(TestStorage.PROVIDER, storage.uri(), Map.of())) {
            return s.check(b.clock(CLOCK).build());
        }
    }

    private List<String> lines(String path) {
        return new ArrayList<>(new String(storage.read(path).orElseThrow(), StandardCharsets.UTF_8).lines().toList());
    }

    private void write(String path, List<String> lines) {
        storage.put(path, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** "CHECK file:line" of every finding. */
    private static List<String> found(CheckReport r) {
        return r.findings().stream().map(f -> f.check() + " " + f.file() + ":" + f.line()).toList();
    }

    private void aaplAndMsft() {
        upstream.series("AAPL", LocalDate.of(2024, 11, 1), JAN_31).series("MSFT", LocalDate.of(2024, 11, 1), JAN_31);
        ingest("AAPL", "MSFT");
    }

    @Test
    void aStoreThePipelineWroteIsClean() {
        aaplAndMsft();

        CheckReport r = check();

        assertThat(r.findings()).isEmpty();
        assertThat(r.clean()).isTrue();
        assertThat(r.hasProblems(true)).isFalse();
        assertThat(r.files()).isEqualTo(4 + 1 + 1); // two years of two tickers, the offsets, one run record
        assertThat(r.lines()).isEqualTo(2L * (NYSE_DAYS_2024_11_TO_2025_01));
        assertThat(r.phaseTagger()).startsWith("brief (as run ");
    }

    private static final int NYSE_DAYS_2024_11_TO_2025_01 = TradingCalendar.nyse().countTradingDays(
            LocalDate.of(2024, 12, 31), JAN_31);

    @Test
    void aRepeatedKeyIsADuplicateOnItsLine() {
        aaplAndMsft();
        List<String> lines = lines(AAPL_2025);
        lines.add(5, lines.get(4));
        write(AAPL_2025, lines);

        CheckReport r = check();

        assertThat(found(r)).containsExactly("DUPLICATE_KEY " + AAPL_2025 + ":6");
        assertThat(r.findings().get(0).message()).contains("repeats line 5");
        assertThat(r.hasProblems(false)).isTrue();
    }

    @Test
    void aLineOfAnotherTickerIsForeign() {
        aaplAndMsft();
        List<String> lines = lines(AAPL_2025);
        lines.add(3, lines("bars/timespan=day/ticker=MSFT/year=2025/bars.jsonl").get(2));
        write(AAPL_2025, lines);

        assertThat(found(check())).containsExactly("FOREIGN_LINE " + AAPL_2025 + ":4");
    }

    @Test
    void anEditedPriorVolumeIsStaleAndAnEditedPhaseIsWrongEachOnItsLine() {
        aaplAndMsft();
        List<String> lines = lines(AAPL_2025);
        Bar seventh = Bar.parse(lines.get(6));
        lines.set(6, seventh.withPhase(seventh.phase(), seventh.priorVolume() + 1).toJson());
        Bar tenth = Bar.parse(lines.get(9));
        lines.set(9, tenth.withPhase(tenth.phase() == Phase.BULL ? Phase.BEAR : Phase.BULL, tenth.priorVolume())
                .toJson());
        write(AAPL_2025, lines);

        CheckReport r = check();

        assertThat(found(r)).containsExactly("STALE_PRIOR_VOLUME " + AAPL_2025 + ":7",
                "WRONG_PHASE " + AAPL_2025 + ":10");
        assertThat(r.findings().get(0).message()).isEqualTo("prior_volume " + (seventh.priorVolume() + 1)
                + ", but the previous session " + TradingCalendar.nyse().previousTradingDay(seventh.tradingDate())
                + " has volume " + seventh.priorVolume() + " stored");
    }

    @Test
    void aBarRemovedFromTheStoreLeavesAStalePriorVolumeAndACoveredDayWithoutABar() {
        aaplAndMsft();
        List<String> lines = lines(AAPL_2025);
        LocalDate removed = Bar.parse(lines.remove(4)).tradingDate();
        write(AAPL_2025, lines);

        CheckReport r = check();

        // The next day lost its previous session: its prior volume is stale, and its phase wrong unless Neutral.
        List<String> expected = new ArrayList<>(List.of("STALE_PRIOR_VOLUME " + AAPL_2025 + ":5"));
        if (Bar.parse(lines.get(4)).phase() != Phase.NEUTRAL) {
            expected.add("WRONG_PHASE " + AAPL_2025 + ":5");
        }
        expected.add("COVERED_WITHOUT_BAR " + AAPL_2025 + ":null");
        assertThat(found(r)).isEqualTo(expected);
        CheckReport.Finding covered = r.findings().get(r.findings().size() - 1);
        assertThat(covered.tradingDate()).isEqualTo(removed);
        assertThat(covered.message()).contains("an incremental run will not ask again");
    }

    @Test
    void aGapTheCoverageDoesNotExplainIsAMissingTradingDay() {
        upstream.series("AAPL", LocalDate.of(2024, 11, 1), JAN_31).remove("AAPL", LocalDate.of(2025, 1, 15));
        ingest("AAPL");
        storage.delete("state/offsets/timespan=day/adjusted=true.json");

        CheckReport r = check();

        assertThat(found(r)).containsExactly("MISSING_TRADING_DAY " + AAPL_2025 + ":null");
        assertThat(r.findings().get(0).severity()).isEqualTo(Severity.WARN);
        assertThat(r.hasProblems(false)).isFalse();
        assertThat(r.hasProblems(true)).isTrue();
    }

    @Test
    void anotherSchemaVersionAndTimesThatDisagreeWithStartMsAreErrors() {
        aaplAndMsft();
        List<String> lines = lines(AAPL_2025);
        lines.set(2, lines.get(2).replace("\"schema_version\":1", "\"schema_version\":2"));
        lines.set(3, lines.get(3).replace("\"start_et\":\"2025-01-07T00:00:00", "\"start_et\":\"2025-01-07T01:00:00"));
        write(AAPL_2025, lines);

        assertThat(found(check())).containsExactly("SCHEMA_VERSION " + AAPL_2025 + ":3",
                "TIME_FIELDS " + AAPL_2025 + ":4");
    }

    @Test
    void linesThatAreNotJsonOrNotBarsOrOutOfOrderAreNamedWithTheirLine() {
        aaplAndMsft();
        List<String> lines = lines(AAPL_2025);
        lines.set(1, lines.get(1).substring(0, 40));
        lines.set(2, lines.get(2).replace("\"open\":", "\"opening\":"));
        String fifth = lines.get(4);
        lines.set(4, lines.get(5));
        lines.set(5, fifth);
        write(AAPL_2025, lines);

        CheckReport r = check();

        // Lines 2 and 3 are unreadable, so the bars after them lose their previous sessions too.
        assertThat(found(r)).startsWith("INVALID_JSON " + AAPL_2025 + ":2", "NOT_A_BAR " + AAPL_2025 + ":3",
                "LINE_ORDER " + AAPL_2025 + ":6");
        assertThat(r.findings().get(1).message()).isEqualTo("field 'open' is missing");
    }

    @Test
    void aNonCanonicalLineIsANoteOnly() {
        aaplAndMsft();
        List<String> lines = lines(AAPL_2025);
        lines.set(2, lines.get(2).replace(",\"phase\":", ", \"phase\":"));
        write(AAPL_2025, lines);

        CheckReport r = check();

        assertThat(found(r)).containsExactly("NON_CANONICAL_LINE " + AAPL_2025 + ":3");
        assertThat(r.hasProblems(true)).isFalse();
    }

    @Test
    void unreadableOffsetsRunRecordsAndStrayFilesAreReported() {
        aaplAndMsft();
        storage.put("state/offsets/timespan=day/adjusted=true.json", "{\"partitions\":[".getBytes(
                StandardCharsets.UTF_8));
        storage.put("runs/20250101T000000000Z-bad.json", "{not json".getBytes(StandardCharsets.UTF_8));
        storage.put("bars/timespan=day/ticker=AAPL/year=2025/notes.txt", "hello".getBytes(StandardCharsets.UTF_8));

        assertThat(found(check())).containsExactly(
                "UNEXPECTED_FILE bars/timespan=day/ticker=AAPL/year=2025/notes.txt:null",
                "OFFSETS_UNREADABLE state/offsets/timespan=day/adjusted=true.json:null",
                "RUN_RECORD_UNREADABLE runs/20250101T000000000Z-bad.json:null");
    }

    @Test
    void theDataQualityRulesJudgeTheBarsOfTheRange() {
        upstream.series("AAPL", LocalDate.of(2024, 11, 1), JAN_31).series("MSFT", LocalDate.of(2024, 11, 1),
                LocalDate.of(2025, 1, 27));
        RawBar b = upstream.get("AAPL", LocalDate.of(2025, 1, 22));
        upstream.raw(new RawBar("AAPL", Timespan.DAY, b.startMs(), b.open(), b.high(), b.low(), b.close(), 0,
                b.vwap(), b.transactions(), true));
        ingest("AAPL", "MSFT");

        CheckReport all = check();
        CheckReport january20s = check(StoreCheck.builder().from(LocalDate.of(2025, 1, 23)).to(JAN_31));

        assertThat(all.findings()).extracting(f -> f.check() + " " + f.ticker() + " " + f.tradingDate())
                .containsExactly("ZERO_VOLUME AAPL 2025-01-22", "STALE_TICKER MSFT 2025-01-27");
        assertThat(all.findings().get(0).line()).isEqualTo(13);
        assertThat(january20s.findings()).extracting(CheckReport.Finding::check).containsExactly("STALE_TICKER");
        assertThat(check(StoreCheck.builder().tickers("AAPL")).findings()).extracting(CheckReport.Finding::check)
                .containsExactly("ZERO_VOLUME");
    }

    @Test
    void aTickerAskedForButNotStoredIsReported() {
        aaplAndMsft();

        assertThat(check(StoreCheck.builder().tickers("AAPL", "NVDA")).findings()).singleElement()
                .satisfies(f -> assertThat(f.check() + " " + f.ticker()).isEqualTo("NO_BARS NVDA"));
    }

    @Test
    void phasesAreCheckedAgainstTheTaggerTheRunRecordedOrTheOneNamed() {
        upstream.series("AAPL", LocalDate.of(2024, 11, 1), JAN_31);
        PhaseTagger alwaysBull = new PhaseTagger() {
            @Override
            public String name() {
                return "always-bull";
            }

            @Override
            public Phase phaseOf(Bar bar, PriorSessions prior) {
                return Phase.BULL;
            }
        };
        ingest(TickerEtl.builder().phaseTagger(alwaysBull), "AAPL");

        assertThatThrownBy(this::check).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("phase-tagger: run ").hasMessageContaining("'always-bull'");
        assertThat(check(StoreCheck.builder().phaseTagger(alwaysBull)).clean()).isTrue();
        assertThat(check(StoreCheck.builder().phaseTagger("brief")).counts().get("WRONG_PHASE").count())
                .isPositive();
    }

    @Test
    void minuteBarsMissingFromTheSessionAreListedAndATaggedMinuteIsWrong() {
        LocalDate day = LocalDate.of(2025, 1, 3);
        List<Bar> minutes = new ArrayList<>();
        for (int i = 0; i < 390; i++) {
            if (i != 1 && i != 2 && i != 200) {
                minutes.add(minute(day.atTime(9, 30).plusMinutes(i)));
            }
        }
        try (DataStore s = new DataStore(storage, TradingCalendar.nyse())) {
            s.write("AAPL", Timespan.MINUTE, false, minutes, new dev.tickeretl.internal.BriefPhaseTagger());
        }
        String path = "bars-unadjusted/timespan=minute/ticker=AAPL/date=2025-01-03/bars.jsonl";
        List<String> lines = lines(path);
        lines.set(9, Bar.parse(lines.get(9)).withPhase(Phase.BULL, null).toJson());
        write(path, lines);

        CheckReport r = check(StoreCheck.builder().timespan(Timespan.MINUTE));

        assertThat(found(r)).containsExactly("WRONG_PHASE " + path + ":10",
                "SESSION_MINUTES_WITHOUT_BAR " + path + ":null");
        assertThat(r.findings().get(1).message()).isEqualTo("3 of 390 regular-session minutes have no bar:"
                + " 09:31-09:32, 12:50");
        assertThat(r.findings().get(1).severity()).isEqualTo(Severity.INFO);
    }

    private static Bar minute(LocalDateTime easternStart) {
        long ms = easternStart.atZone(MarketTime.ZONE).toInstant().toEpochMilli();
        return new Bar("AAPL", Timespan.MINUTE, easternStart.toLocalDate(), ms, MarketTime.easternOffset(ms),
                MarketTime.instant(ms), 10, 11, 9, 10.5, 100, null, null, false, null, null, Bar.SCHEMA_VERSION);
    }

    @Test
    void theReportIsJsonWithEveryFindingsFields() {
        aaplAndMsft();
        List<String> lines = lines(AAPL_2025);
        lines.add(5, lines.get(4));
        write(AAPL_2025, lines);

        String json = check().toJson();

        assertThat(json).contains("\"counts\":{\"DUPLICATE_KEY\":{\"severity\":\"ERROR\",\"count\":1}}")
                .contains("{\"check\":\"DUPLICATE_KEY\",\"severity\":\"ERROR\",\"file\":\"" + AAPL_2025
                        + "\",\"line\":6,\"ticker\":\"AAPL\",\"trading_date\":\"2025-01-08\",\"message\":");
    }
}
