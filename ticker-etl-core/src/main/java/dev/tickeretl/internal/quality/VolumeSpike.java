package dev.tickeretl.internal.quality;

import dev.tickeretl.Bar;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A volume far above the ticker's usual: more than {@code factor} times the median volume of the last
 * {@code sessions} stored bars. The median, because one earlier spike in the window would drag a mean up and hide
 * the next. A median of 0 (a ticker that mostly does not trade) decides nothing, nor does a window less than half
 * full.
 */
public final class VolumeSpike {

    private final double factor;
    private final int sessions;

    public VolumeSpike(double factor, int sessions) {
        this.factor = factor;
        this.sessions = sessions;
    }

    /** The earlier bars this rule needs before it judges a bar. */
    public int minimumSessions() {
        return Math.max(1, (sessions + 1) / 2);
    }

    /** Why {@code series.get(i)} is a volume spike, or null. {@code series}: one ticker's bars in time order. */
    public String check(List<Bar> series, int i) {
        int from = Math.max(0, i - sessions);
        int n = i - from;
        if (n < minimumSessions()) {
            return null;
        }
        double[] window = new double[n];
        for (int j = from; j < i; j++) {
            window[j - from] = series.get(j).volume();
        }
        double median = median(window);
        double volume = series.get(i).volume();
        if (!isSpike(volume, median, factor)) {
            return null;
        }
        return String.format(Locale.ROOT, "volume %s is %.1f times the median %s of the last %d sessions", volume,
                volume / median, median, n);
    }

    /** Whether {@code volume} is a spike against {@code median}. */
    public static boolean isSpike(double volume, double median, double factor) {
        return median > 0 && volume > factor * median;
    }

    /** The median of {@code values} (the mean of the middle two for an even count); sorts them. */
    public static double median(double[] values) {
        Arrays.sort(values);
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }
}
