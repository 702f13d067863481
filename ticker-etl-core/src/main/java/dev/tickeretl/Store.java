package dev.tickeretl;

import dev.tickeretl.internal.DataStore;
import dev.tickeretl.internal.Providers;
import dev.tickeretl.internal.RunLiveness;
import dev.tickeretl.internal.quality.StoreChecker;
import dev.tickeretl.spi.ProviderContext;
import dev.tickeretl.spi.Storage;
import dev.tickeretl.spi.StoreProvider;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what runs stored: {@code Store.open(URI.create("file:./data")).bars("AAPL", from, to)}. Opens read-only:
 * it creates nothing, works on a read-only mount, needs no API key, and a store that does not exist is an error.
 * The scheme picks the provider ({@code file:}, {@code s3:}, {@code memory:}); an unknown one lists the available
 * ones.
 *
 * <p>Errors: a malformed location, an unknown scheme, a bad option or argument is an
 * {@link IllegalArgumentException} naming the field; a store that does not exist, cannot be reached or holds a
 * damaged file is a {@link StoreException} (a {@link TickerEtlException}) naming the location and the operation.
 */
public final class Store implements AutoCloseable {

    /**
     * A scheme of two or more characters and a colon at the start: a single letter is a Windows drive
     * ({@code C:\data}), which is a path.
     */
    private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]+):.*", Pattern.DOTALL);
    /** Always URIs, even when their provider is not on the class path: an error beats a directory named "s3:x". */
    private static final List<String> RESERVED_SCHEMES = List.of("file", "s3");

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

    /** Opens the store at {@code location}: a path or a URI, as {@link #location(String)} reads it. */
    public static Store open(String location) {
        return open(location(location));
    }

    /**
     * The store a location names, as the CLI's {@code --store} and {@link TickerEtl.Builder#store(String)} read it.
     * A string that starts with a store scheme ({@code file:}, {@code s3:}, or the scheme of any store provider on
     * the class path) or with {@code name://} is a URI, with URI rules: {@code %XX} is decoded, and {@code ?} and
     * {@code #} start a query and a fragment, which stores refuse. Anything else is a file-system path taken
     * literally (spaces, {@code ?}, {@code #} and {@code %} are part of the name), relative to the working directory:
     * {@code data}, {@code ./a?b}, {@code /mnt/prices 2025}. A path becomes an absolute {@code file:} URI, so the run
     * record names the real directory.
     *
     * @throws IllegalArgumentException naming {@code store}: an empty location, a URI that does not parse, a
     *                                  scheme no store provider answers for, or a path the platform cannot hold
     */
    public static URI location(String location) {
        Objects.requireNonNull(location, "store");
        if (location.isBlank()) {
            throw new IllegalArgumentException("store: no location given (a directory, file:URI or "
                    + "s3://bucket/prefix)");
        }
        Matcher scheme = SCHEME.matcher(location);
        if (scheme.matches() && isStoreScheme(scheme.group(1), location)) {
            URI uri;
            try {
                uri = new URI(location);
            } catch (URISyntaxException e) {
                // The text may carry user:password@ (refused later anyway); never repeat such a value.
                String shown = location.contains("@") ? "a URI containing '@'" : "'" + location + "'";
                throw new IllegalArgumentException("store: " + shown + " is not a valid URI (" + e.getReason()
                        + " at index " + e.getIndex() + "); percent-encode that character, or give a plain path");
            }
            Providers.store(uri); // a scheme no provider answers for: the error lists those that do
            return uri;
        }
        try {
            return fileUri(Path.of(location).toAbsolutePath().normalize());
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("store: '" + location + "' is not a valid path: " + e.getReason());
        }
    }

    private static boolean isStoreScheme(String scheme, String location) {
        String lower = scheme.toLowerCase(Locale.ROOT);
        return RESERVED_SCHEMES.contains(lower)
                || location.startsWith(scheme + "://")
                || Providers.names(StoreProvider.class, StoreProvider::scheme).contains(lower);
    }

    /** {@code path} as a URI that decodes back to it, without the trailing slash only an existing directory gets. */
    private static URI fileUri(Path path) {
        // Path.toUri percent-encodes what a URI cannot hold literally ('?', '#', '%', spaces, non-ASCII).
        String uri = path.toUri().toString();
        if (uri.endsWith("/") && path.getNameCount() > 0) {
            uri = uri.substring(0, uri.length() - 1);
        }
        return URI.create(uri);
    }

    /** Opens the store at {@code uri} with provider options such as {@code s3-endpoint}. */
    public static Store open(URI uri, Map<String, String> options) {
        Objects.requireNonNull(uri, "store");
        return open(Providers.store(uri), uri, options);
    }

    /**
     * Opens the store at {@code uri} through a provider that need not be registered with
     * {@link java.util.ServiceLoader} (an application's own backend).
     *
     * @throws IllegalArgumentException naming {@code store} when {@code uri}'s scheme is not the provider's
     */
    public static Store open(StoreProvider provider, URI uri, Map<String, String> options) {
        Objects.requireNonNull(provider, "store");
        Objects.requireNonNull(uri, "store");
        Providers.requireScheme("store", provider.scheme(), uri);
        return new Store(uri, options, provider, Clock.systemUTC());
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
     * The live stream's watermark for {@code ticker}: every minute bar (unadjusted, as the feed stores them) starting
     * at or before this instant is stored at its final revision or known to have had no trades. Empty when no stream
     * has committed one for this ticker.
     */
    public java.util.Optional<java.time.Instant> completeThrough(String ticker) {
        String symbol = Tickers.requireValid(ticker);
        var progress = store.offsets(Timespan.MINUTE, false).partitions().get(symbol);
        String value = progress == null ? null : progress.offset().get(dev.tickeretl.spi.SourceOffset.COMPLETE_THROUGH);
        if (value == null) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(java.time.Instant.ofEpochMilli(Long.parseLong(value)));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
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

    /**
     * Verifies the store: its invariants (each line JSON and a data-contract bar of the right schema version and
     * partition, keys unique, lines in order, {@code prior_volume} and phase what the tagger gives for the stored
     * neighbours, offsets and coverage well-formed) and the data-quality rules. Only reads.
     *
     * @throws IllegalArgumentException naming the field: a phase tagger or source that is not on the class path
     * @throws StoreException           when the store cannot be read
     * @throws SourceException          when minutes are compared with a source that cannot serve them
     */
    public CheckReport check(StoreCheck check) {
        Objects.requireNonNull(check, "check");
        try {
            return new StoreChecker(store, TradingCalendar.nyse(), check).run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("store check of " + uri() + " interrupted");
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
