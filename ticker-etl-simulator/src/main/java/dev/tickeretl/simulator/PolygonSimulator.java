package dev.tickeretl.simulator;

import dev.tickeretl.Tickers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A Polygon-compatible server on loopback, for tests, benchmarks and offline runs: the REST aggregates API and, on
 * the same port, the stocks WebSocket ({@link #stream()}). It serves deterministic synthetic bars and can be told to
 * paginate, rate-limit, slow down and fail on purpose.
 *
 * <pre>{@code
 * try (PolygonSimulator sim = PolygonSimulator.builder().seed(7).pageSize(100)
 *         .rateLimit(5, Duration.ofSeconds(2)).start()) {
 *     String url = sim.baseUrl() + "/v2/aggs/ticker/AAPL/range/1/day/2024-01-01/2024-12-31";
 *     ...
 * }
 * // A trading day replayed at 60x from the open, with a dropped connection at 10:00 New York:
 * try (PolygonSimulator sim = PolygonSimulator.builder()
 *         .marketClock(Instant.parse("2025-03-03T14:30:00Z"), 60)
 *         .streamFaults(StreamFaultPlan.builder().at(Instant.parse("2025-03-03T15:00:00Z"), StreamFault.DROP).build())
 *         .start()) {
 *     connect to sim.webSocketUrl(), auth, subscribe AM.AAPL ...
 *     List<SimulatedBar> truth = sim.minuteBars("AAPL", from, sim.marketTime());
 * }
 * }</pre>
 *
 * <p>See the package documentation for the endpoints, the data and the error answers, and {@link SimulatedStream}
 * for the WebSocket.
 */
public final class PolygonSimulator implements AutoCloseable {

    /** Results per page unless {@link Builder#pageSize} says otherwise (Polygon's own maximum {@code limit}). */
    public static final int DEFAULT_PAGE_SIZE = 50_000;
    /** The seed unless {@link Builder#seed} says otherwise. */
    public static final long DEFAULT_SEED = 42L;
    /** How many generated symbols the default universe adds to {@link Tickers#DEFAULTS}: enough for 3000-ticker runs. */
    public static final int SYNTHETIC_UNIVERSE_SIZE = 3_000;
    /** Real symbols the default universe ends with, for dotted share classes and very high prices. */
    private static final List<String> NOTABLE_SYMBOLS = List.of("BRK.A", "BRK.B");

    private static final List<String> DEFAULT_UNIVERSE = buildDefaultUniverse();

    private final SimulatorConfig config;
    private final SyntheticMarket market;
    private final MarketClock clock;
    private final ActiveFaults faults;
    private final RequestJournal journal;
    private final LoopbackServer server;
    private final StreamHub hub;
    private final SimulatedStream stream;
    private final String baseUrl;

    private PolygonSimulator(SimulatorConfig config, SyntheticMarket market, Universe universe, MarketClock clock,
                             FaultPlan initialFaults, StreamFaultPlan streamFaults, boolean streamFromStart) {
        this.config = config;
        this.market = market;
        this.clock = clock;
        this.faults = new ActiveFaults();
        this.faults.install(initialFaults);
        this.journal = new RequestJournal(config.requestLogCapacity());
        this.hub = new StreamHub(market, universe, clock, config.requiredKey(), config.maxStreamConnections(),
                config.slowConsumerBytes(), streamFaults, "polygon-simulator");
        SimulatorHandler[] handler = new SimulatorHandler[1];
        this.server = new LoopbackServer(config.port(), new LoopbackServer.Routes() {
            @Override
            public void http(HttpExchange exchange) throws IOException {
                handler[0].handle(exchange);
            }

            @Override
            public int webSocketStatus(String rawPath) {
                if (!rawPath.equals(StreamHub.PATH)) {
                    return 404;
                }
                return hub.down() ? 503 : 101;
            }

            @Override
            public void webSocket(WebSocketConnection connection) {
                hub.serve(connection);
            }
        }, config.threads(), "polygon-simulator");
        this.baseUrl = "http://127.0.0.1:" + server.port();
        handler[0] = new SimulatorHandler(config, market, baseUrl, faults, journal);
        this.stream = new SimulatedStream(hub, clock, "ws://127.0.0.1:" + server.port() + StreamHub.PATH);
        if (streamFromStart) {
            hub.startFeed();
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The listed symbols unless {@link Builder#universe} replaces them: {@link Tickers#DEFAULTS}, then
     * {@value #SYNTHETIC_UNIVERSE_SIZE} generated four-consonant symbols (the same list in every run, so the first N
     * are a stable N-ticker benchmark set), then {@code BRK.A} and {@code BRK.B}.
     */
    public static List<String> defaultUniverse() {
        return DEFAULT_UNIVERSE;
    }

    /**
     * {@link Tickers#DEFAULTS} followed by generated four-consonant symbols, {@code size} in all (at most 100 000):
     * the same list in every run, and for sizes up to {@value #SYNTHETIC_UNIVERSE_SIZE} + 5 a prefix of
     * {@link #defaultUniverse()}. For runs wider than the default universe, e.g. a 10 000-symbol minute burst.
     */
    public static List<String> generatedUniverse(int size) {
        if (size < 1 || size > 100_000) {
            throw new IllegalArgumentException("size: must be within 1..100000, got " + size);
        }
        if (size <= DEFAULT_UNIVERSE.size() - NOTABLE_SYMBOLS.size()) {
            return DEFAULT_UNIVERSE.subList(0, size);
        }
        return generate(size);
    }

    /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
    public String baseUrl() {
        return baseUrl;
    }

    public int port() {
        return server.port();
    }

    /** {@code ws://127.0.0.1:<port>/stocks}: Polygon's stocks WebSocket, on the REST port. */
    public String webSocketUrl() {
        return stream.url();
    }

    /** The WebSocket: its faults, connections and statistics. */
    public SimulatedStream stream() {
        return stream;
    }

    /** Now on the market clock ({@link Builder#marketClock}; the wall clock unless configured). */
    public Instant marketTime() {
        return clock.now();
    }

    /** Moves the market clock forward by {@code by}: the stream publishes every minute on the way, in order. */
    public void advanceMarketClock(Duration by) {
        clock.advance(Objects.requireNonNull(by, "by"));
        hub.clockAdvanced();
    }

    /**
     * The truth for minute bars: the final, unadjusted bar of every minute of {@code ticker} that starts in
     * {@code [from, to)} and had trades, in time order. This is what the REST minute endpoint serves with
     * {@code adjusted=false} and the last version the stream sends of each minute, whatever the market clock says
     * (the stream only sends minutes it reached).
     */
    public List<SimulatedBar> minuteBars(String ticker, Instant from, Instant to) {
        Objects.requireNonNull(ticker, "ticker");
        long start = Math.floorDiv(from.toEpochMilli() + 59_999L, 60_000L) * 60_000L;
        List<SimulatedBar> bars = new ArrayList<>();
        for (long t = start; t < to.toEpochMilli(); t += 60_000L) {
            market.minuteBar(ticker, t, false).ifPresent(bars::add);
        }
        return bars;
    }

    public long seed() {
        return config.seed();
    }

    /**
     * The listed symbols, in grouped-daily order: the only symbols with bars on any endpoint (and, while listed, in
     * grouped-daily answers). Anything else, such as the typo {@code APPL}, answers {@code resultsCount} 0.
     */
    public List<String> universe() {
        return config.universe();
    }

    /**
     * The daily bar this simulator serves for {@code ticker} on {@code date}, with overrides and removals applied;
     * empty on non-trading days, outside the ticker's listing ({@link Builder#listedSince},
     * {@link Builder#delistedAfter}), for a removed bar or a symbol outside the {@link #universe()}.
     * Lets a test know the expected values without an HTTP round trip.
     */
    public Optional<SimulatedBar> dailyBar(String ticker, LocalDate date, boolean adjusted) {
        return market.daily(ticker, Objects.requireNonNull(date, "date"), adjusted);
    }

    /**
     * From now on, serve {@code change} applied to the (adjusted) daily bar of {@code ticker} on {@code date}: the
     * upstream corrected one bar. The unadjusted view is derived from the changed bar; ticker and {@code t} stay.
     */
    public void override(String ticker, LocalDate date, UnaryOperator<SimulatedBar> change) {
        market.override(new SyntheticMarket.DayKey(ticker, date), change);
    }

    /** From now on, leave out the daily bar of {@code ticker} on {@code date} (in range and grouped answers). */
    public void removeBar(String ticker, LocalDate date) {
        market.remove(new SyntheticMarket.DayKey(ticker, date));
    }

    /** Forgets every {@link #override} and {@link #removeBar}, including those given to the builder. */
    public void clearOverrides() {
        market.clearChanges();
    }

    /** Installs {@code plan} in place of the current one, starting its counts afresh. */
    public void faults(FaultPlan plan) {
        faults.install(Objects.requireNonNull(plan, "plan"));
    }

    /** Scripted faults not yet served. */
    public int pendingFaults() {
        return faults.pending();
    }

    /**
     * The answered requests, oldest first (at most {@link Builder#requestLogCapacity} of the most recent), with
     * secrets redacted. A request is logged before its response is sent.
     */
    public List<RecordedRequest> requestLog() {
        return journal.snapshot();
    }

    /** Requests answered since start (or since {@link #clearRequestLog}), including rejected and faulted ones. */
    public int requestCount() {
        return journal.total();
    }

    /** Empties the request log and resets {@link #requestCount()}. */
    public void clearRequestLog() {
        journal.clear();
    }

    /** Stops listening at once, dropping any exchange in progress and resetting every stream connection. */
    @Override
    public void close() {
        hub.close();
        server.close();
    }

    @Override
    public String toString() {
        return "PolygonSimulator[" + baseUrl + ", " + config + "]";
    }

    private static List<String> buildDefaultUniverse() {
        List<String> symbols = new ArrayList<>(generate(Tickers.DEFAULTS.size() + SYNTHETIC_UNIVERSE_SIZE));
        symbols.addAll(NOTABLE_SYMBOLS);
        return List.copyOf(symbols);
    }

    private static List<String> generate(int size) {
        // Consonants only, so no generated symbol spells a word or meets a real one; 20^4 = 160 000 codes.
        String letters = "BCDFGHJKLMNPQRSTVWXZ";
        long codes = 160_000L;
        Set<String> symbols = new LinkedHashSet<>(Tickers.DEFAULTS);
        // A stride coprime to the number of codes visits each code at most once.
        for (long i = 0; symbols.size() < size; i++) {
            long code = Math.floorMod(i * 7919L + 104_729L, codes);
            char[] symbol = new char[4];
            for (int k = 3; k >= 0; k--) {
                symbol[k] = letters.charAt((int) (code % letters.length()));
                code /= letters.length();
            }
            symbols.add(new String(symbol));
        }
        return List.copyOf(symbols).subList(0, size);
    }

    /** Settings for a {@link PolygonSimulator}; {@link #start()} binds the port and begins serving. */
    public static final class Builder {

        private int port;
        private long seed = DEFAULT_SEED;
        private int pageSize = DEFAULT_PAGE_SIZE;
        private int rateLimitPermits;
        private Duration rateLimitWindow = Duration.ZERO;
        private Duration latency = Duration.ZERO;
        private String requiredKey;
        private boolean delayed;
        private List<String> universe = DEFAULT_UNIVERSE;
        private int threads = 16;
        private int requestLogCapacity = 10_000;
        private FaultPlan faults = FaultPlan.none();
        private Instant clockStart;
        private double clockSpeed = 1.0;
        private StreamFaultPlan streamFaults = StreamFaultPlan.defaults();
        private int maxStreamConnections = 1;
        private long slowConsumerBytes = 16L * 1024 * 1024;
        private boolean streamFromStart;
        private final Map<String, LocalDate> listedSince = new HashMap<>();
        private final Map<String, LocalDate> delistedAfter = new HashMap<>();
        private final Map<SyntheticMarket.DayKey, UnaryOperator<SimulatedBar>> overrides = new HashMap<>();
        private final Set<SyntheticMarket.DayKey> removed = new HashSet<>();

        private Builder() {
        }

        /** The loopback port to listen on; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port: must be within 0..65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** Same seed, same bars: across query ranges, simulator instances and runs. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Results per page before a {@code next_url}; a request's {@code limit} can only make pages smaller. */
        public Builder pageSize(int pageSize) {
            if (pageSize < 1) {
                throw new IllegalArgumentException("pageSize: must be at least 1, got " + pageSize);
            }
            this.pageSize = pageSize;
            return this;
        }

        /**
         * Accept at most {@code requests} in any {@code window}; beyond that answer 429 with {@code Retry-After}
         * (whole seconds, rounded up) and Polygon's error JSON. Rejected requests do not use up the allowance.
         */
        public Builder rateLimit(int requests, Duration window) {
            if (requests < 1) {
                throw new IllegalArgumentException("rateLimit requests: must be at least 1, got " + requests);
            }
            Objects.requireNonNull(window, "window");
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("rateLimit window: must be positive, got " + window);
            }
            this.rateLimitPermits = requests;
            this.rateLimitWindow = window;
            return this;
        }

        /** Delay added before every answer. */
        public Builder latency(Duration latency) {
            Objects.requireNonNull(latency, "latency");
            if (latency.isNegative()) {
                throw new IllegalArgumentException("latency: must not be negative, got " + latency);
            }
            this.latency = latency;
            return this;
        }

        /**
         * Answer 401 unless a request carries {@code Authorization: Bearer <key>}, and {@code auth_failed} on the
         * stream unless it authenticates with this key. Without this, any or no key is accepted over REST and any
         * non-blank key on the stream. The key is never logged, printed or recorded.
         */
        public Builder requireKey(String key) {
            Objects.requireNonNull(key, "key");
            if (key.isBlank()) {
                throw new IllegalArgumentException("key: must not be blank");
            }
            this.requiredKey = key;
            return this;
        }

        /** The fault plan installed at start (default {@link FaultPlan#none()}). */
        public Builder faults(FaultPlan plan) {
            this.faults = Objects.requireNonNull(plan, "plan");
            return this;
        }

        /** Answer {@code "status": "DELAYED"} instead of {@code "OK"}, like a plan with delayed data. */
        public Builder delayed(boolean delayed) {
            this.delayed = delayed;
            return this;
        }

        /**
         * The listed symbols, in grouped-daily order (default {@link #defaultUniverse()}); every endpoint serves
         * these and no others. Symbols named only in {@link #listedSince} or {@link #delistedAfter} are added after
         * them. Real symbols keep their real first trading day (AAPL 1980-12-12, GOOGL 2004-08-19, ...), the others
         * trade from 1970 unless {@link #listedSince} says otherwise.
         */
        public Builder universe(Collection<String> tickers) {
            Set<String> unique = new LinkedHashSet<>();
            for (String ticker : tickers) {
                unique.add(Tickers.requireValid(ticker));
            }
            this.universe = List.copyOf(unique);
            return this;
        }

        /** {@code ticker} lists on {@code date} (an IPO): no bars before it. Adds it to the universe if needed. */
        public Builder listedSince(String ticker, LocalDate date) {
            listedSince.put(Tickers.requireValid(ticker), Objects.requireNonNull(date, "date"));
            return this;
        }

        /**
         * {@code ticker} trades for the last time on {@code lastTradingDate} (a delisting): no bars after it on any
         * endpoint. Adds it to the universe if needed.
         */
        public Builder delistedAfter(String ticker, LocalDate lastTradingDate) {
            delistedAfter.put(Tickers.requireValid(ticker), Objects.requireNonNull(lastTradingDate, "lastTradingDate"));
            return this;
        }

        /** As {@link PolygonSimulator#override}, from the start. */
        public Builder override(String ticker, LocalDate date, UnaryOperator<SimulatedBar> change) {
            overrides.put(new SyntheticMarket.DayKey(ticker, date), Objects.requireNonNull(change, "change"));
            return this;
        }

        /** As {@link PolygonSimulator#removeBar}, from the start. */
        public Builder removeBar(String ticker, LocalDate date) {
            removed.add(new SyntheticMarket.DayKey(ticker, date));
            return this;
        }

        /**
         * The market clock: starts at {@code start} and runs {@code speed} times as fast as real time (0 stands
         * still until {@link PolygonSimulator#advanceMarketClock}). The stream publishes each minute when this clock
         * passes its end, and the REST minute endpoint serves only minutes that have ended by it. Without this the
         * clock is the wall clock and REST serves every minute.
         */
        public Builder marketClock(Instant start, double speed) {
            Objects.requireNonNull(start, "start");
            if (!(speed >= 0.0) || Double.isInfinite(speed)) {
                throw new IllegalArgumentException("speed: must be 0 (stopped) or a positive factor of real time,"
                        + " got " + speed);
            }
            this.clockStart = start;
            this.clockSpeed = speed;
            return this;
        }

        /** The stream's faults and quirks from the start (default {@link StreamFaultPlan#defaults()}). */
        public Builder streamFaults(StreamFaultPlan plan) {
            this.streamFaults = Objects.requireNonNull(plan, "plan");
            return this;
        }

        /** Stream connections one key may hold; authenticating one more kicks the oldest (default 1, as Polygon). */
        public Builder maxStreamConnections(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxStreamConnections: must be at least 1, got " + max);
            }
            this.maxStreamConnections = max;
            return this;
        }

        /** How far (bytes queued) a stream client may fall behind before {@code slow_consumer} (default 16 MiB). */
        public Builder slowConsumerBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("slowConsumerBytes: must be positive, got " + bytes);
            }
            this.slowConsumerBytes = bytes;
            return this;
        }

        /**
         * Publish minutes from the start instead of from the first stream connection, so revisions of earlier
         * minutes reach a client that connects later and {@link SimulatedStream#stats()} counts from the start.
         */
        public Builder streamFromStart(boolean fromStart) {
            this.streamFromStart = fromStart;
            return this;
        }

        /** Worker threads answering requests (default 16); latency holds a thread for its duration. */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads: must be at least 1, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** How many recent requests {@link PolygonSimulator#requestLog()} keeps (default 10 000). */
        public Builder requestLogCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("requestLogCapacity: must be at least 1, got " + capacity);
            }
            this.requestLogCapacity = capacity;
            return this;
        }

        /**
         * Binds 127.0.0.1 and starts serving.
         *
         * @throws UncheckedIOException     when the port cannot be bound
         * @throws IllegalArgumentException when a ticker would be delisted before it lists
         */
        public PolygonSimulator start() {
            Universe listed = Universe.of(universe, listedSince, delistedAfter);
            SimulatorConfig config = new SimulatorConfig(port, seed, pageSize, rateLimitPermits, rateLimitWindow,
                    latency, requiredKey, delayed, listed.tickers(), threads, requestLogCapacity,
                    maxStreamConnections, slowConsumerBytes);
            SyntheticMarket market = new SyntheticMarket(seed, listed, overrides, removed);
            MarketClock clock = clockStart == null ? MarketClock.realTime() : new MarketClock(clockStart, clockSpeed);
            if (clockStart != null) {
                market.minuteHorizon(clock::nowMs);
            }
            return new PolygonSimulator(config, market, listed, clock, faults, streamFaults, streamFromStart);
        }

        @Override
        public String toString() {
            return "PolygonSimulator.Builder[port=" + port + ", seed=" + seed + ", requiresKey="
                    + (requiredKey != null) + "]";
        }
    }
}
