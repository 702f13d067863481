package dev.tickeretl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.RunRecord.DataQualityWarning;
import dev.tickeretl.internal.PartitionFile;
import dev.tickeretl.spi.Observer;
import dev.tickeretl.spi.RawBar;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The data-quality checks a run makes on what it writes: listed, counted, and reported to the observer. */
class DataQualityRunTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-15T21:00:00Z"), ZoneOffset.UTC);
    private static final LocalDate JAN_2 = LocalDate.of(2025, 1, 2);
    private static final LocalDate JAN_31 = LocalDate.of(2025, 1, 31);
    private static final LocalDate DEC_31 = LocalDate.of(2024, 12, 31);

    private final FakeUpstream upstream = new FakeUpstream();
    private final TestStorage storage = TestStorage.create();
    private final CountingObserver observer = new CountingObserver();

    /** Counter totals by name and tags, as a metrics binding would keep them. */
    static final class CountingObserver implements Observer {
        final Map<String, Long> counts = new ConcurrentHashMap<>();

        @Override
        public void count(String name, long amount, String... tags) {
            counts.merge(name + List.of(tags), amount, Long::sum);
        }

        long issues(String check, Severity severity) {
            return counts.getOrDefault("ticker_etl_data_quality_issues" + List.of("check", check, "severity",
                    severity.name()), 0L);
        }
    }

    private RunRecord run(QualityRules rules, String... tickers) {
        return TickerEtl.builder().tickers(tickers).from(JAN_2).to(JAN_31).source(upstream.source())
                .store(TestStorage.PROVIDER, storage.uri(), Map.of()).clock(CLOCK).shutdownHook(false).observer(observer).qualityRules(rules)
                .build().run();
    }

    private void replace(String ticker, LocalDate date, double open, double high, double low, double close,
                         double volume) {
        RawBar old = upstream.get(ticker, date);
        upstream.raw(new RawBar(ticker, Timespan.DAY, old.startMs(), open, high, low, close, volume, old.vwap(),
                old.transactions(), true));
    }

    private void volume(String ticker, LocalDate date, double volume) {
        RawBar b = upstream.get(ticker, date);
        replace(ticker, date, b.open(), b.high(), b.low(), b.close(), volume);
    }

    private static List<String> found(RunRecord r) {
        List<String> out = new ArrayList<>();
        for (DataQualityWarning w : r.warnings()) {
            out.add(w.kind() + " " + w.severity() + " " + w.ticker() + " " + w.tradingDate());
        }
        return out;
    }

    @Test
    void eachRuleFindsItsPlantedProblemAndTheRecordAndTheObserverCountIt() {
        upstream.series("AAPL", LocalDate.of(2024, 11, 1), JAN_31).series("MSFT", LocalDate.of(2024, 11, 1),
                LocalDate.of(2025, 1, 24));
        RawBar jump = upstream.get("AAPL", LocalDate.of(2025, 1, 21));
        replace("AAPL", LocalDate.of(2025, 1, 21), jump.open(), jump.close() * 1.5 + 1, jump.low(),
                jump.close() * 1.5, jump.volume());
        volume("AAPL", LocalDate.of(2025, 1, 23), upstream.get("AAPL", LocalDate.of(2025, 1, 23)).volume() * 20);
        volume("AAPL", LocalDate.of(2025, 1, 27), 0);
        RawBar wide = upstream.get("AAPL", LocalDate.of(2025, 1, 28));
        replace("AAPL", LocalDate.of(2025, 1, 28), wide.high() + 2, wide.high(), wide.low(), wide.close(),
                wide.volume());
        upstream.remove("AAPL", LocalDate.of(2025, 1, 14));

        RunRecord r = run(QualityRules.defaults(), "AAPL", "MSFT");

        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED); // findings are not failures
        assertThat(found(r)).containsExactlyInAnyOrder(
                "MISSING_TRADING_DAY WARN AAPL 2025-01-14",
                "MISSING_PREVIOUS_BAR INFO AAPL 2025-01-15",
                "PRICE_JUMP WARN AAPL 2025-01-21",
                "VOLUME_SPIKE INFO AAPL 2025-01-23",
                "ZERO_VOLUME WARN AAPL 2025-01-27",
                "OHLC_RANGE WARN AAPL 2025-01-28",
                "STALE_TICKER WARN MSFT 2025-01-24");
        assertThat(r.dataQuality()).containsOnlyKeys("MISSING_TRADING_DAY", "MISSING_PREVIOUS_BAR", "PRICE_JUMP",
                "VOLUME_SPIKE", "ZERO_VOLUME", "OHLC_RANGE", "STALE_TICKER");
        assertThat(r.dataQuality().get("PRICE_JUMP")).isEqualTo(new RunRecord.CheckCount(Severity.WARN, 1));
        assertThat(r.dataQuality().get("VOLUME_SPIKE")).isEqualTo(new RunRecord.CheckCount(Severity.INFO, 1));
        assertThat(observer.issues("PRICE_JUMP", Severity.WARN)).isEqualTo(1);
        assertThat(observer.issues("VOLUME_SPIKE", Severity.INFO)).isEqualTo(1);
        assertThat(observer.issues("ZERO_VOLUME", Severity.WARN)).isEqualTo(1);
        assertThat(observer.issues("OHLC_RANGE", Severity.WARN)).isEqualTo(1);
        assertThat(observer.issues("MISSING_TRADING_DAY", Severity.WARN)).isEqualTo(1);
        assertThat(observer.issues("STALE_TICKER", Severity.WARN)).isEqualTo(1);
        assertThat(r.warnings()).filteredOn(w -> w.kind().equals("STALE_TICKER")).singleElement()
                .extracting(DataQualityWarning::message).asString()
                .startsWith("no bar in the last 3 sessions up to 2025-01-31 (the newest bar is of 2025-01-24");
        try (Store s = Store.open(TestStorage.PROVIDER, storage.uri(), Map.of())) {
            assertThat(s.runs().get(0).warnings()).as("stored with severities").isEqualTo(r.warnings());
            assertThat(s.runs().get(0).dataQuality()).isEqualTo(r.dataQuality());
        }
    }

    @Test
    void aCleanSeriesHasNoFinding() {
        upstream.series("AAPL", LocalDate.of(2024, 11, 1), JAN_31);

        RunRecord r = run(QualityRules.defaults(), "AAPL");

        assertThat(r.warnings()).isEmpty();
        assertThat(r.dataQuality()).isEmpty();
        assertThat(observer.counts.keySet()).noneMatch(k -> k.startsWith("ticker_etl_data_quality_issues"));
    }

    @Test
    void theThresholdsAreTheRunsOwn() {
        upstream.series("AAPL", LocalDate.of(2024, 11, 1), LocalDate.of(2025, 1, 29));

        assertThat(found(run(QualityRules.defaults(), "AAPL"))).isEmpty(); // 2 sessions without: 30, 31
        assertThat(found(run(QualityRules.defaults().withStaleSessions(2), "AAPL")))
                .containsExactly("STALE_TICKER WARN AAPL 2025-01-29");
    }

    @Test
    void atMostTheConfiguredNumberPerCheckIsListedAndAllAreCounted() {
        upstream.series("AAPL", LocalDate.of(2024, 11, 1), JAN_31);
        for (int day : new int[]{6, 8, 13, 15, 17}) {
            volume("AAPL", LocalDate.of(2025, 1, day), 0);
        }

        RunRecord r = run(QualityRules.defaults().withListedPerCheck(2), "AAPL");

        assertThat(r.warnings()).filteredOn(w -> w.kind().equals("ZERO_VOLUME")).hasSize(2);
        assertThat(r.warnings()).filteredOn(w -> w.kind().equals("WARNINGS_DROPPED")).singleElement()
                .extracting(DataQualityWarning::message).asString().contains("ZERO_VOLUME 3");
        assertThat(r.dataQuality().get("ZERO_VOLUME")).isEqualTo(new RunRecord.CheckCount(Severity.WARN, 5));
        assertThat(observer.issues("ZERO_VOLUME", Severity.WARN)).isEqualTo(5);
    }

    @Test
    void findingsAboutTheLookbackDayAreLeftToTheRunThatAskedForIt() {
        upstream.series("AAPL", LocalDate.of(2024, 11, 1), JAN_31);
        volume("AAPL", DEC_31, 0);

        RunRecord r = run(QualityRules.defaults(), "AAPL");

        assertThat(found(r)).isEmpty();
    }

    @Test
    void aDuplicateKeyInTheStoreIsAnErrorFindingEvenOnTheLookbackDayAndTheWriteRepairsIt() {
        upstream.series("AAPL", LocalDate.of(2024, 11, 1), JAN_31);
        run(QualityRules.defaults(), "AAPL");
        String path2024 = "bars/timespan=day/ticker=AAPL/year=2024/bars.jsonl";
        List<Bar> stored;
        try (Store s = Store.open(TestStorage.PROVIDER, storage.uri(), Map.of())) {
            stored = s.bars("AAPL", DEC_31, DEC_31);
        }
        storage.put(path2024, PartitionFile.encode(List.of(stored.get(0), stored.get(0))));

        RunRecord r = run(QualityRules.defaults(), "AAPL");

        assertThat(found(r)).containsExactly("DUPLICATE_KEY ERROR AAPL 2024-12-31",
                "REPAIRED_PARTITION INFO AAPL null");
        assertThat(r.warnings().get(0).message()).startsWith(path2024 + " line 2: key AAPL/day/");
        assertThat(observer.issues("DUPLICATE_KEY", Severity.ERROR)).isEqualTo(1);
        assertThat(storage.read(path2024)).contains(PartitionFile.encode(stored));
    }
}
