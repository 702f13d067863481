package dev.tickeretl.internal.quality;

import dev.tickeretl.Bar;
import dev.tickeretl.QualityRules;
import dev.tickeretl.TradingCalendar;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The data-quality rules that judge a day bar against its stored neighbours: OHLC range, zero volume, price jump,
 * volume spike and missing trading days. Runs and {@code ticker-etl check} both go through here, so they find the
 * same things in the same data. Not thread-safe (the rules reuse scratch space): one instance per write or check.
 */
public final class DayRules {

    private final PriceJump jump;
    private final VolumeSpike spike;
    private final TradingCalendar calendar;
    private final int history;

    public DayRules(QualityRules rules, TradingCalendar calendar) {
        this.jump = new PriceJump(rules.jumpSigmas(), rules.jumpSessions());
        this.spike = new VolumeSpike(rules.spikeFactor(), rules.spikeSessions());
        this.calendar = calendar;
        this.history = Math.max(rules.jumpSessions() + 1, rules.spikeSessions());
    }

    /** How many stored bars before the first judged one the rules look at. */
    public int history() {
        return history;
    }

    /**
     * Findings about the bars of {@code series} that {@code target} accepts.
     *
     * @param series   one ticker's day bars in time order, one per date, with the history before the targets
     * @param target   which bars to judge (a run: the bars it wrote; a check: those in the range)
     * @param answered days upstream answered with no bar (coverage): a gap of those is {@code COVERED_WITHOUT_BAR},
     *                 any other gap {@code MISSING_TRADING_DAY}
     */
    public List<Issue> check(List<Bar> series, Predicate<Bar> target, Predicate<LocalDate> answered) {
        List<Issue> issues = new ArrayList<>();
        double[] returns = PriceJump.logReturns(series);
        for (int i = 0; i < series.size(); i++) {
            Bar bar = series.get(i);
            boolean judged = target.test(bar);
            if (i > 0 && (judged || target.test(series.get(i - 1)))) {
                gap(series.get(i - 1), bar, answered, issues);
            }
            if (!judged) {
                continue;
            }
            add(issues, QualityCheck.OHLC_RANGE, bar, BarSanity.outsideRange(bar));
            add(issues, QualityCheck.ZERO_VOLUME, bar, BarSanity.zeroVolume(bar));
            add(issues, QualityCheck.PRICE_JUMP, bar, jump.check(series, returns, i));
            add(issues, QualityCheck.VOLUME_SPIKE, bar, spike.check(series, i));
        }
        return issues;
    }

    private void gap(Bar before, Bar after, Predicate<LocalDate> answered, List<Issue> issues) {
        MissingTradingDays.Gap gap = MissingTradingDays.between(before.tradingDate(), after.tradingDate(), calendar);
        if (gap == null) {
            return;
        }
        List<LocalDate> covered = new ArrayList<>();
        List<LocalDate> missing = new ArrayList<>();
        for (LocalDate d : gap.missing()) {
            (answered.test(d) ? covered : missing).add(d);
        }
        if (!missing.isEmpty()) {
            issues.add(new Issue(QualityCheck.MISSING_TRADING_DAY, after.ticker(), missing.get(0),
                    new MissingTradingDays.Gap(gap.before(), gap.after(), missing).describe("without a bar")));
        }
        if (!covered.isEmpty()) {
            issues.add(new Issue(QualityCheck.COVERED_WITHOUT_BAR, after.ticker(), covered.get(0),
                    new MissingTradingDays.Gap(gap.before(), gap.after(), covered).describe("answered without a bar")
                            + " (a halt upstream, or bars lost after the answer was recorded: an incremental run will"
                            + " not ask again; a run of that period without --incremental does)"));
        }
    }

    private static void add(List<Issue> issues, QualityCheck check, Bar bar, String why) {
        if (why != null) {
            issues.add(new Issue(check, bar.ticker(), bar.tradingDate(), why));
        }
    }

    /** Findings about single bars of any timespan: OHLC range and zero volume. */
    public static List<Issue> barChecks(Iterable<Bar> bars) {
        List<Issue> issues = new ArrayList<>();
        for (Bar bar : bars) {
            add(issues, QualityCheck.OHLC_RANGE, bar, BarSanity.outsideRange(bar));
            add(issues, QualityCheck.ZERO_VOLUME, bar, BarSanity.zeroVolume(bar));
        }
        return issues;
    }
}
