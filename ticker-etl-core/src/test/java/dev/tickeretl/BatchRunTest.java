package dev.tickeretl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickeretl.spi.RawBar;
import dev.tickeretl.spi.TickerRange;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchRunTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-15T21:00:00Z"), ZoneOffset.UTC);
    private static final LocalDate JAN_2 = LocalDate.of(2025, 1, 2);
    private static final LocalDate JAN_31 = LocalDate.of(2025, 1, 31);

    private final FakeUpstream upstream = new FakeUpstream();
    private final InMemoryStore store = new InMemoryStore();

    private RunRecord run(LocalDate from, LocalDate to, String... tickers) {
        return run(false, from, to, tickers);
    }

    private RunRecord run(boolean incremental, LocalDate from, LocalDate to, String... tickers) {
        return TickerEtl.builder().tickers(tickers).from(from).to(to).incremental(incremental)
                .source(upstream.source()).store(store).clock(CLOCK).build().run();
    }

    private Bar stored(String ticker, LocalDate date) {
        return store.read(ticker, Timespan.DAY, date, date).get(0);
    }

    @Test
    void rerunningTheSameRangeWritesNoFileAndReportsEveryBarUnchanged() {
        upstream.series("AAPL", LocalDate.of(2024, 12, 1), JAN_31).series("MSFT", LocalDate.of(2024, 12, 1), JAN_31);
        RunRecord first = run(JAN_2, JAN_31, "AAPL", "MSFT");
        long writesAfterFirst = store.partitionWrites;

        RunRecord second = run(JAN_2, JAN_31, "AAPL", "MSFT");

        int days = TradingCalendar.nyse().tradingDays(JAN_2, JAN_31).size();
        assertThat(first.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(first.totals().written()).isEqualTo(2L * days);
        assertThat(second.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(second.totals().filesWritten()).isZero();
        assertThat(second.totals().bytesWritten()).isZero();
        assertThat(store.partitionWrites).isEqualTo(writesAfterFirst);
        assertThat(second.totals().unchanged()).isEqualTo(2L * days);
        assertThat(second.totals().written()).isZero();
        assertThat(second.totals().updated()).isZero();
    }

    @Test
    void oneChangedUpstreamBarCountsAsExactlyOneUpdate() {
        upstream.series("AAPL", LocalDate.of(2024, 12, 1), JAN_31);
        run(JAN_2, JAN_31, "AAPL");
        LocalDate jan15 = LocalDate.of(2025, 1, 15);
        RawBar old = upstream.get("AAPL", jan15);
        // Same volume so the next day's phase (compared with this volume) does not change too.
        upstream.raw(new RawBar("AAPL", Timespan.DAY, old.startMs(), old.open(), old.high() + 5, old.low(),
                old.close(), old.volume(), old.vwap(), old.transactions(), true));

        RunRecord second = run(JAN_2, JAN_31, "AAPL");

        assertThat(second.totals().updated()).isEqualTo(1);
        assertThat(second.totals().filesWritten()).isEqualTo(1);
        assertThat(stored("AAPL", jan15).high()).isEqualTo(old.high() + 5);
        assertThat(store.read("AAPL", Timespan.DAY, JAN_2, JAN_31)).extracting(Bar::tradingDate)
                .doesNotHaveDuplicates();
    }

    @Test
    void rangeStartingMondayAfterGoodFridayIsTaggedAgainstThursday() {
        LocalDate thursday = LocalDate.of(2024, 3, 28);
        LocalDate monday = LocalDate.of(2024, 4, 1);
        upstream.bar("AAPL", thursday, 10, 11, 500).bar("AAPL", monday, 10, 12, 600);

        run(monday, monday, "AAPL");

        assertThat(upstream.requests.get(0).ranges()).containsExactly(new TickerRange("AAPL", thursday, monday));
        Bar bar = stored("AAPL", monday);
        assertThat(bar.priorVolume()).isEqualTo(500.0);
        assertThat(bar.phase()).isEqualTo(Phase.BULL);
        assertThat(store.read("AAPL", Timespan.DAY, thursday, thursday)).as("lookback is not stored").isEmpty();
    }

    @Test
    void dayAfterTheCarterClosureIsTaggedAgainstJanuaryEighth() {
        LocalDate jan8 = LocalDate.of(2025, 1, 8);
        LocalDate jan10 = LocalDate.of(2025, 1, 10);
        upstream.bar("AAPL", jan8, 10, 9, 500).bar("AAPL", jan10, 10, 9, 700);

        run(jan10, jan10, "AAPL");

        assertThat(upstream.requests.get(0).ranges()).containsExactly(new TickerRange("AAPL", jan8, jan10));
        assertThat(stored("AAPL", jan10).priorVolume()).isEqualTo(500.0);
        assertThat(stored("AAPL", jan10).phase()).isEqualTo(Phase.BEAR);
    }

    @Test
    void missingPreviousTradingDayIsNeutralWithoutComparingAnOlderBar() {
        upstream.bar("AAPL", LocalDate.of(2025, 1, 6), 10, 11, 100)
                .bar("AAPL", LocalDate.of(2025, 1, 8), 10, 11, 900); // Jan 7 missing upstream

        RunRecord r = run(LocalDate.of(2025, 1, 7), LocalDate.of(2025, 1, 8), "AAPL");

        Bar jan8 = stored("AAPL", LocalDate.of(2025, 1, 8));
        assertThat(jan8.phase()).isEqualTo(Phase.NEUTRAL);
        assertThat(jan8.priorVolume()).isNull();
        assertThat(r.warnings()).extracting(RunRecord.DataQualityWarning::kind).contains("MISSING_PREVIOUS_BAR");
        assertThat(r.warnings()).filteredOn(w -> w.kind().equals("MISSING_PREVIOUS_BAR"))
                .extracting(RunRecord.DataQualityWarning::tradingDate).containsExactly(LocalDate.of(2025, 1, 8));
    }

    @Test
    void aTickersFirstBarEverIsNeutralWithNoPriorVolume() {
        upstream.bar("NEWCO", LocalDate.of(2025, 1, 7), 10, 12, 100).bar("NEWCO", LocalDate.of(2025, 1, 8), 10, 12, 200);

        run(LocalDate.of(2025, 1, 6), LocalDate.of(2025, 1, 8), "NEWCO");

        Bar first = stored("NEWCO", LocalDate.of(2025, 1, 7));
        assertThat(first.phase()).isEqualTo(Phase.NEUTRAL);
        assertThat(first.priorVolume()).isNull();
        assertThat(stored("NEWCO", LocalDate.of(2025, 1, 8)).phase()).isEqualTo(Phase.BULL);
    }

    @Test
    void duplicatesAcrossPagesCollapseAndOutOfOrderBarsAreSorted() {
        upstream.series("AAPL", LocalDate.of(2024, 12, 1), JAN_31).duplicatePages();

        RunRecord r = run(JAN_2, JAN_31, "AAPL");

        List<Bar> bars = store.read("AAPL", Timespan.DAY, JAN_2, JAN_31);
        assertThat(bars).hasSize(TradingCalendar.nyse().tradingDays(JAN_2, JAN_31).size());
        assertThat(bars).isSortedAccordingTo(java.util.Comparator.comparingLong(Bar::startMs));
        assertThat(r.totals().written()).isEqualTo(bars.size());
    }

    @Test
    void oneFailingTickerMakesTheRunPartialAndTheOthersAreStored() {
        upstream.series("AAPL", LocalDate.of(2024, 12, 1), JAN_31).failTicker("MSFT", "HTTP 404 for /v2/aggs/ticker/MSFT");

        RunRecord r = run(JAN_2, JAN_31, "AAPL", "MSFT");

        assertThat(r.status()).isEqualTo(RunStatus.PARTIAL);
        assertThat(r.tickers().get("MSFT").status()).isEqualTo(RunStatus.FAILED);
        assertThat(r.tickers().get("MSFT").error()).contains("404");
        assertThat(r.tickers().get("AAPL").status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(store.read("AAPL", Timespan.DAY, JAN_2, JAN_31)).isNotEmpty();
        assertThat(r.toString()).contains("FAILED MSFT");
    }

    @Test
    void everyTickerFailingFailsTheRun() {
        upstream.failTicker("AAPL", "HTTP 404").failTicker("MSFT", "HTTP 404");

        assertThat(run(JAN_2, JAN_31, "AAPL", "MSFT").status()).isEqualTo(RunStatus.FAILED);
    }

    @Test
    void aSourceFailureFailsTheRunAndIsRecorded() {
        upstream.series("AAPL", LocalDate.of(2024, 12, 1), JAN_31).failRun("HTTP 401 from api.example: check the API key");

        RunRecord r = run(JAN_2, JAN_31, "AAPL");

        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        assertThat(r.error()).contains("401");
        assertThat(store.runs().get(0).status()).isEqualTo(RunStatus.FAILED);
    }

    @Test
    void invalidBarsAreCountedReportedAndNotStored() {
        upstream.series("AAPL", LocalDate.of(2024, 12, 1), JAN_31);
        RawBar jan3 = upstream.get("AAPL", LocalDate.of(2025, 1, 3));
        upstream.raw(new RawBar("AAPL", Timespan.DAY, jan3.startMs(), jan3.open(), 1.0, 2.0, jan3.close(),
                jan3.volume(), null, null, true)); // high < low
        upstream.invalidRecord("AAPL");

        RunRecord r = run(JAN_2, JAN_31, "AAPL");

        assertThat(r.status()).isEqualTo(RunStatus.PARTIAL);
        assertThat(r.tickers().get("AAPL").invalid()).isEqualTo(2);
        assertThat(store.read("AAPL", Timespan.DAY, LocalDate.of(2025, 1, 3), LocalDate.of(2025, 1, 3))).isEmpty();
        assertThat(r.warnings()).extracting(RunRecord.DataQualityWarning::message)
                .anySatisfy(m -> assertThat(m).contains("high").contains("low"));
    }

    @Test
    void theRunRecordIsWrittenAsRunningFirstThenReplacedByTheOutcome() {
        upstream.series("AAPL", LocalDate.of(2024, 12, 1), JAN_31);

        RunRecord r = run(JAN_2, JAN_31, "AAPL");

        assertThat(store.runStatusesPut).containsExactly(RunStatus.RUNNING, RunStatus.SUCCEEDED);
        assertThat(store.runs()).containsExactly(r);
        assertThat(r.durationMs()).isNotNull();
        assertThat(r.parameters().tickers()).containsExactly("AAPL");
        assertThat(upstream.commits).isNotEmpty();
    }

    @Test
    void incrementalRunOverACompleteRangeAsksTheSourceForNothing() {
        upstream.series("AAPL", LocalDate.of(2024, 12, 1), JAN_31);
        run(JAN_2, JAN_31, "AAPL");

        RunRecord r = run(true, JAN_2, JAN_31, "AAPL");

        assertThat(upstream.requests).hasSize(1); // only the first, full run started the source
        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(r.totals().filesWritten()).isZero();
    }

    @Test
    void incrementalRunFetchesOnlyTheMissingDaysAndTagsThemAgainstTheStoredLookback() {
        upstream.series("AAPL", LocalDate.of(2024, 12, 1), JAN_31);
        run(JAN_2, LocalDate.of(2025, 1, 17), "AAPL");

        RunRecord r = run(true, JAN_2, JAN_31, "AAPL");

        assertThat(upstream.requests.get(1).ranges())
                .containsExactly(new TickerRange("AAPL", LocalDate.of(2025, 1, 21), JAN_31));
        Bar jan21 = stored("AAPL", LocalDate.of(2025, 1, 21));
        assertThat(jan21.priorVolume()).isEqualTo(upstream.get("AAPL", LocalDate.of(2025, 1, 17)).volume());
        assertThat(r.totals().written()).isEqualTo(TradingCalendar.nyse()
                .tradingDays(LocalDate.of(2025, 1, 21), JAN_31).size());
        // The same range done in one go gives identical records.
        InMemoryStore clean = new InMemoryStore();
        TickerEtl.builder().tickers("AAPL").from(JAN_2).to(JAN_31).source(upstream.source()).store(clean)
                .clock(CLOCK).build().run();
        assertThat(store.read("AAPL", Timespan.DAY, JAN_2, JAN_31))
                .isEqualTo(clean.read("AAPL", Timespan.DAY, JAN_2, JAN_31));
    }

    @Test
    void aFailedWriteFailsOnlyThatTickerAndTheNextRunEqualsACleanRun() {
        upstream.series("AAPL", LocalDate.of(2024, 12, 1), JAN_31).series("MSFT", LocalDate.of(2024, 12, 1), JAN_31);
        store.failWritesOf("MSFT");
        RunRecord broken = run(JAN_2, JAN_31, "AAPL", "MSFT");
        assertThat(broken.status()).isEqualTo(RunStatus.PARTIAL);
        assertThat(broken.tickers().get("MSFT").error()).contains("disk full");

        store.failWritesOf(null);
        RunRecord retry = run(JAN_2, JAN_31, "AAPL", "MSFT");

        InMemoryStore clean = new InMemoryStore();
        TickerEtl.builder().tickers("AAPL", "MSFT").from(JAN_2).to(JAN_31).source(upstream.source()).store(clean)
                .clock(CLOCK).build().run();
        assertThat(retry.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(store.partitions.keySet()).isEqualTo(clean.partitions.keySet());
        clean.partitions.forEach((path, bytes) -> assertThat(store.partitions.get(path)).as(path).isEqualTo(bytes));
        for (String t : List.of("AAPL", "MSFT")) {
            assertThat(store.read(t, Timespan.DAY, JAN_2, JAN_31)).isEqualTo(clean.read(t, Timespan.DAY, JAN_2, JAN_31));
        }
    }

    @Test
    void aSourceThatCannotOpenIsAConfigurationErrorAndRecordsNoRun() {
        TickerEtl etl = TickerEtl.builder().tickers("AAPL").from(JAN_2).to(JAN_31).store(store).clock(CLOCK)
                .source(new dev.tickeretl.spi.Source() {
                    @Override
                    public void start(dev.tickeretl.spi.SourceRequest request) {
                    }

                    @Override
                    public dev.tickeretl.spi.SourceEvent poll(java.time.Duration timeout) {
                        return dev.tickeretl.spi.SourceEvent.END;
                    }

                    @Override
                    public void close() {
                    }
                }).build();
        TickerEtl unopenable = TickerEtl.builder().tickers("AAPL").from(JAN_2).to(JAN_31).store(store).clock(CLOCK)
                .source(new dev.tickeretl.spi.SourceProvider() {
                    @Override
                    public String name() {
                        return "needs-key";
                    }

                    @Override
                    public dev.tickeretl.spi.Source open(java.util.Map<String, String> options) {
                        throw new IllegalArgumentException("api-key: no key set");
                    }
                }, java.util.Map.of()).build();

        assertThatThrownBy(unopenable::run).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("api-key:");
        assertThat(store.runs()).isEmpty();
        assertThat(etl.run().status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void anOffsetIsCommittedOnlyAfterEveryBarBeforeItIsStored() {
        List<String> tickers = List.of("AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "META");
        for (String t : tickers) {
            upstream.series(t, LocalDate.of(2024, 12, 1), JAN_31);
        }
        store.writeDelay(30);
        java.util.Set<String> stored = java.util.concurrent.ConcurrentHashMap.newKeySet();
        store.onWritten = stored::addAll;
        List<String> violations = new java.util.concurrent.CopyOnWriteArrayList<>();
        dev.tickeretl.spi.Source source = upstream.source();
        dev.tickeretl.spi.Source checked = new dev.tickeretl.spi.Source() {
            @Override
            public void start(dev.tickeretl.spi.SourceRequest request) {
                source.start(request);
            }

            @Override
            public dev.tickeretl.spi.SourceEvent poll(java.time.Duration timeout) throws InterruptedException {
                return source.poll(timeout);
            }

            @Override
            public void commit(dev.tickeretl.spi.SourceOffset offset) {
                // FakeUpstream's offsets name the ticker whose bars they follow; every ticker up to it is done.
                int upTo = tickers.indexOf(offset.position().get("ticker"));
                for (String t : tickers.subList(0, upTo + 1)) {
                    if (!stored.contains(t)) {
                        violations.add("committed " + offset + " before " + t + " was stored");
                    }
                }
                source.commit(offset);
            }

            @Override
            public void close() {
                source.close();
            }
        };

        RunRecord r = TickerEtl.builder().tickers(tickers).from(JAN_2).to(JAN_31).source(checked).store(store)
                .clock(CLOCK).build().run();

        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(upstream.commits).isNotEmpty();
        assertThat(violations).isEmpty();
        assertThat(r.totals().written()).isEqualTo(6L * TradingCalendar.nyse().tradingDays(JAN_2, JAN_31).size());
    }

    @Test
    void aTaggerThatThrowsFailsOnlyThatTicker() {
        upstream.series("AAPL", LocalDate.of(2024, 12, 1), JAN_31).series("MSFT", LocalDate.of(2024, 12, 1), JAN_31);
        dev.tickeretl.spi.PhaseTagger brief = dev.tickeretl.internal.Providers.phaseTagger("brief");

        RunRecord r = TickerEtl.builder().tickers("AAPL", "MSFT").from(JAN_2).to(JAN_31).source(upstream.source())
                .store(store).clock(CLOCK).phaseTagger(new dev.tickeretl.spi.PhaseTagger() {
                    @Override
                    public String name() {
                        return "fragile";
                    }

                    @Override
                    public Phase phaseOf(Bar bar, Bar previous) {
                        if (bar.ticker().equals("MSFT")) {
                            throw new IllegalStateException("no rule for MSFT");
                        }
                        return brief.phaseOf(bar, previous);
                    }
                }).build().run();

        assertThat(r.status()).isEqualTo(RunStatus.PARTIAL);
        assertThat(r.tickers().get("MSFT").error()).contains("no rule for MSFT");
        assertThat(r.tickers().get("AAPL").status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void aWeekendOnlyRangeStoresNothingAndSucceeds() {
        RunRecord r = run(LocalDate.of(2025, 1, 4), LocalDate.of(2025, 1, 5), "AAPL");

        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(r.totals().written()).isZero();
    }

    @Test
    void badInputNamesTheField() {
        assertThatThrownBy(() -> TickerEtl.builder().tickers("../x")).hasMessageStartingWith("ticker:");
        assertThatThrownBy(() -> TickerEtl.builder().from(JAN_31).to(JAN_2).source(upstream.source()).store(store)
                .clock(CLOCK).build()).hasMessageStartingWith("from:");
        assertThatThrownBy(() -> TickerEtl.builder().from(JAN_2).to(LocalDate.of(2026, 2, 1))
                .source(upstream.source()).store(store).clock(CLOCK).build()).hasMessageStartingWith("to:");
        assertThatThrownBy(() -> TickerEtl.builder().from(JAN_2).to(JAN_31).source(upstream.source())
                .store(java.net.URI.create("ftp://x/y")))
                .hasMessageContaining("unknown store scheme 'ftp'").hasMessageContaining("available");
    }
}
