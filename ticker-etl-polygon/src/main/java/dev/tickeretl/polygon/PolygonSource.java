package dev.tickeretl.polygon;

import dev.tickeretl.TradingCalendar;
import dev.tickeretl.RequestStats;
import dev.tickeretl.spi.Observer;
import dev.tickeretl.spi.OffsetReader;
import dev.tickeretl.spi.Source;
import dev.tickeretl.spi.SourceEvent;
import dev.tickeretl.spi.SourceRequest;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * Aggregate bars from the Polygon (now Massive) REST API: per-ticker ranges following {@code next_url}, or the
 * grouped-daily endpoint when that needs fewer requests, with a client-side rate limit, adaptive backoff on 429 and
 * retries of transient failures within a time budget.
 *
 * <p>The pipeline opens it by name through {@link PolygonSourceProvider}; embedding code may build one directly:
 * <pre>{@code
 * Source polygon = PolygonSource.builder()
 *     .maxRequestsPerMinute(5)          // the free plan
 *     .build();                         // key from POLYGON_API_KEY or MASSIVE_API_KEY
 * }</pre>
 *
 * <p>The API key is sent only in the {@code Authorization: Bearer} header and only to the base URL's scheme, host
 * and port; it never appears in a URL, a log line, an event or an exception message.
 *
 * <p>One instance serves one {@link #start}; it is not reusable after {@link #close}.
 */
public final class PolygonSource implements Source {

    /** Where requests go unless configured otherwise; {@code https://api.polygon.io} serves the same API. */
    public static final String DEFAULT_BASE_URL = "https://api.massive.com";

    /**
     * The default cap of one response body, on the wire and after gunzip: 64 MiB. Polygon's largest pages (50,000
     * minute bars, or a grouped-daily day of the whole market) are a few MB.
     */
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 64L << 20;

    /** How requests are laid out. */
    public enum Plan {
        /** Whichever of the two below needs fewer requests for the tickers × trading days asked for. */
        AUTO,
        /** One {@code /v2/aggs/ticker/...} chain per ticker range. */
        PER_TICKER,
        /** One {@code /v2/aggs/grouped/...} request per trading date, shared by all tickers (day bars only). */
        GROUPED
    }

    private final Settings settings;
    private final StreamSettings stream;
    private final Observer observer;
    private final Counters counters = new Counters();
    private FetchRun run;
    private StreamRun streamRun;
    private boolean closed;

    private PolygonSource(Settings settings, StreamSettings stream, Observer observer) {
        this.settings = settings;
        this.stream = stream;
        this.observer = observer;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public synchronized void start(SourceRequest request, OffsetReader offsets) {
        Objects.requireNonNull(request, "request");
        if (closed) {
            throw new IllegalStateException("this PolygonSource is closed");
        }
        if (run != null || streamRun != null) {
            throw new IllegalStateException("start() was already called; a PolygonSource serves one request");
        }
        if (request.unbounded()) {
            if (request.timespan() != dev.tickeretl.Timespan.MINUTE || request.adjusted()) {
                throw new IllegalArgumentException("timespan: the live feed carries unadjusted minute bars only");
            }
            StreamRun started = new StreamRun(settings, stream, request, offsets, counters, observer);
            started.start();
            streamRun = started;
            return;
        }
        FetchRun started = new FetchRun(settings, request, counters, observer);
        try {
            started.start(TradingCalendar.nyse());
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
        run = started;
    }

    @Override
    public SourceEvent poll(Duration timeout) throws InterruptedException {
        FetchRun current;
        synchronized (this) {
            if (streamRun != null) {
                return streamRun.poll(timeout);
            }
            if (run == null) {
                throw new IllegalStateException("call start() before poll()");
            }
            current = run;
        }
        return current.poll(timeout);
    }

    @Override
    public void written(dev.tickeretl.spi.SourcePartition partition, dev.tickeretl.spi.SourceOffset offset) {
        StreamRun current = streamRun;
        if (current != null) {
            current.written(partition, offset);
        }
    }

    @Override
    public RequestStats stats() {
        return counters.snapshot();
    }

    /** Stops every worker and cancels requests in flight; safe to call more than once. */
    @Override
    public void close() {
        FetchRun current;
        StreamRun currentStream;
        synchronized (this) {
            closed = true;
            current = run;
            currentStream = streamRun;
        }
        if (current != null) {
            current.close();
        }
        if (currentStream != null) {
            currentStream.close();
        }
    }

    Settings settings() {
        return settings;
    }

    StreamSettings streamSettings() {
        return stream;
    }

    @Override
    public String toString() {
        return "PolygonSource[" + Redactor.of(settings.apiKey()).redact(settings.baseUrl().toString()) + ", plan "
                + settings.plan().name().toLowerCase(Locale.ROOT)
                + ", concurrency " + settings.concurrency() + "]";
    }

    /**
     * Settings of a {@link PolygonSource}. Every setter validates at once and names the option it rejects (the same
     * names as {@link PolygonSourceProvider}'s option keys).
     */
    public static final class Builder {
        static final String POLYGON_API_KEY = "POLYGON_API_KEY";
        static final String MASSIVE_API_KEY = "MASSIVE_API_KEY";

        private URI baseUrl = URI.create(DEFAULT_BASE_URL);
        private String apiKey;
        private boolean requireKey = true;
        private Settings.RateLimit rateLimit;
        private Duration retryBudget = Duration.ofMinutes(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private int concurrency = 4;
        private int pageLimit = 50_000;
        private Plan plan = Plan.AUTO;
        private Duration minBackoff = Duration.ofSeconds(1);
        private Duration maxBackoff = Duration.ofSeconds(60);
        private boolean allowInsecureHttp;
        private long maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
        private Function<String, String> environment = System::getenv;
        private URI webSocketUrl;
        private boolean delayed;
        private Duration pingInterval;
        private Duration streamTimeout;
        private Duration repairBreakerDelay;
        private Observer observer = Observer.NONE;

        private Builder() {
        }

        /**
         * {@code http(s)://host[:port][/prefix]}; default {@value #DEFAULT_BASE_URL}. Plain {@code http://} is for
         * loopback hosts only (127.0.0.0/8, ::1, localhost) unless {@link #allowInsecureHttp} says otherwise.
         */
        public Builder baseUrl(String url) {
            this.baseUrl = parseBaseUrl(url);
            return this;
        }

        /** The API key; when not set, {@code POLYGON_API_KEY}, then {@code MASSIVE_API_KEY} from the environment. */
        public Builder apiKey(String key) {
            this.apiKey = key == null || key.isBlank() ? null : key.strip();
            return this;
        }

        /**
         * Whether a key is needed (default true). With {@code false} (a local simulator) the environment is not
         * read, and only a key given with {@link #apiKey} is sent.
         */
        public Builder requireKey(boolean require) {
            this.requireKey = require;
            return this;
        }

        /** A client-side limit of {@code n} requests in any rolling minute (the free plan allows 5). */
        public Builder maxRequestsPerMinute(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("max-requests-per-minute: must be at least 1, got " + n);
            }
            this.rateLimit = new Settings.RateLimit(n, Duration.ofMinutes(1));
            return this;
        }

        /** A client-side limit of {@code requests} in any rolling {@code period}, e.g. 5 per 2 s. */
        public Builder rateLimit(int requests, Duration period) {
            if (requests < 1) {
                throw new IllegalArgumentException("rate-limit: the request count must be at least 1, got "
                        + requests);
            }
            if (period == null || period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("rate-limit: the period must be positive, got " + period);
            }
            this.rateLimit = new Settings.RateLimit(requests, period);
            return this;
        }

        /** No client-side limit (the default): only the server's 429 answers slow requests down. */
        public Builder noRateLimit() {
            this.rateLimit = null;
            return this;
        }

        /**
         * How long one request may keep retrying (waits included) before it fails; default PT10M. A real bound: no
         * retry starts after it, so one request ends within the budget plus one {@link #requestTimeout}.
         */
        public Builder retryBudget(Duration budget) {
            if (budget == null || budget.isNegative()) {
                throw new IllegalArgumentException("retry-budget: must be zero or positive, got " + budget);
            }
            this.retryBudget = budget;
            return this;
        }

        /** How long one attempt may take, body included; default PT30S. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive("request-timeout", timeout);
            return this;
        }

        /** Requests in flight at once, for different tickers or dates; default 4. */
        public Builder concurrency(int n) {
            if (n < 1 || n > 64) {
                throw new IllegalArgumentException("concurrency: must be between 1 and 64, got " + n);
            }
            this.concurrency = n;
            return this;
        }

        /** Polygon's {@code limit} query parameter (base aggregates per page), 1..50000; default 50000. */
        public Builder pageLimit(int limit) {
            if (limit < 1 || limit > 50_000) {
                throw new IllegalArgumentException("page-limit: must be between 1 and 50000, got " + limit);
            }
            this.pageLimit = limit;
            return this;
        }

        /** Default {@link Plan#AUTO}. */
        public Builder plan(Plan plan) {
            this.plan = Objects.requireNonNull(plan, "plan");
            return this;
        }

        /**
         * The exponential backoff between retries without a {@code Retry-After}: starts at {@code min}, doubles per
         * attempt, never exceeds {@code max}, jittered; default PT1S..PT60S.
         */
        public Builder backoff(Duration min, Duration max) {
            positive("min-backoff", min);
            positive("max-backoff", max);
            if (max.compareTo(min) < 0) {
                throw new IllegalArgumentException("max-backoff: must not be shorter than min-backoff (" + min
                        + "), got " + max);
            }
            this.minBackoff = min;
            this.maxBackoff = max;
            return this;
        }

        /**
         * Allows a plain {@code http://} base URL to a host that is not loopback (default false): the API key and the
         * data would then travel in cleartext.
         */
        public Builder allowInsecureHttp(boolean allow) {
            this.allowInsecureHttp = allow;
            return this;
        }

        /**
         * The cap of one response body in bytes, on the wire and after gunzip (1 KiB to 2 GiB - 9); default
         * {@value #DEFAULT_MAX_RESPONSE_BYTES} (64 MiB). A larger answer fails its ticker, naming this cap.
         */
        public Builder maxResponseBytes(long bytes) {
            if (bytes < 1024 || bytes > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("max-response-bytes: must be between 1024 and "
                        + (Integer.MAX_VALUE - 8) + " bytes, got " + bytes);
            }
            this.maxResponseBytes = bytes;
            return this;
        }

        /**
         * The stocks WebSocket for unbounded requests ({@code ws(s)://host[:port]/path}); default
         * {@value StreamSettings#REALTIME_URL}, or {@value StreamSettings#DELAYED_URL} with {@link #delayed}.
         */
        public Builder webSocketUrl(String url) {
            URI uri;
            try {
                uri = new URI(url == null ? "" : url.strip());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("ws-url: '" + url + "' is not a URL");
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("ws") && !scheme.equals("wss") || uri.getHost() == null || uri.getRawQuery() != null
                    || uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException("ws-url: expected ws(s)://host[:port]/path without query or"
                        + " user-info (the key goes in the auth message), got '" + url + "'");
            }
            this.webSocketUrl = uri;
            return this;
        }

        /** The 15-minute delayed feed ({@value StreamSettings#DELAYED_URL}) unless a WebSocket URL is given. */
        public Builder delayed(boolean delayed) {
            this.delayed = delayed;
            return this;
        }

        /** How often the stream pings the server; default PT10S. */
        public Builder pingInterval(Duration interval) {
            this.pingInterval = positive("ping-interval", interval);
            return this;
        }

        /** A stream connection silent this long (no message, no answer to a ping) is dropped; default PT30S. */
        public Builder streamTimeout(Duration timeout) {
            this.streamTimeout = positive("stream-timeout", timeout);
            return this;
        }

        /**
         * How long a stream's gap repairs stop after REST answered wrongly {@value AggregatesClient#BREAKER_THRESHOLD}
         * times in a row (the circuit breaker is open) before one is let through again; a good answer resumes them
         * all. Default PT30S. A batch run is not affected: it stops at the first opening.
         */
        public Builder repairBreakerDelay(Duration delay) {
            this.repairBreakerDelay = positive("repair-breaker-delay", delay);
            return this;
        }

        /** Where stream and request metrics go (the run's observer when opened through the provider). */
        public Builder observer(Observer observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /** Where the key variables are read from; tests use a map instead of the process environment. */
        Builder environment(Function<String, String> environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /**
         * @throws IllegalArgumentException naming {@code api-key} and both environment variables when no key is
         *                                  found and one is required; naming {@code base-url} and
         *                                  {@code allow-insecure-http} for plain http to a host that is not loopback
         */
        public PolygonSource build() {
            if ("http".equalsIgnoreCase(baseUrl.getScheme()) && !allowInsecureHttp && !isLoopback(baseUrl.getHost())) {
                throw new IllegalArgumentException("base-url: plain http:// to " + baseUrl.getHost() + " would send"
                        + " the API key and the data in cleartext; use https://, or set allow-insecure-http=true"
                        + " (CLI --allow-insecure-http) to allow it. Plain http is accepted for loopback hosts only"
                        + " (127.0.0.0/8, ::1, localhost)");
            }
            String key = apiKey;
            // Without require-key (the local simulator) the environment is not read: a real key set for other
            // runs must never travel to a simulator or any other host it was not meant for.
            if (key == null && requireKey) {
                key = fromEnvironment(POLYGON_API_KEY);
            }
            if (key == null && requireKey) {
                key = fromEnvironment(MASSIVE_API_KEY);
            }
            if (key == null && requireKey) {
                throw new IllegalArgumentException("api-key: no Polygon API key; set " + POLYGON_API_KEY + " or "
                        + MASSIVE_API_KEY + " (or pass the api-key option). Only the offline simulator runs without"
                        + " one.");
            }
            if (key != null && !key.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f)) {
                // Said without the value: a rejected key must not end up in a log either.
                throw new IllegalArgumentException("api-key: contains characters an HTTP header cannot carry"
                        + " (only visible ASCII is allowed)");
            }
            StreamSettings stream = StreamSettings.defaults(webSocketUrl != null ? webSocketUrl
                    : URI.create(delayed ? StreamSettings.DELAYED_URL : StreamSettings.REALTIME_URL));
            Duration ping = pingInterval != null ? pingInterval : stream.pingInterval();
            Duration silence = streamTimeout != null ? streamTimeout : stream.silenceTimeout();
            if (silence.compareTo(ping) <= 0) {
                throw new IllegalArgumentException("stream-timeout: must be longer than ping-interval (" + ping
                        + "), got " + silence);
            }
            stream = new StreamSettings(stream.url(), ping, silence, stream.minReconnect(), stream.maxReconnect(),
                    stream.stablePeriod(), stream.repairLookback(), stream.maxRepairSpan(), stream.repairConcurrency(),
                    stream.frameQueue(), repairBreakerDelay != null ? repairBreakerDelay : stream.repairBreakerDelay());
            return new PolygonSource(new Settings(baseUrl, key == null ? null : new ApiKey(key), rateLimit,
                    retryBudget, requestTimeout, concurrency, pageLimit, plan, minBackoff, maxBackoff,
                    allowInsecureHttp, maxResponseBytes), stream, observer);
        }

        private String fromEnvironment(String name) {
            String value = environment.apply(name);
            return value == null || value.isBlank() ? null : value.strip();
        }

        /** Literal loopback only: a name other than localhost is not resolved, so DNS cannot make it "local". */
        static boolean isLoopback(String host) {
            if (host == null) {
                return false;
            }
            String h = host.toLowerCase(Locale.ROOT);
            if (h.equals("localhost") || h.equals("localhost.")) {
                return true;
            }
            if (h.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
                String[] octets = h.split("\\.");
                for (String octet : octets) {
                    if (Integer.parseInt(octet) > 255) {
                        return false;
                    }
                }
                return Integer.parseInt(octets[0]) == 127;
            }
            if (h.startsWith("[") && h.endsWith("]")) {
                try {
                    // An IPv6 literal (the URI parser checked its form): parsed, never looked up.
                    return InetAddress.getByName(h.substring(1, h.length() - 1)).isLoopbackAddress();
                } catch (UnknownHostException e) {
                    return false;
                }
            }
            return false;
        }

        private static Duration positive(String option, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(option + ": must be a positive duration, got " + value);
            }
            return value;
        }

        private static URI parseBaseUrl(String url) {
            String usage = "base-url: expected http(s)://host[:port][/prefix]";
            if (url == null || url.isBlank()) {
                throw new IllegalArgumentException(usage + ", got nothing");
            }
            URI uri;
            try {
                uri = new URI(url.strip());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(usage + "; '" + url + "' is not a URL");
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                // Not echoed: a query or user-info is where a key would hide.
                throw new IllegalArgumentException(usage + "; no query, fragment or user-info (the API key goes"
                        + " in the Authorization header)");
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw new IllegalArgumentException(usage + ", got '" + url + "'");
            }
            String text = uri.toString();
            while (text.endsWith("/")) {
                text = text.substring(0, text.length() - 1);
            }
            return URI.create(text);
        }
    }
}
