package dev.tickeretl.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.MarketTime;
import dev.tickeretl.Timespan;
import dev.tickeretl.TradingCalendar;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class SyntheticBarProperties {

    private static final TradingCalendar NYSE = TradingCalendar.nyse();

    @Provide
    Arbitrary<String> tickers() {
        Arbitrary<String> root = Arbitraries.strings().withCharRange('A', 'Z').ofMinLength(1).ofMaxLength(5);
        Arbitrary<String> suffix = Arbitraries.of("", "", "", ".A", ".B", "W");
        return Combinators.combine(root, suffix).as(String::concat);
    }

    @Provide
    Arbitrary<LocalDate> dates() {
        return Arbitraries.longs()
                .between(LocalDate.of(1990, 1, 1).toEpochDay(), LocalDate.of(2040, 12, 31).toEpochDay())
                .map(LocalDate::ofEpochDay);
    }

    /** A market listing just {@code ticker}, since the first simulated day. */
    private static SyntheticMarket market(long seed, String ticker) {
        Universe universe = Universe.of(List.of(ticker), Map.of(ticker, SyntheticMarket.FIRST_DATE), Map.of());
        return new SyntheticMarket(seed, universe, Map.of(), Set.of());
    }

    private static void assertOhlcInvariants(SimulatedBar bar) {
        assertThat(bar.low()).isPositive();
        assertThat(bar.low()).isLessThanOrEqualTo(Math.min(bar.open(), bar.close()));
        assertThat(Math.max(bar.open(), bar.close())).isLessThanOrEqualTo(bar.high());
        assertThat(bar.vwap()).isBetween(bar.low(), bar.high());
        assertThat(bar.volume()).isPositive();
        assertThat(bar.transactions()).isPositive();
    }

    @Property(tries = 400)
    void dailyBarsExistOnTradingDaysOnlyAndKeepTheOhlcInvariants(@ForAll("tickers") String ticker,
                                                                  @ForAll("dates") LocalDate date,
                                                                  @ForAll long seed, @ForAll boolean adjusted) {
        Optional<SimulatedBar> bar = market(seed, ticker).daily(ticker, date, adjusted);

        assertThat(bar.isPresent()).isEqualTo(NYSE.isTradingDay(date));
        bar.ifPresent(b -> {
            assertOhlcInvariants(b);
            assertThat(b.ticker()).isEqualTo(ticker);
            assertThat(b.t()).isEqualTo(MarketTime.startOfDayMs(date));
        });
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE) // six parameters: their edge cases alone exceed the tries
    void aBarIsTheSameWhateverRangeAsksForIt(@ForAll("tickers") String ticker, @ForAll("dates") LocalDate date,
                                             @ForAll long seed, @ForAll @IntRange(max = 60) int daysBefore,
                                             @ForAll @IntRange(max = 60) int daysAfter, @ForAll boolean descending) {
        SyntheticMarket market = market(seed, ticker);
        long lo = MarketTime.startOfDayMs(date.minusDays(daysBefore));
        long hi = MarketTime.startOfDayMs(date.plusDays(daysAfter + 1L)) - 1;

        List<SimulatedBar> range = market.range(ticker, Timespan.DAY, lo, hi, descending, true, Integer.MAX_VALUE);
        Optional<SimulatedBar> alone = market(seed, ticker).daily(ticker, date, true);

        assertThat(range).hasSize(NYSE.tradingDays(date.minusDays(daysBefore), date.plusDays(daysAfter)).size());
        alone.ifPresent(bar -> assertThat(range).contains(bar));
    }

    @Property(tries = 40, edgeCases = EdgeCasesMode.NONE)
    void minuteBarsStayInsideTheirDayAndRunFromItsOpenToItsClose(@ForAll("tickers") String ticker,
                                                                 @ForAll("dates") LocalDate date,
                                                                 @ForAll long seed) {
        SyntheticMarket market = market(seed, ticker);
        long lo = MarketTime.startOfDayMs(date);
        long hi = MarketTime.startOfDayMs(date.plusDays(1)) - 1;

        List<SimulatedBar> minutes = market.range(ticker, Timespan.MINUTE, lo, hi, false, true, Integer.MAX_VALUE);
        Optional<SimulatedBar> day = market.daily(ticker, date, true);

        assertThat(minutes.isEmpty()).isEqualTo(day.isEmpty());
        day.ifPresent(d -> {
            TradingCalendar.Session session = NYSE.session(date).orElseThrow();
            // Minutes without trades have no bar; the opening and closing minutes always trade.
            assertThat(minutes).hasSizeLessThanOrEqualTo(
                    (int) java.time.Duration.between(session.open(), session.close()).toMinutes());
            assertThat(minutes).extracting(SimulatedBar::t).isSorted().doesNotHaveDuplicates();
            assertThat(minutes.get(0).t()).isEqualTo(session.open().toInstant().toEpochMilli());
            assertThat(minutes.get(minutes.size() - 1).t())
                    .isEqualTo(session.close().toInstant().toEpochMilli() - 60_000L);
            assertThat(minutes.get(0).open()).isEqualTo(d.open());
            assertThat(minutes.get(minutes.size() - 1).close()).isEqualTo(d.close());
            for (SimulatedBar minute : minutes) {
                assertOhlcInvariants(minute);
                assertThat(minute.low()).isGreaterThanOrEqualTo(d.low());
                assertThat(minute.high()).isLessThanOrEqualTo(d.high());
            }
        });
    }

    @Property(tries = 300)
    void unadjustedBarsAreTheAdjustedOnesScaledBeforeTheSplit(@ForAll("tickers") String ticker,
                                                              @ForAll("dates") LocalDate date, @ForAll long seed) {
        SyntheticMarket market = market(seed, ticker);
        Optional<SimulatedBar> adjusted = market.daily(ticker, date, true);
        Optional<SimulatedBar> raw = market.daily(ticker, date, false);

        adjusted.ifPresent(a -> {
            SimulatedBar r = raw.orElseThrow();
            assertOhlcInvariants(r);
            if (date.isBefore(SyntheticMarket.SPLIT_DATE)) {
                assertThat(r.close() / a.close()).isBetween(1.99, 4.01);
                assertThat(r.volume()).isLessThan(a.volume());
            } else {
                assertThat(r).isEqualTo(a);
            }
        });
    }
}
