package dev.tickeretl.spi;

import dev.tickeretl.Timespan;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * What the pipeline asks a source for.
 *
 * <p>Bounded ({@link #bounded}): trading-date ranges per ticker. They already include the phase lookback (the
 * previous trading day) where the store lacks it, and an incremental run leaves out days upstream has already
 * answered, so a source fetches exactly these and then ends. A ticker with no range is not fetched at all.
 *
 * <p>Unbounded ({@link #unbounded}): a set of tickers to follow until the source is closed; ranges are empty, and
 * the committed offsets tell a restarted source where it stopped.
 */
public record SourceRequest(Timespan timespan, boolean adjusted, List<String> tickers, List<TickerRange> ranges,
                            boolean unbounded) {

    public SourceRequest {
        Objects.requireNonNull(timespan, "timespan");
        tickers = List.copyOf(tickers);
        ranges = List.copyOf(ranges);
    }

    /** A backfill of these ranges; its tickers are those of the ranges, in order. */
    public static SourceRequest bounded(Timespan timespan, boolean adjusted, List<TickerRange> ranges) {
        LinkedHashSet<String> tickers = new LinkedHashSet<>();
        for (TickerRange r : ranges) {
            tickers.add(r.ticker());
        }
        return new SourceRequest(timespan, adjusted, new ArrayList<>(tickers), ranges, false);
    }

    /** Follow these tickers until closed. */
    public static SourceRequest unbounded(Timespan timespan, boolean adjusted, List<String> tickers) {
        return new SourceRequest(timespan, adjusted, tickers, List.of(), true);
    }

    /** The partition of {@code ticker} in this request. */
    public SourcePartition partition(String ticker) {
        return new SourcePartition(ticker, timespan, adjusted);
    }
}
