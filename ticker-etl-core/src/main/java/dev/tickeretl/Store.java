package dev.tickeretl;

import dev.tickeretl.internal.Providers;
import dev.tickeretl.spi.BarStore;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Reads what runs stored. {@code Store.open(URI.create("file:./data")).bars("AAPL", from, to)}. Opening needs no API
 * key. The scheme picks the provider ({@code file:}, {@code s3:}); an unknown one lists the available ones.
 */
public final class Store implements AutoCloseable {

    private final BarStore store;

    private Store(BarStore store) {
        this.store = store;
    }

    /** Opens the store at {@code uri} with default options. */
    public static Store open(URI uri) {
        return open(uri, Map.of());
    }

    /** Opens the store at {@code location}: a URI ({@code file:./data}, {@code s3://bucket/prefix}) or a path. */
    public static Store open(String location) {
        return open(URI.create(location));
    }

    /** Opens the store at {@code uri} with provider options such as {@code s3-endpoint}. */
    public static Store open(URI uri, Map<String, String> options) {
        return new Store(Providers.store(uri).open(uri, options));
    }

    /** Daily bars of {@code ticker} with trading dates in [from, to], in time order. */
    public List<Bar> bars(String ticker, LocalDate from, LocalDate to) {
        return bars(ticker, Timespan.DAY, from, to);
    }

    /** Bars of {@code ticker} and {@code timespan} with trading dates in [from, to], in time order. */
    public List<Bar> bars(String ticker, Timespan timespan, LocalDate from, LocalDate to) {
        return store.read(Tickers.requireValid(ticker), timespan, from, to);
    }

    /** Every run record, newest first. */
    public List<RunRecord> runs() {
        return store.runs();
    }

    /** Where this store lives. */
    public URI uri() {
        return store.uri();
    }

    @Override
    public void close() {
        store.close();
    }

    @Override
    public String toString() {
        return "Store[" + store.uri() + "]";
    }
}
