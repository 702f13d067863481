package dev.tickeretl.internal;

import static dev.tickeretl.internal.BriefPhaseTaggerTest.bar;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.Bar;
import dev.tickeretl.Phase;
import dev.tickeretl.spi.InvalidBarException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The brief's phase rule at its boundaries: ties, one ulp either side, zero volume, no previous bar. */
class BriefPhaseTaggerProperties {

    private final BriefPhaseTagger tagger = new BriefPhaseTagger();

    /** Prices and volumes: realistic values, tiny and huge magnitudes, and zero. */
    @Provide
    Arbitrary<Double> values() {
        return Arbitraries.oneOf(
                Arbitraries.doubles().between(0, 1_000_000).ofScale(4),
                Arbitraries.of(0.0, Double.MIN_VALUE, Double.MIN_NORMAL, 1.0, 1e15, Double.MAX_VALUE / 2),
                BarArbitraries.nonNegativeDoubles());
    }

    /** Values that still have a larger finite neighbour. */
    @Provide
    Arbitrary<Double> belowMax() {
        return values().filter(v -> v < Double.MAX_VALUE);
    }

    /** Values that still have a smaller non-negative neighbour. */
    @Provide
    Arbitrary<Double> positive() {
        return values().filter(v -> v > 0);
    }

    @Property(tries = 1000)
    void closeEqualToOpenIsNeutral(@ForAll("values") double open, @ForAll("values") double volume,
                                   @ForAll("values") double previousVolume) throws InvalidBarException {
        assertThat(tagger.phaseOf(bar(open, open, volume), TestPriors.previous(bar(1, 2, previousVolume)))).isEqualTo(Phase.NEUTRAL);
    }

    @Property(tries = 1000)
    void volumeEqualToPreviousIsNeutral(@ForAll("values") double open, @ForAll("values") double close,
                                        @ForAll("values") double volume) throws InvalidBarException {
        assertThat(tagger.phaseOf(bar(open, close, volume), TestPriors.previous(bar(2, 1, volume)))).isEqualTo(Phase.NEUTRAL);
    }

    @Property(tries = 1000)
    void closeOneUlpAboveOpenOnOneUlpMoreVolumeIsBull(@ForAll("belowMax") double open,
                                                      @ForAll("belowMax") double previousVolume)
            throws InvalidBarException {
        Bar today = bar(open, Math.nextUp(open), Math.nextUp(previousVolume));
        assertThat(tagger.phaseOf(today, TestPriors.previous(bar(1, 1, previousVolume)))).isEqualTo(Phase.BULL);
    }

    @Property(tries = 1000)
    void closeOneUlpBelowOpenOnOneUlpMoreVolumeIsBear(@ForAll("positive") double open,
                                                      @ForAll("belowMax") double previousVolume)
            throws InvalidBarException {
        Bar today = bar(open, Math.nextDown(open), Math.nextUp(previousVolume));
        assertThat(tagger.phaseOf(today, TestPriors.previous(bar(1, 1, previousVolume)))).isEqualTo(Phase.BEAR);
    }

    @Property(tries = 1000)
    void oneUlpLessVolumeThanPreviousIsNeutralEitherWay(@ForAll("belowMax") double open,
                                                        @ForAll("positive") double previousVolume)
            throws InvalidBarException {
        double less = Math.nextDown(previousVolume);
        Bar previous = bar(1, 1, previousVolume);
        assertThat(tagger.phaseOf(bar(open, Math.nextUp(open), less), TestPriors.previous(previous))).isEqualTo(Phase.NEUTRAL);
        if (open > 0) {
            assertThat(tagger.phaseOf(bar(open, Math.nextDown(open), less), TestPriors.previous(previous))).isEqualTo(Phase.NEUTRAL);
        }
    }

    @Property(tries = 1000)
    void zeroVolumeIsNeutralWhateverThePriceDid(@ForAll("values") double open, @ForAll("values") double close,
                                                @ForAll("values") double previousVolume) throws InvalidBarException {
        assertThat(tagger.phaseOf(bar(open, close, 0.0), TestPriors.previous(bar(1, 2, previousVolume)))).isEqualTo(Phase.NEUTRAL);
    }

    @Property(tries = 1000)
    void withoutAPreviousBarEveryDayIsNeutral(@ForAll("values") double open, @ForAll("values") double close,
                                              @ForAll("values") double volume) throws InvalidBarException {
        assertThat(tagger.phaseOf(bar(open, close, volume), TestPriors.previous(null))).isEqualTo(Phase.NEUTRAL);
    }

    @Property(tries = 1000)
    void phaseIsExactlyTheBriefsRuleAndBullAndBearNeverBothHold(
            @ForAll("values") double open, @ForAll("values") double close,
            @ForAll("values") double volume, @ForAll("values") double previousVolume) throws InvalidBarException {
        boolean moreVolume = volume > previousVolume;
        boolean bull = close > open && moreVolume;
        boolean bear = close < open && moreVolume;
        Phase phase = tagger.phaseOf(bar(open, close, volume), TestPriors.previous(bar(1, 1, previousVolume)));
        assertThat(phase).isEqualTo(bull ? Phase.BULL : bear ? Phase.BEAR : Phase.NEUTRAL);
        if (phase != Phase.NEUTRAL) {
            assertThat(volume).isGreaterThan(previousVolume);
            assertThat(close).isNotEqualTo(open);
        }
    }
}
