package dev.tickeretl;

import dev.tickeretl.internal.BatchRun;
import dev.tickeretl.internal.Providers;
import dev.tickeretl.internal.RunConfig;
import dev.tickeretl.spi.BarStore;
import dev.tickeretl.spi.PhaseTagger;
import dev.tickeretl.spi.Source;
import dev.tickeretl.spi.SourceProvider;
import dev.tickeretl.spi.Transformer;
import java.net.URI;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A configured batch ingestion: fetch daily bars for some tickers over a date range, convert, tag phases, store
 * idempotently, and record the run.
 *
 * <pre>{@code
 * RunRecord run = TickerEtl.builder()
 *     .tickers("AAPL", "MSFT")
 *     .from(LocalDate.of(2025, 1, 2)).to(LocalDate.of(2025, 1, 31))
 *     .source("simulator")
 *     .store(URI.create("file:./data"))
 *     .build()
 *     .run();
 * }</pre>
 */
public final class TickerEtl {

    private final RunConfig config;

    private TickerEtl(RunConfig config) {
        this.config = config;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs once. Never throws for a failure of the data or of upstream: the returned record says FAILED or PARTIAL
     * and why. Throws, before any run is recorded, when the store or the source cannot be opened
     * ({@link StoreException} for a missing bucket or bad credentials, {@link IllegalArgumentException} naming the
     * setting for bad configuration such as a missing API key).
     */
    public RunRecord run() {
        return new BatchRun(config).execute();
    }

    /** Builds a {@link TickerEtl}; every setter validates and names the field it rejects. */
    public static final class Builder {
        private List<String> tickers = Tickers.DEFAULTS;
        private LocalDate from;
        private LocalDate to;
        private boolean adjusted = true;
        private boolean incremental;
        private String sourceName;
        private Supplier<Source> source;
        private String storeName;
        private Supplier<BarStore> store;
        private String transformerName = "market-time";
        private Transformer transformer;
        private String phaseTaggerName = "brief";
        private PhaseTagger phaseTagger;
        private TradingCalendar calendar = TradingCalendar.nyse();
        private RunListener listener = RunListener.NONE;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        public Builder tickers(String... tickers) {
            return tickers(Arrays.asList(tickers));
        }

        /** Upper-case symbols ({@code BRK.A} is valid, {@code ../x} is not); duplicates are dropped. */
        public Builder tickers(List<String> tickers) {
            Objects.requireNonNull(tickers, "tickers");
            if (tickers.isEmpty()) {
                throw new IllegalArgumentException("tickers: at least one ticker is needed");
            }
            LinkedHashSet<String> unique = new LinkedHashSet<>();
            for (String t : tickers) {
                unique.add(Tickers.requireValid(t));
            }
            this.tickers = List.copyOf(unique);
            return this;
        }

        /** First trading date wanted (New York date, inclusive). */
        public Builder from(LocalDate from) {
            this.from = Objects.requireNonNull(from, "from");
            return this;
        }

        /** Last trading date wanted (inclusive). */
        public Builder to(LocalDate to) {
            this.to = Objects.requireNonNull(to, "to");
            return this;
        }

        /** Split-adjusted prices (Polygon's {@code adjusted}); default true. Recorded in every bar. */
        public Builder adjusted(boolean adjusted) {
            this.adjusted = adjusted;
            return this;
        }

        /** Fetch only trading days the store does not hold yet (plus the lookback phases need). */
        public Builder incremental(boolean incremental) {
            this.incremental = incremental;
            return this;
        }

        /** A source by provider name ({@code polygon}, {@code simulator}) with default options. */
        public Builder source(String name) {
            return source(name, Map.of());
        }

        /** A source by provider name, with provider options (e.g. {@code base-url}). */
        public Builder source(String name, Map<String, String> options) {
            Objects.requireNonNull(name, "source");
            return source(Providers.source(name), options);
        }

        /** A source from a provider that need not be registered; the run opens it and closes what it opened. */
        public Builder source(SourceProvider provider, Map<String, String> options) {
            Objects.requireNonNull(provider, "source");
            Map<String, String> copy = Map.copyOf(options);
            this.sourceName = provider.name();
            this.source = () -> provider.open(copy);
            return this;
        }

        /** A source instance; the run closes it. */
        public Builder source(Source source) {
            Objects.requireNonNull(source, "source");
            String simpleName = source.getClass().getSimpleName();
            this.sourceName = simpleName.isEmpty() ? source.getClass().getName() : simpleName;
            this.source = () -> source;
            return this;
        }

        /**
         * Where bars and run records go: a directory path taken literally, or a store URI ({@code file:./data},
         * {@code s3://bucket/prefix}), as {@link Store#location(String)} reads it.
         */
        public Builder store(String location) {
            return store(location, Map.of());
        }

        /** A store location (see {@link #store(String)}) with provider options. */
        public Builder store(String location, Map<String, String> options) {
            return store(Store.location(location), options);
        }

        /** Where bars and run records go: {@code file:./data}, {@code s3://bucket/prefix}, ... */
        public Builder store(URI uri) {
            return store(uri, Map.of());
        }

        /** A store with provider options (e.g. {@code s3-endpoint}, {@code s3-region}). */
        public Builder store(URI uri, Map<String, String> options) {
            Objects.requireNonNull(uri, "store");
            var provider = Providers.store(uri);
            Map<String, String> copy = Map.copyOf(options);
            this.storeName = uri.toString();
            this.store = () -> provider.open(uri, copy);
            return this;
        }

        /** Same as {@link #store(URI)}; reads as the design's "sink". */
        public Builder sink(URI uri) {
            return store(uri);
        }

        /** A store instance; the run closes it. */
        public Builder store(BarStore store) {
            Objects.requireNonNull(store, "store");
            this.storeName = store.uri().toString();
            this.store = () -> store;
            return this;
        }

        /** A phase tagger by name; default {@code brief}. */
        public Builder phaseTagger(String name) {
            this.phaseTaggerName = Objects.requireNonNull(name, "phaseTagger");
            this.phaseTagger = null;
            return this;
        }

        public Builder phaseTagger(PhaseTagger tagger) {
            this.phaseTagger = Objects.requireNonNull(tagger, "phaseTagger");
            return this;
        }

        /** A transformer by name; default {@code market-time}. */
        public Builder transformer(String name) {
            this.transformerName = Objects.requireNonNull(name, "transformer");
            this.transformer = null;
            return this;
        }

        public Builder calendar(TradingCalendar calendar) {
            this.calendar = Objects.requireNonNull(calendar, "calendar");
            return this;
        }

        public Builder listener(RunListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** The clock for run times and "today"; tests pass a fixed one. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the field: from/to missing, from after to, to in the future,
         *                                  no source or store
         */
        public TickerEtl build() {
            if (from == null && to == null) {
                throw new IllegalArgumentException("from: a start date is needed");
            }
            LocalDate start = from != null ? from : to;
            LocalDate end = to != null ? to : from;
            if (start.isAfter(end)) {
                throw new IllegalArgumentException("from: " + start + " is after to: " + end);
            }
            LocalDate today = LocalDate.now(clock.withZone(MarketTime.ZONE));
            if (end.isAfter(today)) {
                throw new IllegalArgumentException("to: " + end + " is in the future (today in New York is "
                        + today + ")");
            }
            if (source == null) {
                throw new IllegalArgumentException("source: none given (e.g. source(\"simulator\"))");
            }
            if (store == null) {
                throw new IllegalArgumentException("store: none given (e.g. store(URI.create(\"file:./data\")))");
            }
            Transformer t = transformer != null ? transformer : Providers.transformer(transformerName);
            PhaseTagger p = phaseTagger != null ? phaseTagger : Providers.phaseTagger(phaseTaggerName);
            return new TickerEtl(new RunConfig(new ArrayList<>(tickers), start, end, adjusted, incremental, sourceName,
                    source, storeName, store, t, p, calendar, listener, clock));
        }
    }

    @Override
    public String toString() {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("tickers", config.tickers());
        shown.put("from", config.from());
        shown.put("to", config.to());
        shown.put("source", config.sourceName());
        shown.put("store", config.storeName());
        return "TickerEtl" + shown;
    }
}
