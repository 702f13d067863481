package dev.tickeretl;

import java.util.Objects;

/** The identity of a bar: (ticker, timespan, window start in epoch ms). */
public record BarKey(String ticker, Timespan timespan, long startMs) {
    public BarKey {
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(timespan, "timespan");
    }
}
