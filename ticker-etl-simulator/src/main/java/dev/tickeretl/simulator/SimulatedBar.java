package dev.tickeretl.simulator;

import java.util.Objects;

/**
 * One aggregate as the simulator serves it, in Polygon's terms ({@code o h l c v vw n t}).
 *
 * <p>It is what {@link PolygonSimulator#dailyBar} returns and what an
 * {@link PolygonSimulator.Builder#override override} operator receives and returns. Values are served verbatim:
 * an override may deliberately break the OHLC invariants to test validation. A {@code null} {@link #vwap()} or
 * {@link #transactions()} is left out of the JSON, as Polygon does for these optional fields.
 *
 * @param ticker       the symbol
 * @param t            window start in Unix ms (00:00 New York for daily bars, the minute start for minute bars)
 * @param open         {@code o}
 * @param high         {@code h}
 * @param low          {@code l}
 * @param close        {@code c}
 * @param volume       {@code v}; a JSON number that may carry a fraction
 * @param vwap         {@code vw}, or {@code null} to omit it
 * @param transactions {@code n}, or {@code null} to omit it
 */
public record SimulatedBar(
        String ticker,
        long t,
        double open,
        double high,
        double low,
        double close,
        double volume,
        Double vwap,
        Long transactions) {

    public SimulatedBar {
        Objects.requireNonNull(ticker, "ticker");
    }

    public SimulatedBar withOpen(double value) {
        return new SimulatedBar(ticker, t, value, high, low, close, volume, vwap, transactions);
    }

    public SimulatedBar withHigh(double value) {
        return new SimulatedBar(ticker, t, open, value, low, close, volume, vwap, transactions);
    }

    public SimulatedBar withLow(double value) {
        return new SimulatedBar(ticker, t, open, high, value, close, volume, vwap, transactions);
    }

    public SimulatedBar withClose(double value) {
        return new SimulatedBar(ticker, t, open, high, low, value, volume, vwap, transactions);
    }

    public SimulatedBar withVolume(double value) {
        return new SimulatedBar(ticker, t, open, high, low, close, value, vwap, transactions);
    }

    public SimulatedBar withVwap(Double value) {
        return new SimulatedBar(ticker, t, open, high, low, close, volume, value, transactions);
    }

    public SimulatedBar withTransactions(Long value) {
        return new SimulatedBar(ticker, t, open, high, low, close, volume, vwap, value);
    }

    SimulatedBar withIdentity(String newTicker, long newT) {
        return new SimulatedBar(newTicker, newT, open, high, low, close, volume, vwap, transactions);
    }
}
