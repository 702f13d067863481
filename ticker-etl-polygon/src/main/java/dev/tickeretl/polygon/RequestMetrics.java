package dev.tickeretl.polygon;

import dev.tickeretl.spi.Metrics;
import dev.tickeretl.spi.Observer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The upstream part of the metrics vocabulary ({@link Metrics#REQUESTS}, {@link Metrics#REQUEST_DURATION},
 * {@link Metrics#REQUEST_RETRIES}, {@link Metrics#RATE_LIMIT_WAIT}, {@link Metrics#BREAKER_STATE}) as one REST
 * client reports it. Every tag value comes from a small fixed set (endpoint family, status code, reason, cause), never
 * from a URL, a ticker or the key. The tag arrays are built once and reused, so a report on the request path
 * allocates nothing here and costs the observer's own lookup.
 */
final class RequestMetrics {

    /** The {@link Metrics#BREAKER} value of the REST client's circuit breaker. */
    static final String BREAKER_NAME = "polygon";
    /** {@link Metrics#HTTP_STATUS} when no complete answer came within the request timeout. */
    static final String TIMEOUT = "timeout";
    /** {@link Metrics#HTTP_STATUS} when the exchange failed without a usable HTTP answer (refused, reset, TLS, DNS). */
    static final String IO_ERROR = "io_error";

    /** The endpoint families the client calls ({@link Metrics#ENDPOINT}). */
    enum Endpoint {
        /** {@code /v2/aggs/ticker/{T}/range/...}: one ticker's bars, for batch runs and the stream's gap repairs. */
        AGGS_RANGE("aggs_range"),
        /** {@code /v2/aggs/grouped/locale/us/market/stocks/{date}}: one date of the whole market. */
        GROUPED_DAILY("grouped_daily");

        final String tag;

        Endpoint(String tag) {
            this.tag = tag;
        }

        static Endpoint of(PageParser.Target target) {
            return target.ticker() == null ? GROUPED_DAILY : AGGS_RANGE;
        }
    }

    /** Why a request is sent again ({@link Metrics#REASON}). */
    enum RetryReason {
        /** A 429. */
        RATE_LIMITED,
        /** A 5xx. */
        SERVER_ERROR,
        /** No (complete) answer in time, or a 408. */
        TIMEOUT,
        /** No connection, or it broke before an answer (refused, reset, TLS, DNS). */
        CONNECTION,
        /** The body ended early. */
        TRUNCATED,
        /** A body that is not a usable aggregates answer (empty, HTML, not JSON, malformed, corrupt gzip). */
        MALFORMED;

        final String tag = name().toLowerCase(Locale.ROOT);
    }

    private static final int MIN_STATUS = 100;
    private static final int MAX_STATUS = 599;
    private static final String[] SERVER_CAUSE = {Metrics.CAUSE, "server"};
    private static final String[] CLIENT_CAUSE = {Metrics.CAUSE, "client"};
    private static final String[] BREAKER_TAGS = {Metrics.BREAKER, BREAKER_NAME};

    private final Observer observer;
    private final Tags[] byEndpoint = new Tags[Endpoint.values().length];

    RequestMetrics(Observer observer) {
        this.observer = observer;
        for (Endpoint e : Endpoint.values()) {
            byEndpoint[e.ordinal()] = new Tags(e);
        }
    }

    /** An HTTP answer (status and body) came back after {@code nanos}. */
    void answered(Endpoint endpoint, int status, long nanos) {
        Tags t = byEndpoint[endpoint.ordinal()];
        observer.count(Metrics.REQUESTS, 1, t.status(status));
        observer.time(Metrics.REQUEST_DURATION, Duration.ofNanos(nanos), t.endpoint);
    }

    /** The exchange ended after {@code nanos} without a complete answer: timed out, or an I/O failure. */
    void unanswered(Endpoint endpoint, boolean timedOut, long nanos) {
        Tags t = byEndpoint[endpoint.ordinal()];
        observer.count(Metrics.REQUESTS, 1, timedOut ? t.timeout : t.ioError);
        observer.time(Metrics.REQUEST_DURATION, Duration.ofNanos(nanos), t.endpoint);
    }

    /** A request is about to be sent again. */
    void retried(Endpoint endpoint, RetryReason reason) {
        observer.count(Metrics.REQUEST_RETRIES, 1, byEndpoint[endpoint.ordinal()].retries[reason.ordinal()]);
    }

    /**
     * A wait before a request: {@code server} after a 429 (its backoff or hold-off) or as a {@code Retry-After}
     * asked, else for the client-side limit.
     */
    void rateLimitWait(boolean server, long nanos) {
        if (nanos > 0) {
            observer.time(Metrics.RATE_LIMIT_WAIT, Duration.ofNanos(nanos), server ? SERVER_CAUSE : CLIENT_CAUSE);
        }
    }

    /** The breaker is now in {@code state} ({@link Metrics#BREAKER_CLOSED}, ...). */
    void breaker(double state) {
        observer.gauge(Metrics.BREAKER_STATE, state, BREAKER_TAGS);
    }

    /** The tag arrays of one endpoint family; one per status code, made on first use. */
    private static final class Tags {
        final String tag;
        final String[] endpoint;
        final String[] timeout;
        final String[] ioError;
        final String[][] retries = new String[RetryReason.values().length][];
        final AtomicReferenceArray<String[]> statuses = new AtomicReferenceArray<>(MAX_STATUS - MIN_STATUS + 1);

        Tags(Endpoint e) {
            this.tag = e.tag;
            this.endpoint = new String[] {Metrics.ENDPOINT, tag};
            this.timeout = new String[] {Metrics.ENDPOINT, tag, Metrics.HTTP_STATUS, TIMEOUT};
            this.ioError = new String[] {Metrics.ENDPOINT, tag, Metrics.HTTP_STATUS, IO_ERROR};
            for (RetryReason r : RetryReason.values()) {
                retries[r.ordinal()] = new String[] {Metrics.ENDPOINT, tag, Metrics.REASON, r.tag};
            }
        }

        String[] status(int status) {
            if (status < MIN_STATUS || status > MAX_STATUS) {
                return ioError; // not an HTTP status line: no answer the API gives
            }
            int i = status - MIN_STATUS;
            String[] tags = statuses.get(i);
            if (tags == null) {
                // Two threads may both build it: equal arrays, either one serves.
                tags = new String[] {Metrics.ENDPOINT, tag, Metrics.HTTP_STATUS, Integer.toString(status)};
                statuses.set(i, tags);
            }
            return tags;
        }
    }
}
