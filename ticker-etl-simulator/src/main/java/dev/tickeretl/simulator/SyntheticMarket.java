package dev.tickeretl.simulator;

import dev.tickeretl.MarketTime;
import dev.tickeretl.Timespan;
import dev.tickeretl.TradingCalendar;
import dev.tickeretl.Tickers;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * The simulated upstream data: deterministic OHLCV for the symbols of its {@link Universe} on NYSE trading days while
 * they are listed, plus the changes a test made (overridden and removed bars). Nothing is cached: each bar is
 * recomputed from (seed, ticker, date).
 */
final class SyntheticMarket {

    static final LocalDate FIRST_DATE = Universe.FIRST_DATE;
    static final LocalDate LAST_DATE = Universe.LAST_DATE;
    /**
     * Every ticker has a pending split taking effect on this date (ratio 2, 3 or 4 per ticker). Before it, unadjusted
     * prices are the adjusted ones times the ratio and volumes divided by it, so {@code adjusted=false} differs on
     * every realistic query date.
     */
    static final LocalDate SPLIT_DATE = LocalDate.of(2030, 1, 2);

    // Polygon's grouped daily stamps bars at 16:00 New York, not at the window start (polygon-io/issues#250).
    private static final LocalTime GROUPED_STAMP = LocalTime.of(16, 0);
    private static final long MINUTE_MS = 60_000L;

    // Periods (in days) and amplitudes (in log price) of the level's octaves: years-long trends down to few-day moves.
    private static final double[] PERIODS = {1024, 256, 64, 16, 4};
    private static final double[] AMPLITUDES = {0.45, 0.22, 0.11, 0.055, 0.03};

    private final long seed;
    private final TradingCalendar calendar = TradingCalendar.nyse();
    private final Universe universe;
    private final ConcurrentMap<DayKey, UnaryOperator<SimulatedBar>> overrides = new ConcurrentHashMap<>();
    // Minute bars whose minute has not ended by this instant (Unix ms) are not served yet: a live market has no
    // bars for minutes still to come. Without a market clock every minute is history.
    private volatile LongSupplier minuteHorizon = () -> Long.MAX_VALUE;
    private final Set<DayKey> removed = ConcurrentHashMap.newKeySet();

    SyntheticMarket(long seed, Universe universe, Map<DayKey, UnaryOperator<SimulatedBar>> overrides,
                    Set<DayKey> removed) {
        this.seed = seed;
        this.universe = universe;
        this.overrides.putAll(overrides);
        this.removed.addAll(removed);
    }

    /** A bar's identity for overrides and removals. */
    record DayKey(String ticker, LocalDate date) {
        DayKey {
            Tickers.requireValid(ticker);
            Objects.requireNonNull(date, "date");
        }
    }

    /** From now on minute bars are served only for minutes that ended at or before {@code horizon}'s value. */
    void minuteHorizon(LongSupplier horizon) {
        this.minuteHorizon = Objects.requireNonNull(horizon, "horizon");
    }

    void override(DayKey key, UnaryOperator<SimulatedBar> change) {
        overrides.put(key, Objects.requireNonNull(change, "change"));
    }

    void remove(DayKey key) {
        removed.add(key);
    }

    void clearChanges() {
        overrides.clear();
        removed.clear();
    }

    /** The daily bar served for {@code ticker} on {@code date}, if it trades then. */
    Optional<SimulatedBar> daily(String ticker, LocalDate date, boolean adjusted) {
        if (!universe.tradesOn(ticker, date) || !calendar.isTradingDay(date)) {
            return Optional.empty();
        }
        DayKey key = new DayKey(ticker, date);
        if (removed.contains(key)) {
            return Optional.empty();
        }
        long tk = tickerKey(ticker);
        SimulatedBar bar = generatedDaily(ticker, tk, date);
        UnaryOperator<SimulatedBar> change = overrides.get(key);
        if (change != null) {
            SimulatedBar changed = Objects.requireNonNull(change.apply(bar),
                    () -> "override for " + ticker + " " + date + " returned null");
            bar = changed.withIdentity(ticker, bar.t());
        }
        return Optional.of(adjusted ? bar : unadjusted(tk, date, bar));
    }

