package dev.tickeretl.spi;

import java.time.LocalDate;
import java.util.Objects;

/** Trading dates [from, to] (both inclusive, New York dates) wanted for one ticker. */
public record TickerRange(String ticker, LocalDate from, LocalDate to) {
    public TickerRange {
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("from (" + from + ") is after to (" + to + ") for " + ticker);
        }
    }
}
