package dev.tickeretl.internal.quality;

import dev.tickeretl.Bar;
import java.util.List;
import java.util.Locale;

/**
 * A close-to-close move far outside what the ticker did lately: the log return from the previous stored bar lies more
 * than {@code sigmas} standard deviations from the mean of the last {@code sessions} log returns. Log returns, because
 * they are symmetric (a halving and a doubling are equally far) and add up over days. Too little history (fewer than
 * half the window, or fewer than two returns) decides nothing; returns involving a price of 0 are left out (their
 * logarithm does not exist). Not thread-safe: it reuses its scratch space.
 */
public final class PriceJump {

    private final double sigmas;
    private final int sessions;
    /** Scratch space for one window: an instance judges one series at a time. */
    private final double[] window;

    public PriceJump(double sigmas, int sessions) {
        this.sigmas = sigmas;
        this.sessions = sessions;
        this.window = new double[sessions];
    }

    /** The returns this rule needs before it judges a bar. */
    public int minimumReturns() {
        return Math.max(2, (sessions + 1) / 2);
    }

    /** Why {@code series.get(i)} is a price jump, or null. {@code series}: one ticker's bars in time order. */
    public String check(List<Bar> series, int i) {
        return check(series, logReturns(series), i);
    }

    /**
     * The same, with {@code returns} from {@link #logReturns}: a series' logarithms are taken once, not once per
     * window they fall in.
     */
    public String check(List<Bar> series, double[] returns, int i) {
        if (i < 1) {
            return null;
        }
        double r = returns[i];
        if (Double.isNaN(r)) {
            return null;
        }
        double[] window = this.window;
        int n = 0;
        for (int j = i - 1; j >= 1 && i - j <= sessions; j--) {
            if (!Double.isNaN(returns[j])) {
                window[n++] = returns[j];
            }
        }
        if (n < minimumReturns()) {
            return null;
        }
        double mean = mean(window, n);
        double sd = standardDeviation(window, n, mean);
        if (!isJump(r, mean, sd, sigmas)) {
            return null;
        }
        double move = Math.expm1(r) * 100;
        String distance = sd == 0 ? "the last " + n + " returns did not vary at all"
                : String.format(Locale.ROOT, "%.1f standard deviations (%.4f) from the mean of the last %d returns",
                Math.abs(r - mean) / sd, sd, n);
        return String.format(Locale.ROOT, "close %s is a %+.1f%% move from %s (log return %.4f): %s", series.get(i)
                .close(), move, series.get(i - 1).close(), r, distance);
    }

    /** Element i: the log return from bar i - 1 to bar i (NaN for the first bar and through a price of 0). */
    public static double[] logReturns(List<Bar> series) {
        double[] returns = new double[series.size()];
        if (returns.length > 0) {
            returns[0] = Double.NaN;
        }
        for (int i = 1; i < returns.length; i++) {
            returns[i] = logReturn(series.get(i - 1).close(), series.get(i).close());
        }
        return returns;
    }

    /** {@code ln(to / from)}, or NaN when either price is not positive. */
    public static double logReturn(double from, double to) {
        return from > 0 && to > 0 ? Math.log(to / from) : Double.NaN;
    }

    /** Whether {@code r} lies more than {@code k} standard deviations {@code sd} from {@code mean}. */
    public static boolean isJump(double r, double mean, double sd, double k) {
        return Math.abs(r - mean) > k * sd;
    }

    static double mean(double[] values, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += values[i];
        }
        return sum / n;
    }

    /** The sample standard deviation (n - 1): a window is a sample of the ticker's behaviour. */
    static double standardDeviation(double[] values, int n, double mean) {
        double squares = 0;
        for (int i = 0; i < n; i++) {
            double d = values[i] - mean;
            squares += d * d;
        }
        return Math.sqrt(squares / (n - 1));
    }
}