    /**
     * Bars with {@code lo <= t <= hi} in the requested order, at most {@code max} of them.
     */
    List<SimulatedBar> range(String ticker, Timespan timespan, long lo, long hi, boolean descending, boolean adjusted,
                             int max) {
        List<SimulatedBar> out = new ArrayList<>(Math.min(max, 1024));
        Universe.Listing listing = universe.listing(ticker);
        if (listing == null || lo > hi) {
            return out;
        }
        LocalDate first = latest(MarketTime.tradingDate(lo), listing.first());
        LocalDate last = earliest(MarketTime.tradingDate(hi), listing.last());
        if (first.isAfter(last)) {
            return out;
        }
        if (timespan == Timespan.DAY) {
            if (MarketTime.startOfDayMs(first) < lo) {
                first = first.plusDays(1);
            }
            if (descending) {
                for (LocalDate d = last; !d.isBefore(first) && out.size() < max; d = d.minusDays(1)) {
                    daily(ticker, d, adjusted).ifPresent(out::add);
                }
            } else {
                for (LocalDate d = first; !d.isAfter(last) && out.size() < max; d = d.plusDays(1)) {
                    daily(ticker, d, adjusted).ifPresent(out::add);
                }
            }
        } else if (descending) {
            for (LocalDate d = last; !d.isBefore(first) && out.size() < max; d = d.minusDays(1)) {
                addMinutes(ticker, d, lo, hi, true, adjusted, max, out);
            }
        } else {
            for (LocalDate d = first; !d.isAfter(last) && out.size() < max; d = d.plusDays(1)) {
                addMinutes(ticker, d, lo, hi, false, adjusted, max, out);
            }
        }
        return out;
    }

    /** Grouped daily: one bar per universe ticker trading on {@code date}, stamped 16:00 New York like Polygon. */
    List<SimulatedBar> grouped(LocalDate date, boolean adjusted) {
        List<SimulatedBar> out = new ArrayList<>(universe.size());
        if (date.isBefore(FIRST_DATE) || date.isAfter(LAST_DATE) || !calendar.isTradingDay(date)) {
            return out;
        }
        long stamp = date.atTime(GROUPED_STAMP).atZone(MarketTime.ZONE).toInstant().toEpochMilli();
        for (String ticker : universe.tickers()) {
            daily(ticker, date, adjusted).ifPresent(bar -> out.add(bar.withIdentity(ticker, stamp)));
        }
        return out;
    }

    private void addMinutes(String ticker, LocalDate date, long lo, long hi, boolean descending, boolean adjusted,
                            int max, List<SimulatedBar> out) {
        Optional<TradingCalendar.Session> session = calendar.session(date);
        if (session.isEmpty()) {
            return;
        }
        long open = session.get().open().toInstant().toEpochMilli();
        int minutes = (int) Duration.between(session.get().open(), session.get().close()).toMinutes();
        long firstIndex = Math.max(0, Math.floorDiv(lo - open + MINUTE_MS - 1, MINUTE_MS));
        long lastIndex = Math.min(minutes - 1L, Math.floorDiv(hi - open, MINUTE_MS));
        long horizon = minuteHorizon.getAsLong();
        if (horizon != Long.MAX_VALUE) {
            lastIndex = Math.min(lastIndex, Math.floorDiv(horizon - open, MINUTE_MS) - 1);
        }
        if (firstIndex > lastIndex) {
            return;
        }
        long tk = tickerKey(ticker);
        SimulatedBar day = generatedDaily(ticker, tk, date);
        if (descending) {
            for (long i = lastIndex; i >= firstIndex && out.size() < max; i--) {
                if (traded(tk, date, (int) i, minutes)) {
                    out.add(minute(tk, date, day, (int) i, minutes, open, adjusted));
                }
            }
        } else {
            for (long i = firstIndex; i <= lastIndex && out.size() < max; i++) {
                if (traded(tk, date, (int) i, minutes)) {
                    out.add(minute(tk, date, day, (int) i, minutes, open, adjusted));
                }
            }
        }
    }

    /**
     * The final minute bar of {@code ticker} for the minute starting at {@code startMs}, whatever the market clock
     * says: empty outside the regular session, outside the listing, for a minute without trades, or when
     * {@code startMs} is not a minute start.
     */
    Optional<SimulatedBar> minuteBar(String ticker, long startMs, boolean adjusted) {
        LocalDate date = MarketTime.tradingDate(startMs);
        if (!universe.tradesOn(ticker, date) || Math.floorMod(startMs, MINUTE_MS) != 0) {
            return Optional.empty();
        }
        Optional<TradingCalendar.Session> session = calendar.session(date);
        if (session.isEmpty()) {
            return Optional.empty();
        }
        long open = session.get().open().toInstant().toEpochMilli();
        int minutes = (int) Duration.between(session.get().open(), session.get().close()).toMinutes();
        long index = (startMs - open) / MINUTE_MS;
        if (startMs < open || index >= minutes) {
            return Optional.empty();
        }
        long tk = tickerKey(ticker);
        if (!traded(tk, date, (int) index, minutes)) {
            return Optional.empty();
        }
        return Optional.of(minute(tk, date, generatedDaily(ticker, tk, date), (int) index, minutes, open, adjusted));
    }

