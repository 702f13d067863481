package dev.tickeretl.spi;

import dev.tickeretl.Timespan;
import java.util.Objects;

/**
 * One aggregate as a source delivered it, before conversion, validation and tagging.
 *
 * <p>Field meanings follow Polygon's aggregate ({@code o h l c v vw n t}). Validation (NaN, negatives,
 * high &lt; low) is the pipeline's job, so a source passes values through as received.
 */
public record RawBar(
        String ticker,
        Timespan timespan,
        long startMs,
        double open,
        double high,
        double low,
        double close,
        double volume,
        Double vwap,
        Long transactions,
        boolean adjusted) {

    public RawBar {
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(timespan, "timespan");
    }
}
