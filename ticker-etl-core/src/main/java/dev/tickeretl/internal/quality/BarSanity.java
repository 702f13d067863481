package dev.tickeretl.internal.quality;

import dev.tickeretl.Bar;
import java.util.Locale;

/**
 * OHLC sanity of one bar on its own. The transformer refuses what no market produces ({@link #invalid}: the same
 * rule, for bars already stored); a bar whose open or close lies outside its own [low, high], or that traded nothing,
 * is stored but suspect.
 */
public final class BarSanity {

    private BarSanity() {
    }

    /** Why {@code bar} breaks the contract's value rules (what {@code INVALID_BAR} means), or null. */
    public static String invalid(Bar bar) {
        String bad = firstBad("open", bar.open(), "high", bar.high(), "low", bar.low(), "close", bar.close(),
                "volume", bar.volume());
        if (bad != null) {
            return bad;
        }
        if (bar.vwap() != null && !(bar.vwap() >= 0) || bar.vwap() != null && Double.isInfinite(bar.vwap())) {
            return "vwap " + bar.vwap() + " is not a non-negative number";
        }
        if (bar.transactions() != null && bar.transactions() < 0) {
            return "transactions " + bar.transactions() + " is negative";
        }
        if (bar.priorVolume() != null && !(bar.priorVolume() >= 0)) {
            return "prior_volume " + bar.priorVolume() + " is not a non-negative number";
        }
        if (bar.high() < bar.low()) {
            return "high " + bar.high() + " < low " + bar.low();
        }
        return null;
    }

    private static String firstBad(Object... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            double v = (Double) namesAndValues[i + 1];
            if (!(v >= 0) || Double.isInfinite(v)) {
                return namesAndValues[i] + " " + v + " is not a non-negative number";
            }
        }
        return null;
    }

    /** Why the open or close lies outside [low, high] ({@code OHLC_RANGE}), or null. */
    public static String outsideRange(Bar bar) {
        String open = outside("open", bar.open(), bar);
        return open != null ? open : outside("close", bar.close(), bar);
    }

    private static String outside(String field, double value, Bar bar) {
        if (value > bar.high() || value < bar.low()) {
            return String.format(Locale.ROOT, "%s %s lies outside the bar's range [low %s, high %s]", field,
                    value, bar.low(), bar.high());
        }
        return null;
    }

    /** Why the bar counts as a zero-volume bar ({@code ZERO_VOLUME}), or null. */
    public static String zeroVolume(Bar bar) {
        return bar.volume() == 0 ? "volume is 0 (a halt, or a bar upstream did not fill in)" : null;
    }
}