    /**
     * The minute bars (final, unadjusted, as streamed) of {@code ticker} on {@code date}, to be read minute by minute
     * without recomputing the day each time; null when it does not trade that day.
     */
    DayMinutes dayMinutes(String ticker, LocalDate date) {
        if (!universe.tradesOn(ticker, date)) {
            return null;
        }
        Optional<TradingCalendar.Session> session = calendar.session(date);
        if (session.isEmpty()) {
            return null;
        }
        long tk = tickerKey(ticker);
        long open = session.get().open().toInstant().toEpochMilli();
        int minutes = (int) Duration.between(session.get().open(), session.get().close()).toMinutes();
        return new DayMinutes(tk, date, generatedDaily(ticker, tk, date), open, minutes);
    }

    /** One ticker's session on one day, see {@link #dayMinutes}. */
    final class DayMinutes {
        private final long tk;
        private final LocalDate date;
        private final SimulatedBar day;
        final long open;
        final int minutes;

        private DayMinutes(long tk, LocalDate date, SimulatedBar day, long open, int minutes) {
            this.tk = tk;
            this.date = date;
            this.day = day;
            this.open = open;
            this.minutes = minutes;
        }

        /** The final unadjusted bar of the minute with this index from the open, or null when it had no trade. */
        SimulatedBar bar(int index) {
            if (index < 0 || index >= minutes || !traded(tk, date, index, minutes)) {
                return null;
            }
            return minute(tk, date, day, index, minutes, open, false);
        }

        /** The day's official open: the opening minute's open. */
        double officialOpen() {
            return unadjusted(tk, date, day).open();
        }
    }

    /** A key for per-minute decisions the stream makes (revisions, duplicates): seeded, stable per symbol. */
    long streamKey(String ticker, long startMs, long purpose) {
        return Noise.hash(tickerKey(ticker), startMs, purpose);
    }

    // Some minutes see no trade at all (thin symbols more often): then there is no bar, on the stream or over REST.
    // The opening and closing minutes always trade, so a day's minutes still run from its open to its close.
    private static boolean traded(long tk, LocalDate date, int index, int minutes) {
        if (index == 0 || index == minutes - 1) {
            return true;
        }
        double quiet = Noise.unit(Noise.hash(tk, 6));
        double quietRate = 0.2 * quiet * quiet;
        return Noise.unit(Noise.hash(tk, 32, date.toEpochDay() * 1_000L + index)) >= quietRate;
    }

    // The day's shape as a seeded random walk in log price: smooth octaves make neighbouring days close to each
    // other, the per-day terms make opens, closes, ranges and volumes vary (including some doji for Neutral phases).
    private SimulatedBar generatedDaily(String ticker, long tk, LocalDate date) {
        long day = date.toEpochDay();
        double base = 5.0 * Math.exp(Noise.unit(Noise.hash(tk, 1)) * Math.log(100.0));
        double closeRaw = base * Math.exp(level(tk, day)) * (1.0 + 0.008 * Noise.signed(Noise.hash(tk, 10, day)));
        double openRaw = base * Math.exp(level(tk, day - 0.7)) * (1.0 + 0.006 * Noise.signed(Noise.hash(tk, 11, day)));
        double open = round2(openRaw);
        double close = Noise.unit(Noise.hash(tk, 12, day)) < 0.03 ? open : round2(closeRaw);
        double top = Math.max(open, close);
        double bottom = Math.min(open, close);
        double high = Math.max(top, ceil2(top * (1.0 + 0.02 * Noise.unit(Noise.hash(tk, 13, day)))));
        double low = Math.min(bottom, Math.max(0.01, floor2(bottom * (1.0 - 0.02 * Noise.unit(Noise.hash(tk, 14, day))))));

        double baseVolume = 2e5 * Math.exp(Noise.unit(Noise.hash(tk, 2)) * Math.log(250.0));
        double volumeRaw = baseVolume * Math.exp(0.5 * Noise.smooth(tk, 20, 8.0, day)
                + 0.35 * Noise.signed(Noise.hash(tk, 15, day)));
        long wholeVolume = Math.max(1L, Math.round(volumeRaw));
        // Polygon's v is a JSON number that sometimes carries a fraction; one bar in twenty does here.
        double volume = Noise.unit(Noise.hash(tk, 16, day)) < 0.05
                ? (wholeVolume * 10L + 1 + Math.floorMod(Noise.hash(tk, 18, day), 9)) / 10.0
                : wholeVolume;
        double vwap = clamp(round4(low + (high - low) * (0.25 + 0.5 * Noise.unit(Noise.hash(tk, 17, day)))), low, high);
        long transactions = Math.max(1L, Math.round(volume / tradeSize(tk)));
        return new SimulatedBar(ticker, MarketTime.startOfDayMs(date), open, high, low, close, volume, vwap,
                transactions);
    }

