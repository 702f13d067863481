package dev.tickeretl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The store never contradicts itself, whatever path wrote it: for any range, any split of it into runs (full and
 * incremental, in any order), any listing date and any days missing upstream, and any single failed write followed
 * by a re-run, the final store holds exactly the bytes of one clean full run, and every stored day bar carries the
 * stored volume of its previous trading session and the brief's phase on it. The dates cross a year end, New
 * Year's Day, MLK Day, Presidents' Day and the 2025-01-09 closure, so the previous-session boundary is exercised
 * across weekends, holidays and gaps.
 */
class PipelineProperties {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-15T21:00:00Z"), ZoneOffset.UTC);
    private static final TradingCalendar NYSE = TradingCalendar.nyse();
    private static final LocalDate FIRST = LocalDate.of(2024, 12, 16);
    private static final LocalDate LAST = LocalDate.of(2025, 2, 28);
    private static final int DAYS = (int) (LAST.toEpochDay() - FIRST.toEpochDay());

    /** One generated history of runs. */
    record Scenario(LocalDate from, LocalDate to, LocalDate listing, List<LocalDate> gaps, List<Integer> cuts,
                    long order, List<Boolean> incremental, int failingRun, String failingTicker,
                    boolean healIncrementally) {
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Integer> day = Arbitraries.integers().between(0, DAYS);
        Arbitrary<List<Integer>> gaps = day.list().ofMaxSize(4);
        Arbitrary<List<Integer>> cuts = day.list().ofMaxSize(4);
        Arbitrary<List<Boolean>> incremental = Arbitraries.of(true, false).list().ofSize(5);
        Arbitrary<Integer> failingRun = Arbitraries.integers().between(-1, 4);
        return Combinators.combine(day, day, Arbitraries.integers().between(-20, DAYS), gaps, cuts,
                        Arbitraries.longs(), incremental, failingRun)
                .flatAs((a, b, listing, g, c, order, inc, fail) -> Combinators.combine(
                                Arbitraries.of("AAA", "BBB"), Arbitraries.of(true, false))
                        .as((ticker, heal) -> new Scenario(FIRST.plusDays(Math.min(a, b)), FIRST.plusDays(Math.max(a, b)),
                                FIRST.plusDays(listing), g.stream().map(FIRST::plusDays).toList(), c, order, inc,
                                fail, ticker, heal)));
    }

    @Property(tries = 100)
    void anySplitOfARangeIntoRunsEndsAsOneCleanFullRun(@ForAll("scenarios") Scenario s) {
        FakeUpstream upstream = new FakeUpstream();
        upstream.series("AAA", FIRST.minusDays(20), LAST);
        for (LocalDate gap : s.gaps()) {
            if (NYSE.isTradingDay(gap)) {
                upstream.remove("AAA", gap);
            }
        }
        upstream.series("BBB", s.listing(), LAST);

        TestStorage split = TestStorage.create();
        List<LocalDate[]> pieces = pieces(s);
        for (int i = 0; i < pieces.size(); i++) {
            split.failWritesOf(i == s.failingRun() ? s.failingTicker() : null);
            run(upstream, split, pieces.get(i)[0], pieces.get(i)[1], s.incremental().get(i));
        }
        split.failWritesOf(null);
        if (s.failingRun() >= 0 && s.failingRun() < pieces.size()) {
            run(upstream, split, s.from(), s.to(), s.healIncrementally());
        }

        TestStorage clean = TestStorage.create();
        RunRecord cleanRun = run(upstream, clean, s.from(), s.to(), false);

        assertThat(cleanRun.status()).isIn(RunStatus.SUCCEEDED, RunStatus.PARTIAL);
        assertThat(split.partitions()).as("pieces %s", describe(pieces)).isEqualTo(clean.partitions());
        for (String t : List.of("AAA", "BBB")) {
            try (Store store = Store.open(TestStorage.PROVIDER, split.uri(), Map.of())) {
                assertInvariant(store.bars(t, FIRST.minusDays(40), LAST));
            }
        }
    }

    /** [from, to] cut at the scenario's cut points, in the scenario's order. */
    private static List<LocalDate[]> pieces(Scenario s) {
        List<LocalDate> starts = new ArrayList<>(List.of(s.from()));
        for (int cut : s.cuts()) {
            LocalDate d = FIRST.plusDays(cut);
            if (d.isAfter(s.from()) && !d.isAfter(s.to()) && !starts.contains(d)) {
                starts.add(d);
            }
        }
        Collections.sort(starts);
        List<LocalDate[]> pieces = new ArrayList<>();
        for (int i = 0; i < starts.size(); i++) {
            LocalDate end = i + 1 < starts.size() ? starts.get(i + 1).minusDays(1) : s.to();
            pieces.add(new LocalDate[] {starts.get(i), end});
        }
        Collections.shuffle(pieces, new Random(s.order()));
        return pieces;
    }

    private static RunRecord run(FakeUpstream upstream, TestStorage storage, LocalDate from, LocalDate to,
                                 boolean incremental) {
        return TickerEtl.builder().tickers("AAA", "BBB").from(from).to(to).incremental(incremental)
                .source(upstream.source()).store(TestStorage.PROVIDER, storage.uri(), Map.of()).clock(CLOCK).shutdownHook(false).build().run();
    }

    /** The oracle, written apart from the store's code. */
    private static void assertInvariant(List<Bar> stored) {
        Map<LocalDate, Bar> byDate = new HashMap<>();
        for (Bar b : stored) {
            byDate.put(b.tradingDate(), b);
        }
        for (Bar b : stored) {
            Bar previous = byDate.get(NYSE.previousTradingDay(b.tradingDate()));
            assertThat(b.priorVolume()).as("prior volume of %s %s", b.ticker(), b.tradingDate())
                    .isEqualTo(previous == null ? null : previous.volume());
            Phase expected = previous == null || !(b.volume() > previous.volume()) ? Phase.NEUTRAL
                    : b.close() > b.open() ? Phase.BULL : b.close() < b.open() ? Phase.BEAR : Phase.NEUTRAL;
            assertThat(b.phase()).as("phase of %s %s", b.ticker(), b.tradingDate()).isEqualTo(expected);
        }
    }

    private static String describe(List<LocalDate[]> pieces) {
        List<String> out = new ArrayList<>();
        for (LocalDate[] p : pieces) {
            out.add(p[0] + ".." + p[1]);
        }
        return out.toString();
    }
}
