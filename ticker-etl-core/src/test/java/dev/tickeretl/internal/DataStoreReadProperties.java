package dev.tickeretl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.Bar;
import dev.tickeretl.MarketTime;
import dev.tickeretl.Phase;
import dev.tickeretl.Timespan;
import dev.tickeretl.TradingCalendar;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link DataStore#read} of stored partitions: exactly the bars of the ticker with trading dates in [from, to], in
 * time order, whichever partitions the range covers wholly or in part (the read skips the per-bar date check for
 * partitions wholly inside), and never a line a partition holds by mistake (another ticker's, another year's).
 */
class DataStoreReadProperties {

    private static final LocalDate FIRST = LocalDate.of(2022, 12, 20);
    private static final LocalDate LAST = LocalDate.of(2025, 1, 10);

    /** AAPL's day bars on every weekday FIRST..LAST, stored by year. */
    private static final List<Bar> DAYS = new ArrayList<>();
    private static final MemoryStorage STORAGE = MemoryStorage.create();

    static {
        for (LocalDate d = FIRST; !d.isAfter(LAST); d = d.plusDays(1)) {
            if (d.getDayOfWeek().getValue() <= 5) {
                DAYS.add(day("AAPL", d));
            }
        }
        StoreLayout.byPartition(DAYS).forEach((path, bars) -> STORAGE.put(path, PartitionFile.encode(bars)));
    }

    @Property(tries = 400)
    void aReadGivesExactlyTheTickersBarsInTheRangeInOrder(@ForAll("dates") LocalDate a, @ForAll("dates") LocalDate b) {
        LocalDate from = a.isBefore(b) ? a : b;
        LocalDate to = a.isBefore(b) ? b : a;
        List<Bar> expected = DAYS.stream()
                .filter(bar -> !bar.tradingDate().isBefore(from) && !bar.tradingDate().isAfter(to))
                .sorted(Comparator.comparingLong(Bar::startMs)).toList();
        DataStore store = new DataStore(STORAGE, TradingCalendar.nyse());
        assertThat(store.read("AAPL", Timespan.DAY, true, from, to)).isEqualTo(expected);
    }

    @Example
    void aPartitionReadWholeStillLeavesOutTheLinesOfAnotherTickerOrYear() {
        MemoryStorage storage = MemoryStorage.create();
        List<Bar> days = DAYS.stream().filter(b -> b.tradingDate().getYear() == 2023).toList();
        List<Bar> lines = new ArrayList<>(days);
        lines.add(day("MSFT", LocalDate.of(2023, 5, 2)));
        lines.add(day("AAPL", LocalDate.of(2022, 12, 30)));
        lines.add(day("AAPL", LocalDate.of(2024, 1, 2)));
        storage.put(StoreLayout.partitionOf(days.get(0)), PartitionFile.encode(lines));
        DataStore store = new DataStore(storage, TradingCalendar.nyse());
        assertThat(store.read("AAPL", Timespan.DAY, true, LocalDate.of(2022, 1, 1), LocalDate.of(2024, 12, 31)))
                .isEqualTo(days);
        assertThat(store.read("AAPL", Timespan.DAY, true, LocalDate.of(2023, 1, 1), LocalDate.of(2023, 12, 31)))
                .isEqualTo(days);
    }

    /** Dates around the stored ones, with year ends and starts often, so ranges cover whole years and parts. */
    @Provide
    Arbitrary<LocalDate> dates() {
        Arbitrary<LocalDate> any = Arbitraries.integers().between(-30, 800).map(FIRST::plusDays);
        Arbitrary<LocalDate> yearEdges = Arbitraries.of(2021, 2022, 2023, 2024, 2025)
                .flatMap(y -> Arbitraries.of(LocalDate.of(y, 1, 1), LocalDate.of(y, 1, 2), LocalDate.of(y, 12, 31),
                        LocalDate.of(y, 12, 30)));
        return Arbitraries.oneOf(any, yearEdges);
    }

    private static Bar day(String ticker, LocalDate date) {
        long start = MarketTime.startOfDayMs(date);
        return new Bar(ticker, Timespan.DAY, date, start, MarketTime.easternOffset(start), MarketTime.instant(start),
                10, 11, 9, 10.5, 1000 + date.getDayOfYear(), null, null, true, null, Phase.NEUTRAL,
                Bar.SCHEMA_VERSION);
    }
}
