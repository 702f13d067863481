package dev.tickeretl.internal.quality;

import dev.tickeretl.Bar;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A volume far above the ticker's usual: more than {@code factor} times the median volume of the last
 * {@code sessions} stored bars. The median, because one earlier spike in the window would drag a mean up and hide
 * the next. A median of 0 (a ticker that mostly does not trade) decides nothing, nor does a window less than half
 * full. Not thread-safe: it reuses its scratch space.
 */
public final class VolumeSpike {

    private final double factor;
    private final int sessions;
    /** The sorted volumes of the window last judged: an instance judges one series at a time. */
    private final double[] window;
    private int windowSize;
    private List<Bar> lastSeries;
    private int lastIndex = -1;

    public VolumeSpike(double factor, int sessions) {
        this.factor = factor;
        this.sessions = sessions;
        this.window = new double[sessions];
    }

    /** The earlier bars this rule needs before it judges a bar. */
    public int minimumSessions() {
        return Math.max(1, (sessions + 1) / 2);
    }

    /**
     * Why {@code series.get(i)} is a volume spike, or null. {@code series}: one ticker's bars in time order. Judging
     * the bars of a series one after another costs one insertion per bar, not a sort of the whole window.
     */
    public String check(List<Bar> series, int i) {
        int from = Math.max(0, i - sessions);
        int n = i - from;
        slide(series, i, from, n);
        if (n < minimumSessions()) {
            return null;
        }
        double median = n % 2 == 1 ? window[n / 2] : (window[n / 2 - 1] + window[n / 2]) / 2;
        double volume = series.get(i).volume();
        if (!isSpike(volume, median, factor)) {
            return null;
        }
        return String.format(Locale.ROOT, "volume %s is %.1f times the median %s of the last %d sessions", volume,
                volume / median, median, n);
    }

    /** Makes {@code window} the sorted volumes of bars [from, i): from the previous bar's window when it is next. */
    private void slide(List<Bar> series, int i, int from, int n) {
        if (series == lastSeries && i == lastIndex + 1 && i > 0) {
            int removeAt = i - 1 - sessions;
            int size = windowSize;
            if (removeAt >= 0) {
                int at = Arrays.binarySearch(window, 0, size, series.get(removeAt).volume());
                if (at >= 0) {
                    System.arraycopy(window, at + 1, window, at, size - at - 1);
                    size--;
                } else {
                    size = -1; // not there (cannot happen with finite volumes): rebuild below
                }
            }
            if (size >= 0) {
                double added = series.get(i - 1).volume();
                int at = Arrays.binarySearch(window, 0, size, added);
                int insert = at >= 0 ? at : -at - 1;
                System.arraycopy(window, insert, window, insert + 1, size - insert);
                window[insert] = added;
                windowSize = size + 1;
                lastIndex = i;
                return;
            }
        }
        for (int j = from; j < i; j++) {
            window[j - from] = series.get(j).volume();
        }
        Arrays.sort(window, 0, n);
        windowSize = n;
        lastSeries = series;
        lastIndex = i;
    }

    /** Whether {@code volume} is a spike against {@code median}. */
    public static boolean isSpike(double volume, double median, double factor) {
        return median > 0 && volume > factor * median;
    }

    /** The median of {@code values} (the mean of the middle two for an even count); sorts them. */
    public static double median(double[] values) {
        return median(values, values.length);
    }

    /** The median of the first {@code n} of {@code values}; sorts them. */
    static double median(double[] values, int n) {
        Arrays.sort(values, 0, n);
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }
}