    // Minute bars follow a bridge from the day's open to its close, kept inside the day's range.
    private SimulatedBar minute(long tk, LocalDate date, SimulatedBar day, int index, int minutes, long sessionOpen,
                                boolean adjusted) {
        long dayKey = Noise.hash(tk, 30, date.toEpochDay());
        double open = round2(pathPrice(dayKey, day, index, minutes));
        double close = round2(pathPrice(dayKey, day, index + 1, minutes));
        double top = Math.max(open, close);
        double bottom = Math.min(open, close);
        double span = day.high() - day.low();
        double high = Math.max(top, Math.min(day.high(), ceil2(top + span * 0.03 * Noise.unit(Noise.hash(dayKey, 1, index)))));
        double low = Math.min(bottom, Math.max(day.low(), floor2(bottom - span * 0.03 * Noise.unit(Noise.hash(dayKey, 2, index)))));
        long wholeVolume = Math.max(1L, Math.round(day.volume() / minutes
                * (0.4 + 1.2 * Noise.unit(Noise.hash(dayKey, 3, index)))));
        // Fractional share volumes exist in minute bars too (one in twenty here).
        double volume = Noise.unit(Noise.hash(dayKey, 5, index)) < 0.05
                ? (wholeVolume * 10L + 1 + Math.floorMod(Noise.hash(dayKey, 6, index), 9)) / 10.0
                : wholeVolume;
        double vwap = clamp(round4(low + (high - low) * (0.25 + 0.5 * Noise.unit(Noise.hash(dayKey, 4, index)))), low, high);
        long transactions = Math.max(1L, Math.round(volume / tradeSize(tk)));
        SimulatedBar bar = new SimulatedBar(day.ticker(), sessionOpen + index * MINUTE_MS, open, high, low, close,
                volume, vwap, transactions);
        return adjusted ? bar : unadjusted(tk, date, bar);
    }

    private static double pathPrice(long dayKey, SimulatedBar day, int k, int minutes) {
        if (k <= 0) {
            return day.open();
        }
        if (k >= minutes) {
            return day.close();
        }
        double x = (double) k / minutes;
        double drift = day.open() + (day.close() - day.open()) * x;
        double wiggle = (day.high() - day.low()) * 0.45 * Noise.smooth(dayKey, 5, 20.0, k) * Math.sin(Math.PI * x);
        return clamp(drift + wiggle, day.low(), day.high());
    }

    private SimulatedBar unadjusted(long tk, LocalDate date, SimulatedBar bar) {
        if (!date.isBefore(SPLIT_DATE)) {
            return bar;
        }
        int ratio = 2 + (int) Math.floorMod(Noise.hash(tk, 4), 3L);
        // A fractional volume stays fractional (to a tenth of a share), so unadjusted answers, which the stream
        // serves, carry fractions too.
        double volume = bar.volume() == Math.rint(bar.volume())
                ? Math.max(1L, Math.round(bar.volume() / ratio))
                : Math.max(0.1, Math.round(bar.volume() / ratio * 10.0) / 10.0);
        return new SimulatedBar(bar.ticker(), bar.t(),
                round2(bar.open() * ratio), round2(bar.high() * ratio), round2(bar.low() * ratio),
                round2(bar.close() * ratio), volume,
                bar.vwap() == null ? null : round4(bar.vwap() * ratio), bar.transactions());
    }

    private static double level(long tk, double day) {
        double sum = 0.0;
        for (int k = 0; k < PERIODS.length; k++) {
            sum += AMPLITUDES[k] * Noise.smooth(tk, 100 + k, PERIODS[k], day);
        }
        return sum;
    }

    private static double tradeSize(long tk) {
        return 50.0 + 250.0 * Noise.unit(Noise.hash(tk, 3));
    }

    private long tickerKey(String ticker) {
        long key = Noise.mix(seed);
        for (int i = 0; i < ticker.length(); i++) {
            key = Noise.hash(key, ticker.charAt(i));
        }
        return Noise.hash(key, ticker.length());
    }

    private static double round2(double x) {
        return Math.round(x * 100.0) / 100.0;
    }

    private static double ceil2(double x) {
        return Math.ceil(x * 100.0) / 100.0;
    }

    private static double floor2(double x) {
        return Math.floor(x * 100.0) / 100.0;
    }

    private static double round4(double x) {
        return Math.round(x * 10_000.0) / 10_000.0;
    }

    private static double clamp(double x, double lo, double hi) {
        return Math.max(lo, Math.min(hi, x));
    }

    private static LocalDate latest(LocalDate a, LocalDate b) {
        return a.isAfter(b) ? a : b;
    }

    private static LocalDate earliest(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }
}
