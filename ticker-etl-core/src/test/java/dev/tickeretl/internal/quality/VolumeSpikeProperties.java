package dev.tickeretl.internal.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.Bar;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/** The volume-spike rule: a volume above m times the median of the last sessions' volumes. */
class VolumeSpikeProperties {

    private static final double M = 10;
    private static final int SESSIONS = 20;
    private final VolumeSpike rule = new VolumeSpike(M, SESSIONS);

    @Provide
    Arbitrary<double[]> windows() {
        return Arbitraries.doubles().between(0, 1e9).ofScale(0).array(double[].class).ofMinSize(10)
                .ofMaxSize(SESSIONS);
    }

    private static double[] with(double[] history, double last) {
        double[] all = java.util.Arrays.copyOf(history, history.length + 1);
        all[history.length] = last;
        return all;
    }

    @Property
    void theMedianHasHalfTheValuesOnEitherSide(@ForAll("windows") double[] values) {
        double median = VolumeSpike.median(values.clone());

        long notAbove = java.util.Arrays.stream(values).filter(v -> v <= median).count();
        long notBelow = java.util.Arrays.stream(values).filter(v -> v >= median).count();
        assertThat(notAbove * 2).isGreaterThanOrEqualTo(values.length);
        assertThat(notBelow * 2).isGreaterThanOrEqualTo(values.length);
    }

    @Property
    void aVolumeIsASpikeExactlyWhenItExceedsMTimesAPositiveMedian(@ForAll("windows") double[] history,
                                                                 @ForAll @DoubleRange(min = 0, max = 30) double f) {
        double median = VolumeSpike.median(history.clone());
        double volume = Math.floor(median * f);
        List<Bar> bars = QualityBars.volumes(with(history, volume));

        String verdict = rule.check(bars, bars.size() - 1);

        assertThat(verdict != null).isEqualTo(median > 0 && volume > M * median);
    }

    @Property
    void barsBeforeTheWindowDoNotCount(@ForAll("windows") double[] history,
                                       @ForAll @DoubleRange(min = 0, max = 1e10) double volume,
                                       @ForAll @IntRange(min = 1, max = 40) int older) {
        double[] full = new double[SESSIONS];
        for (int i = 0; i < SESSIONS; i++) {
            full[i] = history[i % history.length];
        }
        double[] withOld = new double[older + SESSIONS];
        java.util.Arrays.fill(withOld, 0, older, 1e12); // huge volumes long ago
        System.arraycopy(full, 0, withOld, older, SESSIONS);
        List<Bar> recent = QualityBars.volumes(with(full, volume));
        List<Bar> longer = QualityBars.volumes(with(withOld, volume));

        assertThat(rule.check(longer, longer.size() - 1) == null).isEqualTo(rule.check(recent, recent.size() - 1)
                == null);
    }

    @Property
    void lessThanHalfAWindowOfHistoryDecidesNothing(@ForAll @IntRange(min = 0, max = 9) int sessions,
                                                   @ForAll @DoubleRange(min = 0, max = 1e12) double volume) {
        double[] volumes = new double[sessions + 1];
        java.util.Arrays.fill(volumes, 1);
        volumes[sessions] = volume;
        List<Bar> bars = QualityBars.volumes(volumes);

        assertThat(rule.check(bars, sessions)).isNull();
    }

    @Property
    void judgingASeriesBarByBarGivesWhatJudgingEachBarAloneGives(
            @ForAll @net.jqwik.api.constraints.Size(min = 1, max = 80) List<@IntRange(min = 0, max = 40) Integer> raw) {
        // Few distinct values, so the sliding window meets equal volumes on both ends.
        double[] volumes = raw.stream().mapToDouble(v -> v * 1000.0).toArray();
        List<Bar> bars = QualityBars.volumes(volumes);
        VolumeSpike sliding = new VolumeSpike(2, 6);

        for (int i = 0; i < bars.size(); i++) {
            assertThat(sliding.check(bars, i)).as("bar %d", i).isEqualTo(new VolumeSpike(2, 6).check(bars, i));
        }
    }

    @Example
    void aSpikeIsDescribedWithItsMultipleOfTheMedian() {
        double[] volumes = new double[21];
        java.util.Arrays.fill(volumes, 1_000);
        volumes[20] = 12_500;
        List<Bar> bars = QualityBars.volumes(volumes);

        assertThat(rule.check(bars, 20)).isEqualTo("volume 12500.0 is 12.5 times the median 1000.0 of the last 20"
                + " sessions");
    }
}
