package dev.tickeretl;

import dev.tickeretl.internal.Pipeline;
import dev.tickeretl.internal.Providers;
import dev.tickeretl.internal.RunConfig;
import dev.tickeretl.spi.Observer;
import dev.tickeretl.spi.PhaseTagger;
import dev.tickeretl.spi.ProviderContext;
import dev.tickeretl.spi.Sink;
import dev.tickeretl.spi.SinkProvider;
import dev.tickeretl.spi.Source;
import dev.tickeretl.spi.SourceProvider;
import dev.tickeretl.spi.Storage;
import dev.tickeretl.spi.StoreProvider;
import dev.tickeretl.spi.Transformer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A configured ingestion: fetch bars for some tickers, convert, tag phases, store idempotently, fan out, and record
 * the run. A batch run covers a date range and ends; a stream ({@link Builder#streaming()}) follows a live feed
 * until stopped. Both go through the same pipeline, with offsets the framework keeps in the store.
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
 *
 * <p>Errors: every setter and {@link Builder#build()} throw {@link IllegalArgumentException} naming the field for bad
 * configuration (see {@link TickerEtlException} for the whole rule). A run that has started never throws for bad data
 * or a failing upstream: its {@link RunRecord} says FAILED or PARTIAL and why. {@link #run()} throws a
 * {@link StoreException} (a {@link TickerEtlException}) only when the store cannot be opened or the run cannot be
 * recorded in it.
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
     * Runs to the end on this thread (a stream: until the JVM shuts down). Never throws for a failure of the data
     * or of upstream: the returned record says FAILED or PARTIAL and why.
     *
     * @throws IllegalArgumentException naming the setting, before any run is recorded, when the store, a sink or the
     *                                  source refuses its configuration (an unknown option, a missing API key)
     * @throws StoreException           when the store cannot be opened (a missing bucket, bad credentials, an
     *                                  unreachable endpoint) or the run cannot be recorded in it
     */
    public RunRecord run() {
        return new Pipeline(config).execute();
    }

    /** Starts the run on a thread of its own and returns a handle to stop it, wait for it and get its record. */
    public RunHandle start() {
        return new RunHandle(new Pipeline(config));
    }

    /** Builds a {@link TickerEtl}; every setter validates and names the field it rejects. */
    public static final class Builder {
        private List<String> tickers = Tickers.DEFAULTS;
        private LocalDate from;
        private LocalDate to;
        private Timespan timespan = Timespan.DAY;
        private Boolean adjusted;
        private boolean incremental;
        private boolean streaming;
        private String sourceName;
        private Function<ProviderContext, Source> source;
        private String storeName;
        private Function<ProviderContext, Storage> store;
        private final List<String> sinkNames = new ArrayList<>();
        private final List<Function<ProviderContext, Sink>> sinks = new ArrayList<>();
        private String transformerName = "market-time";
        private Transformer transformer;
        private String phaseTaggerName = "brief";
        private PhaseTagger phaseTagger;
        private TradingCalendar calendar = TradingCalendar.nyse();
        private RunListener listener = RunListener.NONE;
        private Clock clock = Clock.systemUTC();
        private Observer observer = Observer.NONE;
        private Duration flushInterval;
        private int maxBatchBars = 100_000;
        private int maxBufferedBars = 200_000;
        private Duration commitInterval = Duration.ofSeconds(1);
        private Duration heartbeatInterval = Duration.ofSeconds(30);
        private Duration deadline;
        private int writerThreads = 4;
        private boolean shutdownHook = true;
        private Duration compactInterval = Duration.ofMinutes(5);
        private QualityRules qualityRules = QualityRules.defaults();

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

        /** First trading date wanted (New York date, inclusive). Batch runs only. */
        public Builder from(LocalDate from) {
            this.from = Objects.requireNonNull(from, "from");
            return this;
        }

        /** Last trading date wanted (inclusive). Batch runs only. */
        public Builder to(LocalDate to) {
            this.to = Objects.requireNonNull(to, "to");
            return this;
        }

        /** Day bars (the default, phase-tagged) or minute bars (no phase). */
        public Builder timespan(Timespan timespan) {
            this.timespan = Objects.requireNonNull(timespan, "timespan");
            return this;
        }

        /**
         * Split-adjusted prices (Polygon's {@code adjusted}). Default: true for day bars, false for minute bars (the
         * live feed is unadjusted). Adjusted and unadjusted bars are separate datasets in the store.
         */
        public Builder adjusted(boolean adjusted) {
            this.adjusted = adjusted;
            return this;
        }

        /**
         * Ask upstream only for trading days it has not answered yet (or whose answer could still change), plus the
         * lookback the phase rule needs.
         */
        public Builder incremental(boolean incremental) {
            this.incremental = incremental;
            return this;
        }

        /**
         * Follow a live feed of minute bars until stopped instead of covering a date range: an unbounded run. Bars
         * are written within {@link #flushInterval} (default 1 s) and offsets committed after them.
         */
        public Builder streaming() {
            this.streaming = true;
            this.timespan = Timespan.MINUTE;
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
            this.source = context -> provider.open(context.withOptions(copy));
            return this;
        }

        /** A source instance; the run closes it. */
        public Builder source(Source source) {
            Objects.requireNonNull(source, "source");
            String simpleName = source.getClass().getSimpleName();
            this.sourceName = simpleName.isEmpty() ? source.getClass().getName() : simpleName;
            this.source = context -> source;
            return this;
        }

        /**
         * Where bars, run records and offsets go: a directory path taken literally, or a store URI ({@code file:./data},
         * {@code s3://bucket/prefix}), as {@link Store#location(String)} reads it.
         */
        public Builder store(String location) {
            return store(location, Map.of());
        }

        /** A store location (see {@link #store(String)}) with provider options. */
        public Builder store(String location, Map<String, String> options) {
            return store(Store.location(location), options);
        }

        /** Where bars, run records and offsets go: {@code file:./data}, {@code s3://bucket/prefix}, ... */
        public Builder store(URI uri) {
            return store(uri, Map.of());
        }

        /** A store with provider options (e.g. {@code s3-endpoint}, {@code s3-region}). */
        public Builder store(URI uri, Map<String, String> options) {
            Objects.requireNonNull(uri, "store");
            return store(Providers.store(uri), uri, options);
        }

        /**
         * A store from a provider that need not be registered with {@link java.util.ServiceLoader} (an application's
         * own backend); the run opens it read-write and closes it.
         *
         * @throws IllegalArgumentException naming {@code store} when {@code uri}'s scheme is not the provider's
         */
        public Builder store(StoreProvider provider, URI uri, Map<String, String> options) {
            Objects.requireNonNull(provider, "store");
            Objects.requireNonNull(uri, "store");
            Providers.requireScheme("store", provider.scheme(), uri);
            Map<String, String> copy = Map.copyOf(options);
            this.storeName = uri.toString();
            this.store = context -> provider.open(uri, context.withOptions(copy), Storage.Access.READ_WRITE);
            return this;
        }

        /**
         * Adds a fan-out sink ({@code kafka://host:9092/topic}) that hears about every bar the run newly stores or
         * changes, after it is durable. Repeatable.
         */
        public Builder sink(URI uri) {
            return sink(uri, Map.of());
        }

        /** A fan-out sink with provider options. */
        public Builder sink(URI uri, Map<String, String> options) {
            Objects.requireNonNull(uri, "sink");
            return sink(Providers.sink(uri), uri, options);
        }

        /**
         * A fan-out sink from a provider that need not be registered with {@link java.util.ServiceLoader}.
         *
         * @throws IllegalArgumentException naming {@code sink} when {@code uri}'s scheme is not the provider's
         */
        public Builder sink(SinkProvider provider, URI uri, Map<String, String> options) {
            Objects.requireNonNull(provider, "sink");
            Objects.requireNonNull(uri, "sink");
            Providers.requireScheme("sink", provider.scheme(), uri);
            Map<String, String> copy = Map.copyOf(options);
            sinkNames.add(uri.toString());
            sinks.add(context -> provider.open(uri, context.withOptions(copy)));
            return this;
        }

        /**
         * A phase tagger by name, found with {@link java.util.ServiceLoader}; default {@code brief}. An unknown name
         * fails {@link #build()} with the names available.
         */
        public Builder phaseTagger(String name) {
            this.phaseTaggerName = Objects.requireNonNull(name, "phaseTagger");
            this.phaseTagger = null;
            return this;
        }

        /**
         * A phase tagger instance (need not be registered with {@link java.util.ServiceLoader}); its
         * {@link PhaseTagger#sessions()} decide how many sessions before {@link #from} the run also fetches.
         */
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

        /**
         * A transformer instance (need not be registered): it turns each raw bar into a contract bar and may refuse
         * it ({@link dev.tickeretl.spi.InvalidBarException}, counted as invalid). Called from the run's thread.
         */
        public Builder transformer(Transformer transformer) {
            this.transformer = Objects.requireNonNull(transformer, "transformer");
            return this;
        }

        /**
         * The trading calendar the run plans ranges, lookbacks and prior sessions by; default and, today, only value
         * {@link TradingCalendar#nyse()}. There is no other on purpose: every US equity Polygon's stocks API serves
         * trades on NYSE sessions, the data contract's trading dates are NYSE's, and {@link Store}, the Polygon source
         * and the simulator read by the same calendar, so a run on another one would disagree with them.
         *
         * @throws NullPointerException naming {@code calendar}
         */
        public Builder calendar(TradingCalendar calendar) {
            this.calendar = Objects.requireNonNull(calendar, "calendar");
            return this;
        }

        public Builder listener(RunListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Where the run and its providers report metrics (e.g. the ticker-etl-metrics Micrometer binding). */
        public Builder observer(Observer observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /** The clock for run times and "today"; tests pass a fixed one. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How long received bars may wait in memory before they are written. Default: a stream 1 s; a batch run
         * writes each ticker when it is complete. A stream of minute bars does not wait for it when it can help it:
         * it group-commits whatever arrived as soon as its previous segment is durable, so this only bounds the
         * wait behind slow writes.
         */
        public Builder flushInterval(Duration interval) {
            this.flushInterval = positive("flush-interval", interval);
            return this;
        }

        /** A partition's buffer is written once it holds this many bars (default 100,000). */
        public Builder maxBatchBars(int bars) {
            if (bars < 1) {
                throw new IllegalArgumentException("max-batch-bars: must be at least 1, got " + bars);
            }
            this.maxBatchBars = bars;
            return this;
        }

        /**
         * At most this many received bars wait in memory (default 200,000); beyond it, buffers are written at once
         * and the source is not read until writes catch up. Bounds a run's heap whatever the source does. A stream
         * of minute bars also compacts at most this many (and at most 100,000) at a time, and compacts as soon as
         * its segments hold that many, whatever {@link #compactInterval} says.
         */
        public Builder maxBufferedBars(int bars) {
            if (bars < 1) {
                throw new IllegalArgumentException("max-buffered-bars: must be at least 1, got " + bars);
            }
            this.maxBufferedBars = bars;
            return this;
        }

        /**
         * How often durable progress is committed to the store's offsets (default 1 s). Commits run beside the
         * loop, one at a time, so a large offsets file never holds up reading or writing bars.
         */
        public Builder commitInterval(Duration interval) {
            this.commitInterval = positive("commit-interval", interval);
            return this;
        }

        /** How often a running run rewrites its record with the totals so far (default 30 s). */
        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = positive("heartbeat-interval", interval);
            return this;
        }

        /**
         * A time limit for the whole run: when it passes, the run stops fetching, stores what it has, and the
         * unfinished tickers fail (the run ends PARTIAL or FAILED). Default: none.
         */
        public Builder deadline(Duration deadline) {
            this.deadline = positive("deadline", deadline);
            return this;
        }

        /** Partitions written in parallel (default 4). */
        public Builder writerThreads(int threads) {
            if (threads < 1 || threads > 64) {
                throw new IllegalArgumentException("writer-threads: must be between 1 and 64, got " + threads);
            }
            this.writerThreads = threads;
            return this;
        }

        /**
         * Whether a JVM shutdown (SIGTERM, Ctrl-C) stops the run cleanly: it writes what it has, commits, and
         * records the run (CANCELLED for a batch). Default true.
         */
        public Builder shutdownHook(boolean enabled) {
            this.shutdownHook = enabled;
            return this;
        }

        /**
         * How often a stream folds its group-committed segments of minute bars into the per-day partitions (default
         * PT5M; sooner once the segments hold 100,000 bars or {@link #maxBufferedBars}, whichever is less; and
         * always when it stops). Readers see both meanwhile.
         */
        public Builder compactInterval(Duration interval) {
            this.compactInterval = positive("compact-interval", interval);
            return this;
        }

        /**
         * The thresholds of the data-quality checks each written day bar goes through against its stored neighbours
         * (stale ticker, price jump, volume spike; default {@link QualityRules#defaults()}). Their findings are
         * listed and counted in the run record and reported to the observer as
         * {@code ticker_etl_data_quality_issues}.
         */
        public Builder qualityRules(QualityRules rules) {
            this.qualityRules = Objects.requireNonNull(rules, "qualityRules");
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the field: from/to missing or given to a stream, from after to,
         *                                  to in the future, no source or store
         */
        public TickerEtl build() {
            LocalDate start = null;
            LocalDate end = null;
            if (streaming) {
                if (from != null || to != null) {
                    throw new IllegalArgumentException((from != null ? "from" : "to")
                            + ": a stream follows the live feed and takes no date range");
                }
            } else {
                if (from == null && to == null) {
                    throw new IllegalArgumentException("from: a start date is needed");
                }
                start = from != null ? from : to;
                end = to != null ? to : from;
                if (start.isAfter(end)) {
                    throw new IllegalArgumentException("from: " + start + " is after to: " + end);
                }
                LocalDate today = LocalDate.now(clock.withZone(MarketTime.ZONE));
                if (end.isAfter(today)) {
                    throw new IllegalArgumentException("to: " + end + " is in the future (today in New York is "
                            + today + ")");
                }
            }
            if (source == null) {
                throw new IllegalArgumentException("source: none given (e.g. source(\"simulator\"))");
            }
            if (store == null) {
                throw new IllegalArgumentException("store: none given (e.g. store(URI.create(\"file:./data\")))");
            }
            Transformer t = transformer != null ? transformer : Providers.transformer(transformerName);
            PhaseTagger p = phaseTagger != null ? phaseTagger : Providers.phaseTagger(phaseTaggerName);
            boolean isAdjusted = adjusted != null ? adjusted : timespan == Timespan.DAY;
            Duration flush = flushInterval != null ? flushInterval : streaming ? Duration.ofSeconds(1) : null;
            RunConfig.Tuning tuning = new RunConfig.Tuning(flush, maxBatchBars, maxBufferedBars, commitInterval,
                    heartbeatInterval, deadline, writerThreads, shutdownHook, compactInterval);
            return new TickerEtl(new RunConfig(new ArrayList<>(tickers), start, end, timespan, isAdjusted,
                    incremental, streaming, sourceName, source, storeName, store, sinkNames, sinks, t, p, calendar,
                    listener, clock, observer, tuning, qualityRules));
        }

        private static Duration positive(String field, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(field + ": must be a positive duration, got " + value);
            }
            return value;
        }
    }

    @Override
    public String toString() {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("tickers", config.tickers());
        if (config.unbounded()) {
            shown.put("mode", "stream");
        } else {
            shown.put("from", config.from());
            shown.put("to", config.to());
        }
        shown.put("source", config.sourceName());
        shown.put("store", config.storeName());
        if (!config.sinkNames().isEmpty()) {
            shown.put("sinks", config.sinkNames());
        }
        return "TickerEtl" + shown;
    }
}
