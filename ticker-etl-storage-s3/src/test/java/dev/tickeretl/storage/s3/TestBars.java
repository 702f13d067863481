package dev.tickeretl.storage.s3;

import dev.tickeretl.Bar;
import dev.tickeretl.MarketTime;
import dev.tickeretl.RunRecord;
import dev.tickeretl.RunStatus;
import dev.tickeretl.Timespan;
import dev.tickeretl.TradingCalendar;
import dev.tickeretl.internal.BriefPhaseTagger;
import dev.tickeretl.internal.DataStore;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Bars and run records for store tests; bars come as a source delivers them (no phase, no prior volume). */
final class TestBars {

    private TestBars() {
    }

    /** An adjusted daily bar of {@code ticker} on {@code date} whose values derive from {@code close}. */
    static Bar day(String ticker, LocalDate date, double close) {
        long start = MarketTime.startOfDayMs(date);
        return new Bar(ticker, Timespan.DAY, date, start, MarketTime.easternOffset(start), MarketTime.instant(start),
                close - 1, close + 2, close - 2, close, 1_000_000 + close, close - 0.5, 5_000L, true, null, null,
                Bar.SCHEMA_VERSION);
    }

    /** An unadjusted minute bar (as the live feed stores them) starting at {@code hour:minute} New York time. */
    static Bar minute(String ticker, LocalDate date, int hour, int minute, double close) {
        long start = date.atTime(hour, minute).atZone(MarketTime.ZONE).toInstant().toEpochMilli();
        return new Bar(ticker, Timespan.MINUTE, date, start, MarketTime.easternOffset(start),
                MarketTime.instant(start), close, close, close, close, 100, null, null, false, null, null,
                Bar.SCHEMA_VERSION);
    }

    /** Adjusted daily bars of {@code ticker} for every weekday in [from, to], closes 100, 101, ... */
    static List<Bar> weekdays(String ticker, LocalDate from, LocalDate to) {
        List<Bar> bars = new ArrayList<>();
        double close = 100;
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            if (d.getDayOfWeek() != DayOfWeek.SATURDAY && d.getDayOfWeek() != DayOfWeek.SUNDAY) {
                bars.add(day(ticker, d, close++));
            }
        }
        return bars;
    }

    /** {@code bars} without the phase and prior volume the store tags day bars with. */
    static List<Bar> untagged(List<Bar> bars) {
        return bars.stream().map(b -> b.withPhase(null, null)).toList();
    }

    /** Writes day bars of one ticker and price basis, as the pipeline does, with the brief's tagger. */
    static DataStore.WriteOutcome writeDays(DataStore store, List<Bar> bars) {
        Bar first = bars.get(0);
        return store.write(first.ticker(), Timespan.DAY, first.adjusted(), bars, new BriefPhaseTagger());
    }

    /** Writes unadjusted minute bars of one ticker. */
    static DataStore.WriteOutcome writeMinutes(DataStore store, List<Bar> bars) {
        return store.write(bars.get(0).ticker(), Timespan.MINUTE, false, bars, new BriefPhaseTagger());
    }

    /** Every stored adjusted day bar of {@code ticker}. */
    static List<Bar> readDays(DataStore store, String ticker) {
        return store.read(ticker, Timespan.DAY, true, LocalDate.of(1990, 1, 1), LocalDate.of(2049, 12, 31));
    }

    /**
     * Checks that every stored day bar carries the stored volume of the previous NYSE session as its prior volume
     * (null when that session has no bar): what concurrent writers must leave behind whatever their order.
     */
    static boolean tagsMatchStoredNeighbours(List<Bar> stored) {
        TradingCalendar nyse = TradingCalendar.nyse();
        Map<LocalDate, Bar> byDate = new HashMap<>();
        stored.forEach(b -> byDate.put(b.tradingDate(), b));
        for (Bar b : stored) {
            Bar previous = byDate.get(nyse.previousTradingDay(b.tradingDate()));
            Double expected = previous == null ? null : previous.volume();
            if (!Objects.equals(b.priorVolume(), expected)) {
                return false;
            }
        }
        return true;
    }

    static RunRecord run(String runId, RunStatus status) {
        return new RunRecord(runId, status, Instant.parse("2025-01-02T03:04:05Z"), null, null, null, null, null,
                null, null, null, null, null, null);
    }
}
