package dev.tickeretl.bench;

import dev.tickeretl.MarketTime;
import dev.tickeretl.Timespan;
import dev.tickeretl.TradingCalendar;
import dev.tickeretl.spi.RawBar;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Daily bars with the magnitudes real market data has, which the simulator's synthetic bars (prices near 100,
 * volumes near 3 million) do not: prices from 0.0001 (sub-penny stocks, four decimals) to 700,000 (BRK.A), volumes
 * from 10^5 to 10^10 shares, a third of the tickers with fractional (split-adjusted) volumes, and a volume-weighted
 * average price with four decimals. Deterministic: the same arguments give the same bars.
 *
 * <p>Profile {@code i} of {@code n} spreads its price level and volume level evenly on a log scale over those
 * ranges (cheap stocks trade the most shares), so any {@code n >= 2} covers both ends.
 */
public final class RealisticBars {

    static final double LOWEST_PRICE = 0.0001;
    static final double HIGHEST_PRICE = 700_000;
    static final double LOWEST_VOLUME = 1e5;
    static final double HIGHEST_VOLUME = 1e10;

    private RealisticBars() {
    }

    /**
     * {@code tickers} profiles ({@code T0}, {@code T1}, ...) over the trading days in [from, to], ticker after
     * ticker, each in time order.
     */
    public static List<RawBar> days(int tickers, LocalDate from, LocalDate to, long seed) {
        if (tickers < 2) {
            throw new IllegalArgumentException("tickers: at least 2 to span the ranges, got " + tickers);
        }
        List<LocalDate> days = TradingCalendar.nyse().tradingDays(from, to);
        List<RawBar> bars = new ArrayList<>(tickers * days.size());
        Random random = new Random(seed);
        for (int i = 0; i < tickers; i++) {
            double position = i / (double) (tickers - 1);
            double price = LOWEST_PRICE * Math.pow(HIGHEST_PRICE / LOWEST_PRICE, position);
            double volumeLevel = HIGHEST_VOLUME * Math.pow(LOWEST_VOLUME / HIGHEST_VOLUME, position);
            boolean fractionalVolume = i % 3 == 1;
            for (LocalDate day : days) {
                price = Math.max(LOWEST_PRICE, price * (1 + 0.02 * random.nextGaussian()));
                double open = price(price * (1 + 0.01 * random.nextGaussian()));
                double close = price(price);
                double high = Math.max(Math.max(open, close), price(price * (1 + 0.015 * random.nextDouble())));
                double low = Math.min(Math.min(open, close), price(price * (1 - 0.015 * random.nextDouble())));
                double vwap = round((low + high + close) / 3, 4);
                // Within a factor of ~3 of the level, never outside the overall range.
                double volume = Math.min(HIGHEST_VOLUME, Math.max(LOWEST_VOLUME,
                        volumeLevel * Math.exp(0.5 * random.nextGaussian())));
                volume = fractionalVolume ? round(volume, 1 + random.nextInt(4)) : Math.rint(volume);
                long transactions = Math.max(1, Math.round(volume / (50 + random.nextInt(500))));
                long startMs = day.atStartOfDay(MarketTime.ZONE).toInstant().toEpochMilli();
                // A String of its own per bar, as grouped-daily pages (the plan for many tickers) deliver the symbol.
                bars.add(new RawBar("T" + i, Timespan.DAY, startMs, open, high, low, close, volume, vwap,
                        transactions, true));
            }
        }
        return bars;
    }

    /** Exchange prices: whole cents from 1 dollar up, four decimals below. */
    private static double price(double p) {
        return Math.max(LOWEST_PRICE, p >= 1 ? round(p, 2) : round(p, 4));
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.rint(value * scale) / scale;
    }
}
