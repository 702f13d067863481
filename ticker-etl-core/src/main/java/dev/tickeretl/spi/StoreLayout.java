package dev.tickeretl.spi;

import dev.tickeretl.Bar;
import dev.tickeretl.Timespan;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The one layout every store uses (file system and S3 alike), so DuckDB, Spark or Athena read them the same way:
 *
 * <pre>
 * bars/timespan=day/ticker=AAPL/year=2025/bars.jsonl        one file per ticker and year of daily bars
 * bars/timespan=minute/ticker=AAPL/date=2025-01-02/bars.jsonl one file per ticker and day of minute bars
 * runs/&lt;run_id&gt;.json
 * </pre>
 *
 * Paths are relative, '/'-separated. Daily partitions by year keep 500 tickers x 20 years at 10,000 files.
 */
public final class StoreLayout {

    public static final String BARS = "bars";
    public static final String RUNS = "runs";
    public static final String FILE_NAME = "bars.jsonl";

    private StoreLayout() {
    }

    /** The partition a bar belongs to. */
    public static String partitionOf(Bar bar) {
        return partitionOf(bar.ticker(), bar.timespan(), bar.tradingDate());
    }

    /** The partition holding {@code ticker}'s bars of {@code timespan} on {@code tradingDate}. */
    public static String partitionOf(String ticker, Timespan timespan, LocalDate tradingDate) {
        String period = timespan == Timespan.DAY ? "year=" + tradingDate.getYear() : "date=" + tradingDate;
        return BARS + "/timespan=" + timespan.wireName() + "/ticker=" + ticker + "/" + period + "/" + FILE_NAME;
    }

    /** Every partition that can hold bars of [from, to], in time order. */
    public static List<String> partitionsBetween(String ticker, Timespan timespan, LocalDate from, LocalDate to) {
        List<String> paths = new ArrayList<>();
        if (timespan == Timespan.DAY) {
            for (int year = from.getYear(); year <= to.getYear(); year++) {
                paths.add(partitionOf(ticker, timespan, LocalDate.of(year, 1, 1)));
            }
        } else {
            for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
                paths.add(partitionOf(ticker, timespan, d));
            }
        }
        return paths;
    }

    /** Bars grouped by the partition each belongs to, partitions in the order first met: how every store writes. */
    public static Map<String, List<Bar>> byPartition(Collection<Bar> bars) {
        Map<String, List<Bar>> partitions = new LinkedHashMap<>();
        for (Bar bar : bars) {
            partitions.computeIfAbsent(partitionOf(bar), p -> new ArrayList<>()).add(bar);
        }
        return partitions;
    }

    /**
     * The read every store does: each partition that can hold [from, to], read with {@code partition} (the stored
     * bars of that path, empty when there is none), kept to trading dates in [from, to], in time order.
     */
    public static List<Bar> read(String ticker, Timespan timespan, LocalDate from, LocalDate to,
                                 Function<String, List<Bar>> partition) {
        List<Bar> found = new ArrayList<>();
        if (from.isAfter(to)) {
            return found;
        }
        for (String path : partitionsBetween(ticker, timespan, from, to)) {
            for (Bar bar : partition.apply(path)) {
                if (!bar.tradingDate().isBefore(from) && !bar.tradingDate().isAfter(to)) {
                    found.add(bar);
                }
            }
        }
        found.sort(Comparator.comparingLong(Bar::startMs));
        return found;
    }

    /** Where a run record lives. */
    public static String runPath(String runId) {
        return RUNS + "/" + runId + ".json";
    }
}
