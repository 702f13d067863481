package dev.tickeretl.spi;

import dev.tickeretl.Tickers;
import dev.tickeretl.Timespan;
import java.util.Objects;

/**
 * The unit a source's progress is kept for, in Kafka Connect's sense: one ticker's bars of one timespan and one
 * price basis. It is also the dataset the bars land in, so offsets and coverage sit next to the data they describe.
 */
public record SourcePartition(String ticker, Timespan timespan, boolean adjusted) {

    public SourcePartition {
        Tickers.requireValid(ticker);
        Objects.requireNonNull(timespan, "timespan");
    }

    /** The partition of a raw bar. */
    public static SourcePartition of(RawBar bar) {
        return new SourcePartition(bar.ticker(), bar.timespan(), bar.adjusted());
    }

    @Override
    public String toString() {
        return ticker + "/" + timespan.wireName() + (adjusted ? "" : "/unadjusted");
    }
}
