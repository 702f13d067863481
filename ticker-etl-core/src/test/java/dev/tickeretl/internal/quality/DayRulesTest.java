package dev.tickeretl.internal.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.Bar;
import dev.tickeretl.QualityRules;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The day rules together: what each finds in planted data, and that only the judged bars are judged. */
class DayRulesTest {

    private final DayRules rules = new DayRules(QualityRules.defaults(), QualityBars.NYSE);

    private static List<Bar> quietMonth() {
        List<Bar> bars = new ArrayList<>();
        LocalDate d = QualityBars.FIRST;
        for (int i = 0; i < 25; i++) {
            double close = 100 + (i % 3);
            bars.add(QualityBars.day(d, close, close + 1, close - 1, close, 1_000 + i));
            d = QualityBars.NYSE.nextTradingDay(d);
        }
        return bars;
    }

    private static List<String> checks(List<Issue> issues) {
        return issues.stream().map(i -> i.check().name() + " " + i.tradingDate()).toList();
    }

    @Test
    void aQuietSeriesHasNoFinding() {
        assertThat(rules.check(quietMonth(), b -> true, d -> false)).isEmpty();
    }

    @Test
    void anOpenAboveTheHighIsAnOhlcRangeFinding() {
        List<Bar> bars = quietMonth();
        Bar b = bars.get(21);
        bars.set(21, QualityBars.day(b.tradingDate(), b.high() + 0.5, b.high(), b.low(), b.close(), b.volume()));

        List<Issue> issues = rules.check(bars, x -> true, d -> false);

        assertThat(checks(issues)).containsExactly("OHLC_RANGE " + b.tradingDate());
        assertThat(issues.get(0).message()).startsWith("open 101.5 lies outside the bar's range [low 99.0, high"
                + " 101.0]");
    }

    @Test
    void aZeroVolumeDayIsAFinding() {
        List<Bar> bars = quietMonth();
        Bar b = bars.get(5);
        bars.set(5, QualityBars.day(b.tradingDate(), b.open(), b.high(), b.low(), b.close(), 0));

        assertThat(checks(rules.check(bars, x -> true, d -> false))).containsExactly("ZERO_VOLUME "
                + b.tradingDate());
    }

    @Test
    void jumpAndSpikeAreFoundOnTheDayTheyHappen() {
        List<Bar> bars = quietMonth();
        Bar b = bars.get(22);
        bars.set(22, QualityBars.day(b.tradingDate(), 160, 161, 159, 160, 50_000));

        assertThat(checks(rules.check(bars, x -> true, d -> false))).containsExactly(
                "PRICE_JUMP " + b.tradingDate(), "VOLUME_SPIKE " + b.tradingDate());
    }

    @Test
    void aGapIsMissingUnlessCoverageSaysUpstreamAnsweredItEmpty() {
        List<Bar> bars = quietMonth();
        LocalDate first = bars.remove(10).tradingDate();
        LocalDate second = bars.remove(10).tradingDate();

        List<Issue> plain = rules.check(bars, x -> true, d -> false);
        List<Issue> halfCovered = rules.check(bars, x -> true, d -> d.equals(second));

        assertThat(checks(plain)).containsExactly("MISSING_TRADING_DAY " + first);
        assertThat(plain.get(0).message()).startsWith("2 trading days without a bar between");
        assertThat(checks(halfCovered)).containsExactly("MISSING_TRADING_DAY " + first,
                "COVERED_WITHOUT_BAR " + second);
    }

    @Test
    void onlyJudgedBarsAndGapsNextToThemAreReported() {
        List<Bar> bars = quietMonth();
        Bar spike = bars.get(22);
        bars.set(22, QualityBars.day(spike.tradingDate(), 100, 101, 99, 100, 90_000));
        bars.remove(15); // a gap between 14 and 15 (now), far from the judged bar
        Set<LocalDate> judged = Set.of(bars.get(23).tradingDate());

        assertThat(rules.check(bars, b -> judged.contains(b.tradingDate()), d -> false)).isEmpty();
        assertThat(checks(rules.check(bars, b -> b.tradingDate().equals(spike.tradingDate()), d -> false)))
                .containsExactly("VOLUME_SPIKE " + spike.tradingDate());
    }
}
