package dev.tickeretl.internal;

import dev.tickeretl.Bar;
import dev.tickeretl.Tickers;
import dev.tickeretl.Timespan;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one layout every store uses (file system, S3, memory), so DuckDB, Spark or Athena read them the same way:
 *
 * <pre>
 * bars/timespan=day/ticker=AAPL/year=2025/bars.jsonl                   split-adjusted day bars, one file per year
 * bars/timespan=minute/ticker=AAPL/date=2025-01-02/bars.jsonl          split-adjusted minute bars, one file per day
 * bars-unadjusted/timespan=day/ticker=AAPL/year=2025/bars.jsonl        the same, unadjusted: another dataset
 * bars-unadjusted/timespan=minute/ticker=AAPL/date=2025-01-02/bars.jsonl   (the live stream's minute bars)
 * runs/&lt;run_id&gt;.json
 * state/offsets/timespan=day/adjusted=true.json                        offsets and coverage of one dataset
 * state/segments/bars-unadjusted/timespan=minute/&lt;micros&gt;-&lt;run&gt;.jsonl    a stream's group commits, until compacted
 * </pre>
 *
 * Adjusted and unadjusted prices live in separate directory trees, so a query over one never mixes them. Paths are
 * relative, '/'-separated. Daily partitions by year keep 500 tickers x 20 years at 10,000 files.
 */
public final class StoreLayout {

    public static final String ADJUSTED_BARS = "bars";
    public static final String UNADJUSTED_BARS = "bars-unadjusted";
    public static final String RUNS = "runs";
    public static final String OFFSETS = "state/offsets";
    public static final String SEGMENTS = "state/segments";
    public static final String FILE_NAME = "bars.jsonl";

    private StoreLayout() {
    }

    /** The dataset directory of bars with this price basis. */
    public static String dataset(boolean adjusted) {
        return adjusted ? ADJUSTED_BARS : UNADJUSTED_BARS;
    }

    /** The partition a bar belongs to. */
    public static String partitionOf(Bar bar) {
        return partitionOf(bar.ticker(), bar.timespan(), bar.adjusted(), bar.tradingDate());
    }

    /** The partition holding {@code ticker}'s bars of {@code timespan} and price basis on {@code tradingDate}. */
    public static String partitionOf(String ticker, Timespan timespan, boolean adjusted, LocalDate tradingDate) {
        String period = timespan == Timespan.DAY ? "year=" + tradingDate.getYear() : "date=" + tradingDate;
        return tickerDirectory(ticker, timespan, adjusted) + period + "/" + FILE_NAME;
    }

    /**
     * The directory (ending in '/') of one ticker's partitions.
     *
     * @throws IllegalArgumentException naming the ticker when it is not a symbol: every path is built here, so a
     *                                  ticker such as {@code ../x} or {@code a/b} can never name a place outside
     *                                  its dataset, whichever backend and caller
     */
    public static String tickerDirectory(String ticker, Timespan timespan, boolean adjusted) {
        return dataset(adjusted) + "/timespan=" + timespan.wireName() + "/ticker=" + Tickers.requireValid(ticker)
                + "/";
    }

    /** Every partition that can hold bars of [from, to], in time order. */
    public static List<String> partitionsBetween(String ticker, Timespan timespan, boolean adjusted, LocalDate from,
                                                 LocalDate to) {
        List<String> paths = new ArrayList<>();
        if (timespan == Timespan.DAY) {
            for (int year = from.getYear(); year <= to.getYear(); year++) {
                paths.add(partitionOf(ticker, timespan, adjusted, LocalDate.of(year, 1, 1)));
            }
        } else {
            for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
                paths.add(partitionOf(ticker, timespan, adjusted, d));
            }
        }
        return paths;
    }

    /** Bars grouped by the partition each belongs to, partitions in the order first met. */
    public static Map<String, List<Bar>> byPartition(Collection<Bar> bars) {
        Map<String, List<Bar>> partitions = new LinkedHashMap<>();
        for (Bar bar : bars) {
            partitions.computeIfAbsent(partitionOf(bar), p -> new ArrayList<>()).add(bar);
        }
        return partitions;
    }

    /** Where a dataset's segments live (ending in '/'): a stream's group-committed bars before compaction. */
    public static String segmentsDirectory(Timespan timespan, boolean adjusted) {
        return SEGMENTS + "/" + dataset(adjusted) + "/timespan=" + timespan.wireName() + "/";
    }

    /** Where a run record lives. */
    public static String runPath(String runId) {
        return RUNS + "/" + runId + ".json";
    }

    /** Where the offsets and coverage of one dataset live. */
    public static String offsetsPath(Timespan timespan, boolean adjusted) {
        return OFFSETS + "/timespan=" + timespan.wireName() + "/adjusted=" + adjusted + ".json";
    }

    /**
     * Whether {@code runId} is safe as a file and object name: no separators, no leading dot, no control
     * characters. Run ids come from the library, but a store may hold records written by anyone.
     */
    public static String requireSafeRunId(String runId) {
        if (runId == null || runId.isBlank() || runId.startsWith(".") || runId.contains("/")
                || runId.contains("\\") || runId.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("run_id: '" + runId + "' cannot be a file name");
        }
        return runId;
    }
}
