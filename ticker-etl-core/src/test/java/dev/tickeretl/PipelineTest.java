package dev.tickeretl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickeretl.internal.BriefPhaseTagger;
import dev.tickeretl.internal.Providers;
import dev.tickeretl.spi.OffsetReader;
import dev.tickeretl.spi.PhaseTagger;
import dev.tickeretl.spi.ProviderContext;
import dev.tickeretl.spi.RawBar;
import dev.tickeretl.spi.Source;
import dev.tickeretl.spi.SourceEvent;
import dev.tickeretl.spi.SourceProvider;
import dev.tickeretl.spi.SourceRequest;
import dev.tickeretl.spi.TickerRange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pipeline on its bounded path (a batch run), against an upstream and a store in memory. */
class PipelineTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-15T21:00:00Z"), ZoneOffset.UTC);
    private static final TradingCalendar NYSE = TradingCalendar.nyse();
    private static final LocalDate JAN_2 = LocalDate.of(2025, 1, 2);
    private static final LocalDate JAN_31 = LocalDate.of(2025, 1, 31);

    private final FakeUpstream upstream = new FakeUpstream();
    private final TestStorage storage = TestStorage.create();

    private TickerEtl.Builder builder(LocalDate from, LocalDate to, String... tickers) {
        return TickerEtl.builder().tickers(tickers).from(from).to(to).source(upstream.source())
                .store(TestStorage.PROVIDER, storage.uri(), Map.of()).clock(CLOCK).shutdownHook(false);
    }

    private RunRecord run(LocalDate from, LocalDate to, String... tickers) {
        return builder(from, to, tickers).build().run();
    }

    private RunRecord incremental(LocalDate from, LocalDate to, String... tickers) {
        return builder(from, to, tickers).incremental(true).build().run();
    }

    private List<Bar> stored(String ticker, LocalDate from, LocalDate to) {
        try (Store s = Store.open(TestStorage.PROVIDER, storage.uri(), Map.of())) {
            return s.bars(ticker, from, to);
        }
    }

    private Bar stored(String ticker, LocalDate date) {
        return stored(ticker, date, date).get(0);
    }

    private List<RunRecord> runs() {
        try (Store s = Store.open(TestStorage.PROVIDER, storage.uri(), Map.of())) {
            return s.runs();
        }
    }

    // ------------------------------------------------------------------ idempotency

    @Test
    void rerunningTheSameRangeWritesNoFileAndReportsEveryBarUnchanged() {
        upstream.series("AAPL", LocalDate.of(2024, 12, 1), JAN_31).series("MSFT", LocalDate.of(2024, 12, 1), JAN_31);
        RunRecord first = run(JAN_2, JAN_31, "AAPL", "MSFT");
        long writesAfterFirst = storage.dataWrites.get();

        RunRecord second = run(JAN_2, JAN_31, "AAPL", "MSFT");

        int days = NYSE.tradingDays(JAN_2, JAN_31).size() + 1; // the lookback (2024-12-31) is stored too
        assertThat(first.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(first.totals().written()).isEqualTo(2L * days);
        assertThat(second.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(second.totals().filesWritten()).isZero();
        assertThat(second.totals().bytesWritten()).isZero();
        assertThat(storage.dataWrites.get()).isEqualTo(writesAfterFirst);
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
        assertThat(stored("AAPL", JAN_2, JAN_31)).extracting(Bar::tradingDate).doesNotHaveDuplicates();
    }

    @Test
    void duplicatesAcrossPagesCollapseAndOutOfOrderBarsAreSorted() {
        upstream.series("AAPL", LocalDate.of(2024, 12, 1), JAN_31).duplicatePages();

        RunRecord r = run(JAN_2, JAN_31, "AAPL");

        List<Bar> bars = stored("AAPL", JAN_2, JAN_31);
        assertThat(bars).hasSize(NYSE.tradingDays(JAN_2, JAN_31).size());
        assertThat(bars).isSortedAccordingTo(Comparator.comparingLong(Bar::startMs));
        assertThat(r.totals().written()).isEqualTo(bars.size() + 1);
    }

    // ------------------------------------------------------------------ the previous session

    @Test
    void rangeStartingMondayAfterGoodFridayIsTaggedAgainstThursdayWhichIsStoredToo() {
        LocalDate thursday = LocalDate.of(2024, 3, 28);
        LocalDate monday = LocalDate.of(2024, 4, 1);
        upstream.bar("AAPL", thursday, 10, 11, 500).bar("AAPL", monday, 10, 12, 600);

        run(monday, monday, "AAPL");

        assertThat(upstream.requests.get(0).ranges()).containsExactly(new TickerRange("AAPL", thursday, monday));
        Bar bar = stored("AAPL", monday);
        assertThat(bar.priorVolume()).isEqualTo(500.0);
        assertThat(bar.phase()).isEqualTo(Phase.BULL);
        // The bar a prior volume points at must be in the store: the store never contradicts itself.
        assertThat(stored("AAPL", thursday, thursday)).extracting(Bar::volume).containsExactly(500.0);
    }

    /** Bull when the bar closes above the close three sessions before; Neutral when that session has no bar. */
    private static final PhaseTagger THREE_SESSIONS = new PhaseTagger() {
        @Override
        public String name() {
            return "three-sessions";
        }

        @Override
        public int sessions() {
            return 3;
        }

        @Override
        public Phase phaseOf(Bar bar, PriorSessions prior) {
            Bar third = prior.get(3);
            return third != null && bar.close() > third.close() ? Phase.BULL : Phase.NEUTRAL;
        }
    };

    @Test
    void aRunFetchesAsManySessionsBeforeItsFirstDayAsTheTaggerReads() {
        // Jan 10 2025: the sessions before are Jan 8 (Jan 9 closed for Carter), Jan 7 and Jan 6.
        LocalDate jan6 = LocalDate.of(2025, 1, 6);
        LocalDate jan10 = LocalDate.of(2025, 1, 10);
        upstream.series("AAPL", LocalDate.of(2024, 12, 1), JAN_31);

        builder(jan10, jan10, "AAPL").phaseTagger(THREE_SESSIONS).build().run();

        assertThat(upstream.requests.get(0).ranges()).containsExactly(new TickerRange("AAPL", jan6, jan10));
        Bar bar = stored("AAPL", jan10);
        assertThat(bar.phase()).isEqualTo(bar.close() > upstream.get("AAPL", jan6).close() ? Phase.BULL
                : Phase.NEUTRAL);
        assertThat(bar.priorVolume()).as("still the previous session's volume")
                .isEqualTo(upstream.get("AAPL", LocalDate.of(2025, 1, 8)).volume());
    }

    @Test
    void anIncrementalRunAsksAgainOnlyForLookbackSessionsWithoutASettledAnswer() {
        upstream.series("AAPL", LocalDate.of(2024, 12, 1), JAN_31);
        builder(LocalDate.of(2025, 1, 21), JAN_31, "AAPL").phaseTagger(THREE_SESSIONS).build().run();

        builder(LocalDate.of(2025, 1, 21), JAN_31, "AAPL").phaseTagger(THREE_SESSIONS).incremental(true).build()
                .run();
        builder(LocalDate.of(2025, 1, 17), JAN_31, "AAPL").phaseTagger(THREE_SESSIONS).incremental(true).build()
                .run();

        // Jan 21's lookback was Jan 15..17 (Jan 20 closed for MLK Day); the same range again starts no request;
        // Jan 17's lookback adds Jan 14, and only that.
        assertThat(upstream.requests).extracting(SourceRequest::ranges).containsExactly(
                List.of(new TickerRange("AAPL", LocalDate.of(2025, 1, 15), JAN_31)),
                List.of(new TickerRange("AAPL", LocalDate.of(2025, 1, 14), LocalDate.of(2025, 1, 14))));
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
        assertThat(r.warnings()).filteredOn(w -> w.kind().equals("MISSING_PREVIOUS_BAR"))
                .extracting(RunRecord.DataQualityWarning::tradingDate).containsExactly(LocalDate.of(2025, 1, 8));
    }

    @Test
    void aTickersFirstBarEverIsNeutralWithNoPriorVolume() {
        upstream.bar("NEWCO", LocalDate.of(2025, 1, 7), 10, 12, 100).bar("NEWCO", LocalDate.of(2025, 1, 8), 10, 12,
                200);

        RunRecord r = run(LocalDate.of(2025, 1, 6), LocalDate.of(2025, 1, 8), "NEWCO");

        Bar first = stored("NEWCO", LocalDate.of(2025, 1, 7));
        assertThat(first.phase()).isEqualTo(Phase.NEUTRAL);
        assertThat(first.priorVolume()).isNull();
        assertThat(stored("NEWCO", LocalDate.of(2025, 1, 8)).phase()).isEqualTo(Phase.BULL);
        assertThat(r.warnings()).extracting(RunRecord.DataQualityWarning::kind).contains("NO_PREVIOUS_BAR");
    }

    @Test
    void aCorrectedDayRetagsTheNextSessionInTheSameRun() {
        upstream.series("AAPL", LocalDate.of(2024, 12, 1), JAN_31);
        run(JAN_2, JAN_31, "AAPL");
        LocalDate d = LocalDate.of(2025, 1, 15);
        LocalDate next = NYSE.nextTradingDay(d);
        RawBar old = upstream.get("AAPL", d);
        upstream.raw(new RawBar("AAPL", Timespan.DAY, old.startMs(), old.open(), old.high(), old.low(), old.close(),
                old.volume() * 10, old.vwap(), old.transactions(), true));

        RunRecord correction = run(d, d, "AAPL");

        Bar after = stored("AAPL", next);
        assertThat(after.priorVolume()).isEqualTo(old.volume() * 10);
        assertThat(after.phase()).isEqualTo(BriefPhaseTagger.rule(after, stored("AAPL", d)));
        assertThat(correction.totals().updated()).as("D and D+1").isEqualTo(2);
    }

    // ------------------------------------------------------------------ failures

    @Test
    void oneFailingTickerMakesTheRunPartialAndTheOthersAreStored() {
        upstream.series("AAPL", LocalDate.of(2024, 12, 1), JAN_31).failTicker("MSFT", "HTTP 404 for /v2/aggs/ticker/MSFT");

        RunRecord r = run(JAN_2, JAN_31, "AAPL", "MSFT");

        assertThat(r.status()).isEqualTo(RunStatus.PARTIAL);
        assertThat(r.tickers().get("MSFT").status()).isEqualTo(RunStatus.FAILED);
        assertThat(r.tickers().get("MSFT").error()).contains("404");
        assertThat(r.tickers().get("AAPL").status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(stored("AAPL", JAN_2, JAN_31)).isNotEmpty();
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
        assertThat(runs().get(0).status()).isEqualTo(RunStatus.FAILED);
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
        assertThat(stored("AAPL", LocalDate.of(2025, 1, 3), LocalDate.of(2025, 1, 3))).isEmpty();
        assertThat(r.warnings()).extracting(RunRecord.DataQualityWarning::message)
                .anySatisfy(m -> assertThat(m).contains("high").contains("low"));
    }

    @Test
    void aFailedWriteFailsOnlyThatTickerAndTheNextRunEqualsACleanRun() {
        upstream.series("AAPL", LocalDate.of(2024, 12, 1), JAN_31).series("MSFT", LocalDate.of(2024, 12, 1), JAN_31);
        storage.failWritesOf("MSFT");
        RunRecord broken = run(JAN_2, JAN_31, "AAPL", "MSFT");
        assertThat(broken.status()).isEqualTo(RunStatus.PARTIAL);
        assertThat(broken.tickers().get("MSFT").error()).contains("disk full");

        storage.failWritesOf(null);
        RunRecord retry = incremental(JAN_2, JAN_31, "AAPL", "MSFT");

        TestStorage clean = TestStorage.create();
        TickerEtl.builder().tickers("AAPL", "MSFT").from(JAN_2).to(JAN_31).source(upstream.source())
                .store(TestStorage.PROVIDER, clean.uri(), Map.of()).clock(CLOCK).shutdownHook(false).build().run();
        assertThat(retry.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(storage.partitions()).isEqualTo(clean.partitions());
    }

    @Test
    void anOffsetIsNeverCommittedForATickerWhoseWriteFailed() {
        upstream.series("AAPL", LocalDate.of(2024, 12, 1), JAN_31).series("MSFT", LocalDate.of(2024, 12, 1), JAN_31);
        storage.failWritesOf("MSFT");

        run(JAN_2, JAN_31, "AAPL", "MSFT");

        assertThat(upstream.committed).contains("AAPL").doesNotContain("MSFT");
        String offsets = new String(storage.read("state/offsets/timespan=day/adjusted=true.json").orElseThrow(),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(offsets).contains("\"AAPL\"").doesNotContain("MSFT");
        // So an incremental run asks for MSFT again, and only for MSFT.
        storage.failWritesOf(null);
        incremental(JAN_2, JAN_31, "AAPL", "MSFT");
        assertThat(upstream.requests.get(1).ranges()).extracting(TickerRange::ticker).containsExactly("MSFT");
    }

    @Test
    void aTaggerThatThrowsFailsOnlyThatTicker() {
        upstream.series("AAPL", LocalDate.of(2024, 12, 1), JAN_31).series("MSFT", LocalDate.of(2024, 12, 1), JAN_31);
        PhaseTagger brief = Providers.phaseTagger("brief");

        RunRecord r = builder(JAN_2, JAN_31, "AAPL", "MSFT").phaseTagger(new PhaseTagger() {
            @Override
            public String name() {
                return "fragile";
            }

            @Override
            public Phase phaseOf(Bar bar, PriorSessions prior) {
                if (bar.ticker().equals("MSFT")) {
                    throw new IllegalStateException("no rule for MSFT");
                }
                return brief.phaseOf(bar, prior);
            }
        }).build().run();

        assertThat(r.status()).isEqualTo(RunStatus.PARTIAL);
        assertThat(r.tickers().get("MSFT").error()).contains("no rule for MSFT");
        assertThat(r.tickers().get("AAPL").status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(upstream.committed).doesNotContain("MSFT");
    }

    @Test
    void aTickerWithNoBarInTheWholeRangeIsReported() {
        upstream.series("AAPL", LocalDate.of(2024, 12, 1), JAN_31);

        RunRecord r = run(JAN_2, JAN_31, "AAPL", "APPL");

        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(r.warnings()).filteredOn(w -> w.kind().equals("NO_BARS"))
                .extracting(RunRecord.DataQualityWarning::ticker).containsExactly("APPL");
    }

    // ------------------------------------------------------------------ the run record

    @Test
    void theRunRecordIsWrittenAsRunningFirstThenReplacedByTheOutcome() {
        upstream.series("AAPL", LocalDate.of(2024, 12, 1), JAN_31);

        RunRecord r = run(JAN_2, JAN_31, "AAPL");

        List<String> runWrites = storage.writtenPaths.stream().filter(p -> p.startsWith("runs/")).toList();
        assertThat(runWrites).hasSizeGreaterThanOrEqualTo(2).allMatch(p -> p.equals("runs/" + r.runId() + ".json"));
        assertThat(runs()).containsExactly(r);
        assertThat(r.durationMs()).isNotNull();
        assertThat(r.parameters().tickers()).containsExactly("AAPL");
        assertThat(r.process().pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(upstream.committed).containsExactly("AAPL");
    }

    @Test
    void aSourceThatCannotOpenIsAConfigurationErrorAndRecordsNoRun() {
        TickerEtl unopenable = TickerEtl.builder().tickers("AAPL").from(JAN_2).to(JAN_31).store(TestStorage.PROVIDER, storage.uri(), Map.of())
                .clock(CLOCK).shutdownHook(false).source(new SourceProvider() {
                    @Override
                    public String name() {
                        return "needs-key";
                    }

                    @Override
                    public Source open(ProviderContext context) {
                        throw new IllegalArgumentException("api-key: no key set");
                    }
                }, Map.of()).build();

        assertThatThrownBy(unopenable::run).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("api-key:");
        assertThat(runs()).isEmpty();
    }

    @Test
    void anOffsetIsCommittedOnlyAfterEveryBarBeforeItIsStored() {
        List<String> tickers = List.of("AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "META");
        for (String t : tickers) {
            upstream.series(t, LocalDate.of(2024, 12, 1), JAN_31);
        }
        storage.writeDelay(30);
        List<String> violations = new java.util.concurrent.CopyOnWriteArrayList<>();
        Source source = upstream.source();
        Source checked = new Source() {
            @Override
            public void start(SourceRequest request, OffsetReader offsets) {
                source.start(request, offsets);
            }

            @Override
            public SourceEvent poll(Duration timeout) throws InterruptedException {
                return source.poll(timeout);
            }

            @Override
            public void committed(dev.tickeretl.spi.SourcePartition partition, dev.tickeretl.spi.SourceOffset o) {
                List<Bar> bars = stored(partition.ticker(), JAN_2, JAN_31);
                if (bars.size() != NYSE.tradingDays(JAN_2, JAN_31).size()) {
                    violations.add("committed " + partition + " with " + bars.size() + " bars stored");
                }
                source.committed(partition, o);
            }

            @Override
            public void close() {
                source.close();
            }
        };

        RunRecord r = TickerEtl.builder().tickers(tickers).from(JAN_2).to(JAN_31).source(checked)
                .store(TestStorage.PROVIDER, storage.uri(), Map.of()).clock(CLOCK).shutdownHook(false).build().run();

        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(upstream.committed).containsExactlyInAnyOrderElementsOf(tickers);
        assertThat(violations).isEmpty();
    }

    // ------------------------------------------------------------------ incremental runs and coverage

    @Test
    void incrementalRunOverACompleteRangeAsksTheSourceForNothing() {
        upstream.series("AAPL", LocalDate.of(2024, 12, 1), JAN_31);
        run(JAN_2, JAN_31, "AAPL");

        RunRecord r = incremental(JAN_2, JAN_31, "AAPL");

        assertThat(upstream.dataRequests()).isEqualTo(1); // only the first, full run asked
        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(r.totals().filesWritten()).isZero();
    }

    @Test
    void incrementalRunsNeverAskAgainForDaysUpstreamAnsweredEmpty() {
        // NEWCO lists mid-range; GAPPY has two days missing upstream.
        upstream.series("NEWCO", LocalDate.of(2025, 1, 21), JAN_31)
                .series("GAPPY", LocalDate.of(2024, 12, 1), JAN_31)
                .remove("GAPPY", LocalDate.of(2025, 1, 8)).remove("GAPPY", LocalDate.of(2025, 1, 27));
        incremental(JAN_2, JAN_31, "NEWCO", "GAPPY");
        int afterFirst = upstream.dataRequests();

        RunRecord again = incremental(JAN_2, JAN_31, "NEWCO", "GAPPY");
        RunRecord third = incremental(JAN_2, JAN_31, "NEWCO", "GAPPY");

        assertThat(upstream.dataRequests()).isEqualTo(afterFirst);
        assertThat(again.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(third.totals().filesWritten()).isZero();
    }

    @Test
    void incrementalRunFetchesOnlyTheMissingDaysAndTagsThemAgainstTheStoredLookback() {
        upstream.series("AAPL", LocalDate.of(2024, 12, 1), JAN_31);
        run(JAN_2, LocalDate.of(2025, 1, 17), "AAPL");

        RunRecord r = incremental(JAN_2, JAN_31, "AAPL");

        assertThat(upstream.requests.get(1).ranges())
                .containsExactly(new TickerRange("AAPL", LocalDate.of(2025, 1, 21), JAN_31));
        Bar jan21 = stored("AAPL", LocalDate.of(2025, 1, 21));
        assertThat(jan21.priorVolume()).isEqualTo(upstream.get("AAPL", LocalDate.of(2025, 1, 17)).volume());
        assertThat(r.totals().written()).isEqualTo(NYSE.tradingDays(LocalDate.of(2025, 1, 21), JAN_31).size());
        // The same range done in one go gives identical records.
        TestStorage clean = TestStorage.create();
        TickerEtl.builder().tickers("AAPL").from(JAN_2).to(JAN_31).source(upstream.source()).store(TestStorage.PROVIDER, clean.uri(), Map.of())
                .clock(CLOCK).shutdownHook(false).build().run();
        assertThat(storage.partitions()).isEqualTo(clean.partitions());
    }

    @Test
    void aDayAnsweredBeforeItSettledIsAskedAgain() {
        LocalDate friday = LocalDate.of(2025, 1, 31);
        upstream.series("AAPL", LocalDate.of(2024, 12, 1), friday);
        Clock justAfterClose = Clock.fixed(Instant.parse("2025-01-31T21:30:00Z"), ZoneOffset.UTC);
        Clock nextMorning = Clock.fixed(Instant.parse("2025-02-01T15:00:00Z"), ZoneOffset.UTC);
        builder(JAN_2, friday, "AAPL").clock(justAfterClose).incremental(true).build().run();

        builder(JAN_2, friday, "AAPL").clock(justAfterClose).incremental(true).build().run();
        builder(JAN_2, friday, "AAPL").clock(nextMorning).incremental(true).build().run();
        builder(JAN_2, friday, "AAPL").clock(nextMorning).incremental(true).build().run();

        assertThat(upstream.requests).hasSize(3);
        assertThat(upstream.requests.get(1).ranges()).containsExactly(new TickerRange("AAPL", friday, friday));
        assertThat(upstream.requests.get(2).ranges()).containsExactly(new TickerRange("AAPL", friday, friday));
    }

    @Test
    void aDayWhoseBarWasInvalidIsAskedAgainByTheNextIncrementalRun() {
        upstream.series("AAPL", LocalDate.of(2024, 12, 1), JAN_31);
        LocalDate jan15 = LocalDate.of(2025, 1, 15);
        RawBar good = upstream.get("AAPL", jan15);
        upstream.raw(new RawBar("AAPL", Timespan.DAY, good.startMs(), good.open(), 1.0, 2.0, good.close(),
                good.volume(), null, null, true)); // high < low
        incremental(JAN_2, JAN_31, "AAPL");

        upstream.raw(good); // corrected upstream
        RunRecord again = incremental(JAN_2, JAN_31, "AAPL");

        assertThat(upstream.requests.get(1).ranges()).extracting(TickerRange::from, TickerRange::to)
                .containsExactly(org.assertj.core.api.Assertions.tuple(jan15, jan15));
        assertThat(again.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(stored("AAPL", jan15).high()).isEqualTo(good.high());
        assertThat(stored("AAPL", NYSE.nextTradingDay(jan15)).priorVolume()).as("the next session re-tagged")
                .isEqualTo(good.volume());
    }

    @Test
    void aBoundedRunWhoseBarsOutgrowTheBufferLimitWritesEarlyAndEndsLikeAnyOther() {
        for (String t : List.of("AAPL", "MSFT", "NVDA")) {
            upstream.series(t, LocalDate.of(2024, 1, 1), JAN_31);
        }
        // Like the grouped plan: every bar first, and only then "covered" and "done" for each ticker.
        Source fast = upstream.source();
        Source allBarsFirst = new Source() {
            private final java.util.Deque<SourceEvent> events = new java.util.ArrayDeque<>();

            @Override
            public void start(SourceRequest request, OffsetReader offsets) {
                fast.start(request, offsets);
                List<SourceEvent> rest = new java.util.ArrayList<>();
                SourceEvent e;
                while ((e = pollQuietly(fast)) != null) {
                    if (e instanceof SourceEvent.Bars) {
                        events.add(e);
                    } else {
                        rest.add(e);
                    }
                }
                events.addAll(rest);
            }

            @Override
            public SourceEvent poll(Duration timeout) {
                return events.poll();
            }

            @Override
            public void close() {
            }
        };

        RunRecord r = TickerEtl.builder().tickers("AAPL", "MSFT", "NVDA").from(LocalDate.of(2024, 1, 2)).to(JAN_31)
                .source(allBarsFirst).store(TestStorage.PROVIDER, storage.uri(), Map.of()).clock(CLOCK).shutdownHook(false).maxBufferedBars(50)
                .build().run();

        TestStorage clean = TestStorage.create();
        TickerEtl.builder().tickers("AAPL", "MSFT", "NVDA").from(LocalDate.of(2024, 1, 2)).to(JAN_31)
                .source(upstream.source()).store(TestStorage.PROVIDER, clean.uri(), Map.of()).clock(CLOCK).shutdownHook(false).build().run();
        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(storage.partitions()).isEqualTo(clean.partitions());
    }

    private static SourceEvent pollQuietly(Source source) {
        try {
            return source.poll(Duration.ZERO);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ datasets

    @Test
    void unadjustedBarsNeverChangeTheAdjustedSeries() {
        upstream.series("AAPL", LocalDate.of(2024, 12, 1), JAN_31);
        run(JAN_2, JAN_31, "AAPL");
        List<Bar> adjusted = stored("AAPL", JAN_2, JAN_31);

        RunRecord raw = builder(JAN_2, JAN_31, "AAPL").adjusted(false).build().run();

        assertThat(raw.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(stored("AAPL", JAN_2, JAN_31)).isEqualTo(adjusted);
        try (Store s = Store.open(TestStorage.PROVIDER, storage.uri(), Map.of())) {
            List<Bar> unadjusted = s.bars("AAPL", Timespan.DAY, false, JAN_2, JAN_31);
            assertThat(unadjusted).hasSameSizeAs(adjusted).allMatch(b -> !b.adjusted());
            assertThat(unadjusted.get(0).close()).isEqualTo(adjusted.get(0).close() * 4);
        }
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void aWeekendOnlyRangeStoresNothingSucceedsAndSaysWhy() {
        RunRecord r = run(LocalDate.of(2025, 1, 4), LocalDate.of(2025, 1, 5), "AAPL");

        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(r.totals().written()).isZero();
        assertThat(r.warnings()).extracting(RunRecord.DataQualityWarning::kind).containsExactly("NO_TRADING_DAYS");
        assertThat(upstream.requests).isEmpty();
    }

    @Test
    void badInputNamesTheField() {
        assertThatThrownBy(() -> TickerEtl.builder().tickers("../x")).hasMessageStartingWith("ticker:");
        assertThatThrownBy(() -> builder(JAN_31, JAN_2, "AAPL").build()).hasMessageStartingWith("from:");
        assertThatThrownBy(() -> builder(JAN_2, LocalDate.of(2026, 2, 1), "AAPL").build())
                .hasMessageStartingWith("to:");
        assertThatThrownBy(() -> builder(JAN_2, JAN_31, "AAPL").streaming().build()).hasMessageStartingWith("from:");
        assertThatThrownBy(() -> TickerEtl.builder().from(JAN_2).to(JAN_31).source(upstream.source())
                .store(java.net.URI.create("ftp://x/y")))
                .hasMessageContaining("unknown store scheme 'ftp'").hasMessageContaining("available");
        assertThatThrownBy(() -> TickerEtl.builder().sink(java.net.URI.create("nosuch://x/y")))
                .hasMessageContaining("unknown sink scheme 'nosuch'");
        assertThatThrownBy(() -> TickerEtl.builder().store(TestStorage.PROVIDER, java.net.URI.create("memory:x"),
                Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("store: scheme 'memory' given to a provider of 'test'");
        assertThatThrownBy(() -> Store.open(TestStorage.PROVIDER, java.net.URI.create("file:/x"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("store: scheme 'file'");
    }
}
