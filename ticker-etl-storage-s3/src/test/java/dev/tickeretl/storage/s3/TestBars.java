package dev.tickeretl.storage.s3;

import dev.tickeretl.Bar;
import dev.tickeretl.MarketTime;
import dev.tickeretl.Phase;
import dev.tickeretl.RunRecord;
import dev.tickeretl.RunStatus;
import dev.tickeretl.Timespan;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Bars and run records for store tests. */
final class TestBars {

    private TestBars() {
    }

    /** A daily bar of {@code ticker} on {@code date} whose values derive from {@code close}. */
    static Bar day(String ticker, LocalDate date, double close) {
        long start = MarketTime.startOfDayMs(date);
        return new Bar(ticker, Timespan.DAY, date, start, MarketTime.easternOffset(start), MarketTime.instant(start),
                close - 1, close + 2, close - 2, close, 1_000_000 + close, close - 0.5, 5_000L, true, null,
                Phase.NEUTRAL, Bar.SCHEMA_VERSION);
    }

    /** A minute bar of {@code ticker} starting at {@code hour:minute} New York time on {@code date}. */
    static Bar minute(String ticker, LocalDate date, int hour, int minute, double close) {
        long start = date.atTime(hour, minute).atZone(MarketTime.ZONE).toInstant().toEpochMilli();
        return new Bar(ticker, Timespan.MINUTE, date, start, MarketTime.easternOffset(start),
                MarketTime.instant(start), close, close, close, close, 100, null, null, false, null, Phase.NEUTRAL,
                Bar.SCHEMA_VERSION);
    }

    /** Daily bars of {@code ticker} for every weekday in [from, to], closes 100, 101, ... */
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

    static RunRecord run(String runId, RunStatus status) {
        return new RunRecord(runId, status, Instant.parse("2025-01-02T03:04:05Z"), null, null, null, null, null,
                null, null, null);
    }
}
