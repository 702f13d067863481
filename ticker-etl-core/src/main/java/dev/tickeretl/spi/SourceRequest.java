package dev.tickeretl.spi;

import dev.tickeretl.Timespan;
import java.util.List;
import java.util.Objects;

/**
 * What the pipeline asks a source for. Ranges already include the phase lookback (the previous trading day), and
 * an incremental run leaves out dates the store already holds, so a source fetches exactly these and nothing else.
 * A ticker with no range is not fetched at all.
 */
public record SourceRequest(Timespan timespan, boolean adjusted, List<TickerRange> ranges) {
    public SourceRequest {
        Objects.requireNonNull(timespan, "timespan");
        ranges = List.copyOf(ranges);
    }
}
