package dev.tickeretl;

import dev.tickeretl.internal.DataStore;
import dev.tickeretl.internal.Providers;
import dev.tickeretl.internal.RunLiveness;
import dev.tickeretl.spi.ProviderContext;
import dev.tickeretl.spi.Storage;
import dev.tickeretl.spi.StoreProvider;
import java.net.URI;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads what runs stored: {@code Store.open(URI.create("file:./data")).bars("AAPL", from, to)}. Opens read-only:
 * it creates nothing, works on a read-only mount, needs no API key, and a store that does not exist is an error.
 * The scheme picks the provider ({@code file:}, {@code s3:}, {@code memory:}); an unknown one lists the available
 * ones.
 */
public final class Store implements AutoCloseable {

    private final URI uri;
    private final Map<String, String> options;
    private final StoreProvider provider;
    private final DataStore store;
    private final Clock clock;

    private Store(URI uri, Map<String, String> options, StoreProvider provider, Clock clock) {
        this.uri = uri;
        this.options = Map.copyOf(options);
        this.provider = provider;
        this.clock = clock;
        this.store = new DataStore(provider.open(uri, ProviderContext.of(options), Storage.Access.READ_ONLY),
                TradingCalendar.nyse());
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
        Objects.requireNonNull(uri, "store");
        return new Store(uri, options, Providers.store(uri), Clock.systemUTC());
    }

    /** Split-adjusted daily bars of {@code ticker} with trading dates in [from, to], in time order. */
    public List<Bar> bars(String ticker, LocalDate from, LocalDate to) {
        return bars(ticker, Timespan.DAY, true, from, to);
    }

    /**
     * Bars of {@code ticker} and {@code timespan} with trading dates in [from, to], in time order: adjusted day bars,
     * or unadjusted minute bars (what the live feed stores).
     */
    public List<Bar> bars(String ticker, Timespan timespan, LocalDate from, LocalDate to) {
        return bars(ticker, timespan, timespan == Timespan.DAY, from, to);
    }

    /** Bars of one ticker, timespan and price basis with trading dates in [from, to], in time order. */
    public List<Bar> bars(String ticker, Timespan timespan, boolean adjusted, LocalDate from, LocalDate to) {
        Objects.requireNonNull(timespan, "timespan");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        return store.read(Tickers.requireValid(ticker), timespan, adjusted, from, to);
    }

    /**
     * Every run record, newest first. A run left RUNNING by a process that is gone (killed, crashed) is shown as
     * ABANDONED; {@link #recordAbandonedRuns()} writes that down.
     */
    public List<RunRecord> runs() {
        return RunLiveness.view(store.runs(), clock.instant());
    }

    /**
     * Re-records every abandoned run as ABANDONED, when the store can be written (best effort: on a read-only
     * store nothing changes and {@link #runs()} still shows them ABANDONED).
     *
     * @return how many were re-recorded
     */
    public int recordAbandonedRuns() {
        try (DataStore writable = new DataStore(provider.open(uri, ProviderContext.of(options),
                Storage.Access.READ_WRITE), TradingCalendar.nyse())) {
            return RunLiveness.reconcile(writable, clock.instant(), null);
        } catch (RuntimeException e) {
            return 0;
        }
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
