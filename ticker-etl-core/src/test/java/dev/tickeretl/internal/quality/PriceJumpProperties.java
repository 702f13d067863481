package dev.tickeretl.internal.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.Bar;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/** The price-jump rule: a log return beyond k standard deviations of the recent log returns, and nothing else. */
class PriceJumpProperties {

    private static final double K = 6;
    private static final int SESSIONS = 20;
    private final PriceJump rule = new PriceJump(K, SESSIONS);

    /** Closes whose log returns are exactly {@code returns} (up to rounding), from 100, then {@code last}. */
    private static double[] closesFrom(double[] returns, double lastReturn) {
        double[] closes = new double[returns.length + 2];
        closes[0] = 100;
        for (int i = 0; i < returns.length; i++) {
            closes[i + 1] = closes[i] * Math.exp(returns[i]);
        }
        closes[returns.length + 1] = closes[returns.length] * Math.exp(lastReturn);
        return closes;
    }

    @Provide
    Arbitrary<double[]> windows() {
        return Arbitraries.doubles().between(-0.05, 0.05).array(double[].class).ofMinSize(SESSIONS)
                .ofMaxSize(SESSIONS);
    }

    @Property
    void aReturnWithinKSigmaOfTheWindowIsNeverAJump(@ForAll("windows") double[] returns,
                                                     @ForAll @DoubleRange(min = -0.98, max = 0.98) double f) {
        double mean = PriceJump.mean(returns, returns.length);
        double sd = PriceJump.standardDeviation(returns, returns.length, mean);
        Assume.that(sd > 1e-4);
        List<Bar> bars = QualityBars.closes(closesFrom(returns, mean + f * K * sd));

        assertThat(rule.check(bars, bars.size() - 1)).isNull();
    }

    @Property
    void aReturnBeyondKSigmaOfTheWindowIsAJump(@ForAll("windows") double[] returns,
                                               @ForAll @DoubleRange(min = 1.02, max = 40) double f,
                                               @ForAll boolean down) {
        double mean = PriceJump.mean(returns, returns.length);
        double sd = PriceJump.standardDeviation(returns, returns.length, mean);
        Assume.that(sd > 1e-4);
        double r = mean + (down ? -f : f) * K * sd;
        List<Bar> bars = QualityBars.closes(closesFrom(returns, r));

        assertThat(rule.check(bars, bars.size() - 1)).isNotNull().contains("standard deviations");
    }

    @Property
    void onlyTheLastSessionsReturnsCount(@ForAll("windows") double[] returns,
                                         @ForAll @DoubleRange(min = -0.5, max = 0.5) double lastReturn,
                                         @ForAll @IntRange(min = 1, max = 30) int older,
                                         @ForAll @DoubleRange(min = 0.5, max = 3) double olderSwing) {
        double[] recent = closesFrom(returns, lastReturn);
        double[] withHistory = new double[older + recent.length];
        for (int i = 0; i < older; i++) {
            withHistory[i] = 100 * (i % 2 == 0 ? olderSwing : 1 / olderSwing); // wild moves long ago
        }
        System.arraycopy(recent, 0, withHistory, older, recent.length);
        List<Bar> shortSeries = QualityBars.closes(recent);
        List<Bar> longSeries = QualityBars.closes(withHistory);

        assertThat(rule.check(longSeries, longSeries.size() - 1) == null)
                .isEqualTo(rule.check(shortSeries, shortSeries.size() - 1) == null);
    }

    @Property
    void fewerReturnsThanHalfTheWindowDecideNothing(@ForAll @IntRange(min = 0, max = 9) int returns,
                                                    @ForAll @DoubleRange(min = 0.01, max = 1000) double last) {
        double[] closes = new double[returns + 2];
        for (int i = 0; i <= returns; i++) {
            closes[i] = 100 + i % 2; // history that barely moves
        }
        closes[returns + 1] = last;
        List<Bar> bars = QualityBars.closes(closes);

        assertThat(rule.check(bars, bars.size() - 1)).isNull();
    }

    @Property
    void aJumpUpAndTheSameJumpDownAreJudgedAlike(@ForAll("windows") double[] returns,
                                                 @ForAll @DoubleRange(min = 0, max = 1) double r) {
        // Mirror the window too, so the mean flips sign with it: log returns are symmetric.
        double[] mirrored = returns.clone();
        for (int i = 0; i < mirrored.length; i++) {
            mirrored[i] = -mirrored[i];
        }
        double mean = PriceJump.mean(returns, returns.length);
        double sd = PriceJump.standardDeviation(returns, returns.length, mean);
        double distance = Math.abs(r - mean) / sd;
        Assume.that(Math.abs(distance - K) > 0.01); // not on the edge, where rounding may decide
        List<Bar> up = QualityBars.closes(closesFrom(returns, r));
        List<Bar> down = QualityBars.closes(closesFrom(mirrored, -r));

        assertThat(rule.check(up, up.size() - 1) == null).isEqualTo(rule.check(down, down.size() - 1) == null);
    }

    @Example
    void returnsThroughAZeroPriceAreLeftOutAndAFlatHistoryMakesAnyMoveAJump() {
        double[] closes = new double[23];
        java.util.Arrays.fill(closes, 50);
        closes[3] = 0; // no logarithm: the two returns around it are left out, 19 remain
        closes[22] = 50.5;
        List<Bar> bars = QualityBars.closes(closes);

        assertThat(rule.check(bars, 22)).contains("+1.0% move").contains("did not vary");
        assertThat(rule.check(bars, 4)).as("the return from a price of 0 is not judged").isNull();
    }

    @Example
    void aTypicalJumpIsDescribedWithItsSizeAndSigmas() {
        double[] closes = new double[22];
        for (int i = 0; i < 21; i++) {
            closes[i] = 100 + (i % 2 == 0 ? 0 : 1);
        }
        closes[21] = 150;
        List<Bar> bars = QualityBars.closes(closes);

        assertThat(rule.check(bars, 21)).startsWith("close 150.0 is a +50.0% move from 100.0 (log return 0.4055)")
                .contains("standard deviations").contains("of the last 20 returns");
    }
}
