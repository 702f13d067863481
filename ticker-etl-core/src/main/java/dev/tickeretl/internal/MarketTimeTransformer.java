package dev.tickeretl.internal;

import dev.tickeretl.Bar;
import dev.tickeretl.MarketTime;
import dev.tickeretl.Tickers;
import dev.tickeretl.spi.InvalidBarException;
import dev.tickeretl.spi.RawBar;
import dev.tickeretl.spi.Transformer;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * The default transformer, {@code market-time}: reads the window start as an instant, dates the bar in New York
 * time, and refuses values no market produces (NaN, infinities, negatives, high below low, a malformed symbol).
 * Zero prices and zero volume pass: halted or illiquid days really report them.
 *
 * <p>It sits on the hot path of every bar, so it allocates only what the {@link Bar} keeps.
 */
public final class MarketTimeTransformer implements Transformer {

    /** The name this transformer is chosen by. */
    public static final String NAME = "market-time";

    private static final Double ZERO = 0.0;

    private String lastValidTicker;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Bar transform(RawBar raw) throws InvalidBarException {
        String ticker = raw.ticker();
        // Bars come ticker by ticker: remembering the last valid symbol skips the regex for almost every bar. By
        // equality, not identity: grouped-daily pages give every bar its own copy of the symbol. A stale read from
        // another thread only means validating again (String is immutable, so the race is benign).
        if (!ticker.equals(lastValidTicker)) {
            if (!Tickers.isValid(ticker)) {
                throw new InvalidBarException("ticker '" + ticker + "' is not a valid symbol");
            }
            lastValidTicker = ticker;
        }
        double open = requireNonNegative("open", raw.open());
        double high = requireNonNegative("high", raw.high());
        double low = requireNonNegative("low", raw.low());
        double close = requireNonNegative("close", raw.close());
        double volume = requireNonNegative("volume", raw.volume());
        Double vwap = raw.vwap();
        if (vwap != null && requireNonNegative("vwap", vwap) == 0.0) {
            vwap = ZERO; // also turns -0.0 into 0.0, without boxing a new Double for every bar
        }
        Long transactions = raw.transactions();
        if (transactions != null && transactions < 0) {
            throw new InvalidBarException("transactions " + transactions + " is negative");
        }
        if (high < low) {
            throw new InvalidBarException("high " + high + " < low " + low);
        }
        long startMs = raw.startMs();
        Instant start = Instant.ofEpochMilli(startMs);
        OffsetDateTime startEt = OffsetDateTime.ofInstant(start, MarketTime.ZONE);
        return new Bar(ticker, raw.timespan(), startEt.toLocalDate(), startMs, startEt, start,
                open, high, low, close, volume, vwap, transactions, raw.adjusted(), null, null,
                Bar.SCHEMA_VERSION);
    }

    /** @return {@code value}, with -0.0 made 0.0 so that equal values always serialise to the same bytes */
    private static double requireNonNegative(String field, double value) throws InvalidBarException {
        if (Double.isNaN(value)) {
            throw new InvalidBarException(field + " is NaN");
        }
        if (Double.isInfinite(value)) {
            throw new InvalidBarException(field + " is " + value);
        }
        if (value < 0) {
            throw new InvalidBarException(field + " " + value + " is negative");
        }
        return value + 0.0;
    }
}
