package dev.tickeretl.testkit;

import dev.tickeretl.Bar;
import dev.tickeretl.MarketTime;
import dev.tickeretl.Phase;
import dev.tickeretl.Timespan;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Valid {@link Bar}s for tests, with times built the way the pipeline builds them (through {@link MarketTime}, never
 * the JVM default zone). Bars made from the same arguments are equal, so tests can rebuild what they expect.
 */
public final class TestBars {

    private TestBars() {
    }

    /** A daily bar starting at 00:00 New York on {@code date}, tagged Neutral with no prior volume. */
    public static Bar day(String ticker, LocalDate date, double open, double high, double low, double close,
            double volume) {
        return day(ticker, date, open, high, low, close, volume, Phase.NEUTRAL, null);
    }

    /** A daily bar starting at 00:00 New York on {@code date} with the given phase and prior volume. */
    public static Bar day(String ticker, LocalDate date, double open, double high, double low, double close,
            double volume, Phase phase, Double priorVolume) {
        return bar(ticker, Timespan.DAY, MarketTime.startOfDayMs(date), open, high, low, close, volume, phase,
                priorVolume);
    }

    /** A daily bar with plausible values derived from {@code date} alone. */
    public static Bar day(String ticker, LocalDate date) {
        double open = 100 + Math.floorMod(date.toEpochDay() * 7, 50) + 0.25;
        double close = open + Math.floorMod(date.toEpochDay(), 5) - 2;
        return day(ticker, date, open, Math.max(open, close) + 1.5, Math.min(open, close) - 1.5, close,
                1_000_000 + Math.floorMod(date.toEpochDay() * 31, 9_000) * 100);
    }

    /** Daily bars (values as {@link #day(String, LocalDate)}) for every Monday to Friday in [from, to]. */
    public static List<Bar> weekdays(String ticker, LocalDate from, LocalDate to) {
        List<Bar> bars = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            if (d.getDayOfWeek() != DayOfWeek.SATURDAY && d.getDayOfWeek() != DayOfWeek.SUNDAY) {
                bars.add(day(ticker, d));
            }
        }
        return bars;
    }

    /**
     * An unadjusted minute bar (as the live feed stores them) whose window starts at {@code easternStart}, New York
     * local time; minute bars carry no phase.
     */
    public static Bar minute(String ticker, LocalDateTime easternStart, double open, double high, double low,
            double close, double volume) {
        long startMs = easternStart.atZone(MarketTime.ZONE).toInstant().toEpochMilli();
        Bar adjusted = bar(ticker, Timespan.MINUTE, startMs, open, high, low, close, volume, null, null);
        return withAdjusted(adjusted, false);
    }

    /** {@code bar} in the other dataset: adjusted or not. */
    public static Bar withAdjusted(Bar bar, boolean adjusted) {
        return new Bar(bar.ticker(), bar.timespan(), bar.tradingDate(), bar.startMs(), bar.startEt(),
                bar.startUtc(), bar.open(), bar.high(), bar.low(), bar.close(), bar.volume(), bar.vwap(),
                bar.transactions(), adjusted, bar.priorVolume(), bar.phase(), bar.schemaVersion());
    }

    /** {@code bar} as a source delivers it: no phase, no prior volume (the store's tagging decides those). */
    public static Bar untagged(Bar bar) {
        return bar.withPhase(null, null);
    }

    /** {@link #untagged(Bar)} of each. */
    public static List<Bar> untagged(List<Bar> bars) {
        return bars.stream().map(TestBars::untagged).toList();
    }

    /** A minute bar with plausible values derived from its start alone. */
    public static Bar minute(String ticker, LocalDateTime easternStart) {
        int minuteOfDay = easternStart.getHour() * 60 + easternStart.getMinute();
        double open = 50 + (minuteOfDay % 97) / 4.0;
        double close = open + (minuteOfDay % 3 - 1) * 0.5;
        return minute(ticker, easternStart, open, Math.max(open, close) + 0.25, Math.min(open, close) - 0.25, close,
                1_000 + minuteOfDay * 10);
    }

    /** {@code bar} with another close (high and low widened to keep it valid), as a changed upstream value. */
    public static Bar withClose(Bar bar, double close) {
        return new Bar(bar.ticker(), bar.timespan(), bar.tradingDate(), bar.startMs(), bar.startEt(),
                bar.startUtc(), bar.open(), Math.max(bar.high(), close), Math.min(bar.low(), close), close,
                bar.volume(), bar.vwap(), bar.transactions(), bar.adjusted(), bar.priorVolume(), bar.phase(),
                bar.schemaVersion());
    }

    /** {@code bar} with another volume. */
    public static Bar withVolume(Bar bar, double volume) {
        return new Bar(bar.ticker(), bar.timespan(), bar.tradingDate(), bar.startMs(), bar.startEt(),
                bar.startUtc(), bar.open(), bar.high(), bar.low(), bar.close(), volume, bar.vwap(),
                bar.transactions(), bar.adjusted(), bar.priorVolume(), bar.phase(), bar.schemaVersion());
    }

    private static Bar bar(String ticker, Timespan timespan, long startMs, double open, double high, double low,
            double close, double volume, Phase phase, Double priorVolume) {
        if (high < Math.max(open, close) || low > Math.min(open, close) || low < 0 || volume < 0) {
            throw new IllegalArgumentException("not a valid bar: open " + open + " high " + high + " low " + low
                    + " close " + close + " volume " + volume);
        }
        double vwap = Math.round((high + low + close) / 3 * 10_000) / 10_000.0;
        long transactions = Math.round(volume / 100);
        return new Bar(ticker, timespan, MarketTime.tradingDate(startMs), startMs, MarketTime.easternOffset(startMs),
                MarketTime.instant(startMs), open, high, low, close, volume, vwap, transactions, true, priorVolume,
                phase, Bar.SCHEMA_VERSION);
    }
}
