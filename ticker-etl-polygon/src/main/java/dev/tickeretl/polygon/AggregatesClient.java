package dev.tickeretl.polygon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import dev.failsafe.CircuitBreaker;
import dev.failsafe.CircuitBreakerOpenException;
import dev.failsafe.ExecutionContext;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import dev.failsafe.event.ExecutionScheduledEvent;
import dev.tickeretl.Timespan;
import dev.tickeretl.polygon.RequestMetrics.RetryReason;
import dev.tickeretl.spi.Metrics;
import dev.tickeretl.spi.Observer;
import dev.tickeretl.spi.TickerRange;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polygon's aggregates endpoints over {@link BlockingHttp}: builds the URLs, sends each request through the shared
 * {@link RequestGate}, classifies every answer, and follows {@code next_url} safely. The Failsafe policies are built
 * once, here, for the whole source:
 * <ul>
 *   <li>a {@link RetryPolicy} that retries what may pass (429, 5xx, resets, timeouts, bad bodies) with exponential
 *       backoff and jitter, or after the server's {@code Retry-After}, within the retry budget;</li>
 *   <li>a {@link CircuitBreaker} that opens when {@value #BREAKER_THRESHOLD} attempts in a row show that the upstream
 *       is wrong rather than busy (a 200 that is not JSON, an empty 200, a 404 or a redirect on the API path, a TLS
 *       or DNS failure, or, before anything answered at all, no answer or a refused connection). An open breaker
 *       ends the whole run at once with one line, instead of every ticker retrying for its whole budget. (A stream's
 *       gap repairs cannot end the stream: for them it half-opens again after {@code repair-breaker-delay}.)</li>
 * </ul>
 * Every attempt, retry, rate-limit wait and breaker transition is reported to the source's observer through
 * {@link RequestMetrics} (the stream's gap repairs use this client too, so they report the same series).
 */
final class AggregatesClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AggregatesClient.class);
    private static final String USER_AGENT = "ticker-etl";
    private static final int MESSAGE_LIMIT = 200;
    /** The response headers the classification reads. */
    private static final List<String> RESPONSE_HEADERS = List.of("Content-Type", "Content-Encoding", "Retry-After");
    /** Attempts in a row whose answers show a wrong upstream before the breaker opens. */
    static final int BREAKER_THRESHOLD = 3;
    /** Backoffs and {@code Retry-After} waits are spread by ±25 % so that workers do not retry in lockstep. */
    static final double JITTER = 0.25;
    /** Tells Failsafe's delay function "no server-given delay: use the backoff". */
    private static final Duration USE_BACKOFF = Duration.ofNanos(-1);

    /** What an attempt's outcome says about the upstream as a whole. */
    enum Evidence {
        /** Nothing: an answer the Polygon API gives (data, an error, 429, 5xx), or a transient network fault. */
        NONE,
        /** An answer only a wrong upstream gives: not JSON, empty, 404 or redirect on the API path, TLS, DNS. */
        WRONG,
        /** No answer at all (refused, no connection, no reply in time) while nothing has answered yet. */
        SILENT
    }

    /** How one attempt ended. */
    sealed interface Attempt {
        Evidence evidence();

        record Success(PageParser.Page page) implements Attempt {
            @Override
            public Evidence evidence() {
                return Evidence.NONE;
            }
        }

        /**
         * Worth another try. {@code retryAfter} is the server's {@code Retry-After} (floored at min-backoff), null
         * when the backoff decides; {@code why} is the reason's family, for the metrics.
         */
        record Retry(String reason, Duration retryAfter, RetryReason why, Evidence evidence) implements Attempt {
            boolean rateLimited() {
                return why == RetryReason.RATE_LIMITED;
            }
        }

        /** Final: retrying cannot help. */
        record Fail(String reason, boolean runWide, Evidence evidence) implements Attempt {
        }
    }

    /** Receives each page of a chain as soon as it has arrived. */
    interface PageSink {
        void accept(PageParser.Page page) throws InterruptedException;
    }

    /** One page's request across its attempts; used by one thread at a time (Failsafe runs it synchronously). */
    private final class Exchange {
        final URI uri;
        final PageParser.Target target;
        final RequestMetrics.Endpoint endpoint;
        final RequestGate.Permit first;
        final long started;
        int attempts;
        private String where;

        Exchange(URI uri, PageParser.Target target, RequestGate.Permit first) {
            this.uri = uri;
            this.target = target;
            this.endpoint = RequestMetrics.Endpoint.of(target);
            this.first = first;
            this.started = System.nanoTime();
        }

        /** The path, redacted, for reasons and log lines; made only when one is written. */
        String where() {
            if (where == null) {
                where = redactor.redact(uri.getRawPath());
            }
            return where;
        }
    }

    private final Settings settings;
    private final Counters counters;
    private final RequestMetrics metrics;
    private final Redactor redactor;
    private final RequestGate.Lease gateLease;
    private final RequestGate gate;
    private final BlockingHttp http;
    private final Map<String, String> requestHeaders;
    private final CircuitBreaker<Attempt> breaker;
    private final RetryPolicy<Attempt> retry;
    private final FailsafeExecutor<Attempt> failsafe;
    /** Whether any HTTP answer (status and headers) came back to this source yet. */
    private volatile boolean answered;
    /** The latest attempts that counted towards the breaker, for the one line that says why the run stopped. */
    private volatile Attempt lastWrong;
    private volatile Attempt lastSilent;

    /**
     * A batch run's client: an open breaker stays open (a day), since the run ends at it.
     *
     * @throws IllegalArgumentException naming {@code rate-limit} when another running source shares the base URL and
     *                                  key with a different client-side limit
     */
    AggregatesClient(Settings settings, Counters counters, Observer observer) {
        this(settings, counters, observer, Duration.ofDays(1));
    }

    /**
     * @param breakerDelay how long the breaker stays open before it lets attempts through again, half-open (one good
     *                     answer closes it): a stream's repairs pass {@code repair-breaker-delay}, since a stream
     *                     outlives a REST outage
     */
    AggregatesClient(Settings settings, Counters counters, Observer observer, Duration breakerDelay) {
        this.settings = settings;
        this.counters = counters;
        this.metrics = new RequestMetrics(observer);
        this.redactor = Redactor.of(settings.apiKey());
        this.gateLease = RequestGate.share(settings.baseUrl(), settings.apiKey(), settings.rateLimit());
        this.gate = gateLease.gate();
        Duration connect = settings.requestTimeout().compareTo(Duration.ofSeconds(10)) < 0
                ? settings.requestTimeout() : Duration.ofSeconds(10);
        this.http = new BlockingHttp(connect, settings.requestTimeout(), settings.maxResponseBytes());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        headers.put("Accept-Encoding", "gzip");
        headers.put("User-Agent", USER_AGENT);
        if (settings.apiKey() != null) {
            headers.put("Authorization", settings.apiKey().bearer());
        }
        this.requestHeaders = Collections.unmodifiableMap(headers);
        this.breaker = CircuitBreaker.<Attempt>builder()
                // Only evidence counts; any other outcome (even a 503) shows a server that speaks the API.
                .handleIf((attempt, error) -> attempt != null && attempt.evidence() != Evidence.NONE)
                .withFailureThreshold(BREAKER_THRESHOLD)
                // Open is final for a batch (the run ends, so nothing half-opens it within a day); a stream's
                // repairs try again after their short delay.
                .withDelay(breakerDelay)
                .onOpen(e -> metrics.breaker(Metrics.BREAKER_OPEN))
                .onHalfOpen(e -> metrics.breaker(Metrics.BREAKER_HALF_OPEN))
                .onClose(e -> metrics.breaker(Metrics.BREAKER_CLOSED))
                .build();
        metrics.breaker(Metrics.BREAKER_CLOSED);
        this.retry = buildRetryPolicy();
        this.failsafe = Failsafe.with(retry, breaker);
    }

    /** Whether the circuit breaker lets every request through (neither open nor half-open). */
    boolean breakerClosed() {
        return breaker.isClosed();
    }

    /** The one retry policy of this source (for tests). */
    RetryPolicy<Attempt> retryPolicy() {
        return retry;
    }

    private RetryPolicy<Attempt> buildRetryPolicy() {
        RetryPolicyBuilder<Attempt> builder = RetryPolicy.<Attempt>builder()
                .handleResultIf(a -> a instanceof Attempt.Retry)
                .abortOn(Throwable.class)
                // The attempt that opened the breaker: stop now rather than after its backoff.
                .abortIf(a -> breaker.isOpen())
                .withDelayFn(ctx -> ctx.getLastResult() instanceof Attempt.Retry r && r.retryAfter() != null
                        ? r.retryAfter() : USE_BACKOFF)
                .onRetryScheduled(this::retryScheduled)
                .onRetry(e -> counters.retries.incrementAndGet());
        long budget = settings.retryBudget().toNanos();
        if (budget < 2) {
            return builder.withMaxRetries(0).build();
        }
        // Failsafe needs the first backoff shorter than the budget: a shorter budget allows a retry half-way.
        Duration min = settings.minBackoff().toNanos() < budget ? settings.minBackoff()
                : Duration.ofNanos(budget / 2);
        Duration max = settings.maxBackoff().compareTo(min) > 0 ? settings.maxBackoff() : min;
        if (min.compareTo(max) < 0) {
            builder.withBackoff(min, max);
        } else {
            builder.withDelay(min);
        }
        // Failsafe stops at the budget and shortens the last wait to fit it; the attempt after that wait may still
        // take one request-timeout, which is the bound documented for retry-budget.
        return builder.withJitter(JITTER).withMaxRetries(-1).withMaxDuration(settings.retryBudget()).build();
    }

    private void retryScheduled(ExecutionScheduledEvent<Attempt> e) {
        Attempt.Retry r = (Attempt.Retry) e.getLastResult();
        if (r.rateLimited()) {
            counters.rateLimitWaitNanos.addAndGet(e.getDelay().toNanos());
            if (r.retryAfter() == null) {
                gate.holdUntil(System.nanoTime() + e.getDelay().toNanos());
            }
        }
        if (r.rateLimited() || r.retryAfter() != null) {
            // The vocabulary's server-caused wait: a 429's, or one a 5xx asked for with Retry-After.
            metrics.rateLimitWait(true, e.getDelay().toNanos());
        }
        String format = "{}; retrying in {} ms{} (attempt {})";
        Object[] args = {redactor.redact(r.reason()), e.getDelay().toMillis(),
                r.retryAfter() != null ? " as Retry-After asked" : "", e.getAttemptCount() + 1};
        if (r.rateLimited()) {
            // Waiting out a rate limit is routine.
            LOG.info(format, args);
        } else if (r.evidence() != Evidence.NONE) {
            // The breaker decides about these: when it opens, one ERROR line says it all, not a WARN per request.
            LOG.debug(format, args);
        } else {
            LOG.warn(format, args);
        }
    }

    /** {@code /v2/aggs/ticker/{T}/range/1/{timespan}/{from}/{to}} for one range. */
    URI tickerUri(TickerRange range, Timespan timespan, boolean adjusted) {
        return URI.create(settings.base() + "/v2/aggs/ticker/" + URLEncoder.encode(range.ticker(), StandardCharsets.UTF_8)
                + "/range/1/" + timespan.wireName() + "/" + range.from() + "/" + range.to()
                + "?adjusted=" + adjusted + "&sort=asc&limit=" + settings.pageLimit());
    }

    /**
     * {@code /v2/aggs/ticker/{T}/range/1/minute/{fromMs}/{toMs}}: unadjusted minute bars between two window starts
     * (Unix ms), as the live feed's are, for repairing a stream's gaps.
     */
    URI minuteRangeUri(String ticker, long fromMs, long toMs) {
        return URI.create(settings.base() + "/v2/aggs/ticker/" + URLEncoder.encode(ticker, StandardCharsets.UTF_8)
                + "/range/1/minute/" + fromMs + "/" + toMs + "?adjusted=false&sort=asc&limit=" + settings.pageLimit());
    }

    /**
     * {@code /v2/aggs/grouped/locale/us/market/stocks/{date}}: every US stock's daily bar for one date. OTC
     * securities are asked for too (Polygon leaves them out by default, the per-ticker endpoint does not): a ticker
     * missing from this answer must mean "no bar that day", or its day would be taken as answered without one.
     */
    URI groupedUri(LocalDate date, boolean adjusted) {
        return URI.create(settings.base() + "/v2/aggs/grouped/locale/us/market/stocks/" + date
                + "?adjusted=" + adjusted + "&include_otc=true");
    }

    /**
     * Fetches {@code first} and every page its {@code next_url}s lead to, handing each page to {@code sink}.
     *
     * @throws FetchFailure when a page fails for good, a {@code next_url} leaves the base URL's origin, the cursors
     *                      loop, or (run-wide) the breaker opened
     */
    void fetchChain(URI first, PageParser.Target target, PageSink sink) throws FetchFailure, InterruptedException {
        Set<String> seen = new HashSet<>();
        seen.add(first.toString());
        URI uri = first;
        int pages = 0;
        while (true) {
            PageParser.Page page = fetchPage(uri, target);
            pages++;
            sink.accept(page);
            if (page.nextUrl() == null) {
                return;
            }
            URI next = resolveNext(uri, page.nextUrl());
            if (!seen.add(next.toString())) {
                throw tickerFailure("cursor loop: the next_url of page " + pages + " of " + first.getRawPath()
                        + " leads back to an earlier page; stopped instead of fetching it again");
            }
            uri = next;
        }
    }

    /**
     * A {@code next_url} is followed only to the base URL's scheme, host and port: the key goes nowhere else. A query
     * parameter that carries a key ({@code apiKey=…}, or our key under any name) is dropped: the key travels only in
     * the Authorization header, never in a URL.
     */
    URI resolveNext(URI current, String nextUrl) throws FetchFailure {
        URI next;
        try {
            next = current.resolve(new URI(nextUrl.trim()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw tickerFailure("the next_url after " + current.getRawPath() + " is not a valid URL");
        }
        if (!sameOrigin(next, settings.baseUrl())) {
            throw tickerFailure("the next_url after " + current.getRawPath() + " points to " + origin(next)
                    + ", not to the base URL's origin " + origin(settings.baseUrl())
                    + "; not followed, so nothing (and no API key) was sent there");
        }
        return withoutKeys(next);
    }

    private URI withoutKeys(URI uri) {
        String query = uri.getRawQuery();
        if (query == null) {
            return uri;
        }
        StringJoiner kept = new StringJoiner("&");
        boolean dropped = false;
        for (String parameter : query.split("&", -1)) {
            int eq = parameter.indexOf('=');
            String name = decode(eq < 0 ? parameter : parameter.substring(0, eq)).toLowerCase(Locale.ROOT);
            String raw = eq < 0 ? "" : parameter.substring(eq + 1);
            boolean isKey = name.equals("apikey") || name.equals("api_key") || name.equals("api-key")
                    || settings.apiKey() != null && isKey(raw, settings.apiKey().value());
            if (isKey) {
                dropped = true;
            } else {
                kept.add(parameter);
            }
        }
        if (!dropped) {
            return uri;
        }
        LOG.debug("dropped a key parameter from the next_url after {}: the key goes only in the Authorization"
                + " header", redactor.redact(uri.getRawPath()));
        String rest = kept.length() == 0 ? "" : "?" + kept;
        String text = uri.toString();
        int q = text.indexOf('?');
        int hash = text.indexOf('#', q);
        return URI.create(text.substring(0, q) + rest + (hash < 0 ? "" : text.substring(hash)));
    }

    /** The key as it stands, percent-encoded, or form-encoded ('+' for a space or a literal '+'). */
    private static boolean isKey(String raw, String key) {
        return raw.equals(key) || decode(raw).equals(key) || decode(raw.replace("+", "%2B")).equals(key);
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getHost() != null
                && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI u) {
        if (u.getPort() != -1) {
            return u.getPort();
        }
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : "http".equalsIgnoreCase(u.getScheme()) ? 80 : -1;
    }

    private static String origin(URI u) {
        return (u.getScheme() == null ? "?" : u.getScheme().toLowerCase(Locale.ROOT)) + "://"
                + (u.getHost() == null ? "?" : u.getHost()) + ":" + port(u);
    }

    /** One page, retried as the retry policy allows. */
    PageParser.Page fetchPage(URI uri, PageParser.Target target) throws FetchFailure, InterruptedException {
        if (breaker.isOpen() && breaker.getRemainingDelay().compareTo(Duration.ZERO) > 0) {
            // Refused before taking a slot of the rate limit: a slot is blocked for a window after its use, so a
            // stream retrying into the open breaker would spend the quota the probe after the delay needs.
            throw FetchFailure.breakerOpen(breakerReason());
        }
        // Queueing for the first try is not retrying: the budget starts when the first attempt may go.
        RequestGate.Permit first = gate.acquire();
        waited(first);
        Exchange exchange = new Exchange(uri, target, first);
        Attempt result;
        try {
            result = failsafe.get(ctx -> attempt(exchange, ctx));
        } catch (CircuitBreakerOpenException e) {
            throw FetchFailure.breakerOpen(breakerReason());
        } catch (FailsafeException e) {
            if (e.getCause() instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            counters.failedRequests.incrementAndGet();
            throw tickerFailure("request to " + exchange.where() + " failed: " + describe(e.getCause()));
        } catch (RuntimeException e) {
            counters.failedRequests.incrementAndGet();
            throw tickerFailure("request to " + exchange.where() + " failed: " + describe(e));
        } finally {
            first.release();
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("source closed");
        }
        if (result instanceof Attempt.Success success) {
            return success.page();
        }
        counters.failedRequests.incrementAndGet();
        if (breaker.isOpen()) {
            throw FetchFailure.breakerOpen(breakerReason());
        }
        if (result instanceof Attempt.Fail fail) {
            String reason = redactor.redact(fail.reason());
            throw fail.runWide() ? FetchFailure.run(reason) : FetchFailure.ticker(reason);
        }
        Attempt.Retry last = (Attempt.Retry) result;
        throw tickerFailure(last.reason() + "; gave up after " + attempts(exchange.attempts) + " in "
                + seconds(System.nanoTime() - exchange.started) + " s (retry budget " + settings.retryBudget() + ")");
    }

    private Attempt attempt(Exchange x, ExecutionContext<Attempt> ctx) throws InterruptedException {
        RequestGate.Permit permit = x.first;
        if (!ctx.isFirstAttempt()) {
            metrics.retried(x.endpoint, ((Attempt.Retry) ctx.getLastResult()).why());
            // A retry waits for the gate only while the budget lasts: a long rate-limit wait or another worker's
            // hold-off must not stretch one request's retrying past it.
            long left = x.started + settings.retryBudget().toNanos() - System.nanoTime();
            permit = gate.tryAcquire(left);
            if (permit == null) {
                Attempt.Retry last = (Attempt.Retry) ctx.getLastResult();
                return new Attempt.Fail(last.reason() + "; gave up after " + attempts(x.attempts) + " in "
                        + seconds(System.nanoTime() - x.started) + " s: the rate limit would hold the next attempt"
                        + " past the retry budget " + settings.retryBudget(), false, Evidence.NONE);
            }
            waited(permit);
        }
        x.attempts++;
        Attempt result;
        try {
            result = send(x);
        } finally {
            permit.release();
        }
        if (result.evidence() == Evidence.WRONG) {
            lastWrong = result;
        } else if (result.evidence() == Evidence.SILENT) {
            lastSilent = result;
        }
        return result;
    }

    /** A permit's wait, by what caused it: a 429's hold-off (server) or the client-side limit (client). */
    private void waited(RequestGate.Permit permit) {
        counters.rateLimitWaitNanos.addAndGet(permit.waitedNanos());
        metrics.rateLimitWait(true, permit.heldNanos());
        metrics.rateLimitWait(false, permit.limitedNanos());
    }

    private Attempt send(Exchange x) throws InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("source closed");
        }
        counters.requests.incrementAndGet();
        long sent = System.nanoTime();
        BlockingHttp.Answer answer;
        try {
            answer = http.get(x.uri, requestHeaders, RESPONSE_HEADERS, () -> answered = true);
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                // Dropped by close(): not the upstream's failure, so not counted as one.
                throw new InterruptedException("source closed");
            }
            metrics.unanswered(x.endpoint, e instanceof BlockingHttp.NoAnswerInTime
                    || e instanceof SocketTimeoutException, System.nanoTime() - sent);
            debug(x, String.valueOf(e));
            return failed(x, e);
        }
        metrics.answered(x.endpoint, answer.status(), System.nanoTime() - sent);
        if (LOG.isDebugEnabled()) {
            debug(x, answer.status() + " (" + answer.body().length + " bytes, "
                    + (System.nanoTime() - sent) / 1_000_000 + " ms)");
        }
        return classify(x, answer);
    }

    /** An exchange that ended without a usable HTTP answer. */
    private Attempt failed(Exchange x, IOException cause) {
        if (cause instanceof BoundedBody.TooLarge) {
            return new Attempt.Fail("the answer to " + x.where() + " is too large: " + cause.getMessage()
                    + "; raise max-response-bytes if it is expected", false, Evidence.NONE);
        }
        if (cause instanceof BlockingHttp.NoAnswerInTime late) {
            return new Attempt.Retry((late.headersReceived ? "no complete answer" : "no answer")
                    + " within the request-timeout " + settings.requestTimeout() + " on " + x.where(), null,
                    RetryReason.TIMEOUT, late.headersReceived ? Evidence.NONE : silent());
        }
        if (cause instanceof BlockingHttp.Truncated) {
            return new Attempt.Retry("a truncated body on " + x.where() + " (" + sanitize(cause.getMessage()) + ")",
                    null, RetryReason.TRUNCATED, Evidence.NONE);
        }
        if (find(cause, SSLException.class) != null) {
            return new Attempt.Retry("TLS with " + origin(settings.baseUrl()) + " failed on " + x.where() + " ("
                    + describe(find(cause, SSLException.class)) + ")", null, RetryReason.CONNECTION, Evidence.WRONG);
        }
        if (find(cause, UnknownHostException.class) != null) {
            return new Attempt.Retry("the host " + settings.baseUrl().getHost() + " cannot be resolved (DNS) on "
                    + x.where(), null, RetryReason.CONNECTION, Evidence.WRONG);
        }
        if (cause instanceof SocketTimeoutException) {
            return new Attempt.Retry("no connection to " + origin(settings.baseUrl()) + " within the connect timeout"
                    + " on " + x.where(), null, RetryReason.TIMEOUT, silent());
        }
        if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
            return new Attempt.Retry("cannot connect to " + origin(settings.baseUrl()) + " on " + x.where() + " ("
                    + describe(root(cause)) + ")", null, RetryReason.CONNECTION, silent());
        }
        return new Attempt.Retry("connection failed on " + x.where() + " (" + describe(root(cause)) + ")", null,
                RetryReason.CONNECTION, Evidence.NONE);
    }

    /** No answer counts against the upstream only while it never answered: later it is a busy server's hiccup. */
    private Evidence silent() {
        return answered ? Evidence.NONE : Evidence.SILENT;
    }

    private Attempt classify(Exchange x, BlockingHttp.Answer response) {
        int status = response.status();
        String answer = "HTTP " + status + statusName(status);
        if (status == 401 || status == 403) {
            return new Attempt.Fail("Polygon refused the API key: " + answer + " on " + x.where() + serverSays(response)
                    + ". Check POLYGON_API_KEY / MASSIVE_API_KEY (or the api-key option) and the plan's entitlements",
                    true, Evidence.NONE);
        }
        if (status == 429) {
            counters.rateLimited.incrementAndGet();
            Optional<Duration> asked = retryAfter(response);
            if (asked.isPresent()) {
                // Every worker holds off, not just this one: they all share the same quota. (Without Retry-After
                // the hold is set to the backoff once Failsafe has chosen it.)
                gate.holdUntil(System.nanoTime() + asked.get().toNanos());
                long elapsed = System.nanoTime() - x.started;
                if (elapsed + asked.get().toNanos() > settings.retryBudget().toNanos()) {
                    // Retrying before the server's Retry-After would only earn another 429: give up at once instead.
                    return new Attempt.Fail(answer + " on " + x.where() + "; the server asked to wait "
                            + seconds(asked.get().toNanos()) + " s (Retry-After), beyond the retry budget "
                            + settings.retryBudget() + ", so it gave up after " + attempts(x.attempts), false,
                            Evidence.NONE);
                }
            }
            return new Attempt.Retry(answer + " on " + x.where(), asked.orElse(null), RetryReason.RATE_LIMITED,
                    Evidence.NONE);
        }
        if (status >= 500 || status == 408) {
            return new Attempt.Retry(answer + " on " + x.where() + serverSays(response),
                    retryAfter(response).orElse(null), status == 408 ? RetryReason.TIMEOUT : RetryReason.SERVER_ERROR,
                    Evidence.NONE);
        }
        if (status >= 300 && status < 400) {
            return new Attempt.Fail(answer + " redirect on " + x.where()
                    + "; redirects are not followed, so the API key never travels to another URL", false,
                    Evidence.WRONG);
        }
        if (status == 404) {
            // Polygon answers an unknown x.where() or symbol with its JSON error shape; anything else is not Polygon.
            boolean polygon = polygonStatus(response) != null;
            return new Attempt.Fail(answer + " on " + x.where() + serverSays(response)
                    + (polygon ? "" : " (not a Polygon error answer: is base-url right?)"), false,
                    polygon ? Evidence.NONE : Evidence.WRONG);
        }
        if (status >= 400 || status < 200) {
            return new Attempt.Fail(answer + " on " + x.where() + serverSays(response), false, Evidence.NONE);
        }
        return readPage(x, response);
    }

    private Attempt readPage(Exchange x, BlockingHttp.Answer response) {
        byte[] body = response.body();
        String contentType = response.header("Content-Type").orElse("");
        String answer = "HTTP " + response.status();
        if (body.length == 0) {
            return new Attempt.Retry(answer + " with an empty body on " + x.where(), null, RetryReason.MALFORMED,
                    Evidence.WRONG);
        }
        boolean gzipped = gzipped(response);
        if (contentType.toLowerCase(Locale.ROOT).contains("html") || !gzipped && startsWithMarkup(body)) {
            return new Attempt.Retry("an HTML page instead of JSON (" + answer + ", Content-Type '"
                    + sanitize(contentType) + "') on " + x.where(), null, RetryReason.MALFORMED, Evidence.WRONG);
        }
        if (!gzipped && !startsLikeJson(body)) {
            return new Attempt.Retry("a body that is not JSON (" + answer + ", Content-Type '" + sanitize(contentType)
                    + "') on " + x.where(), null, RetryReason.MALFORMED, Evidence.WRONG);
        }
        PageParser.Page page;
        try {
            page = gzipped
                    ? PageParser.parse(BoundedBody.inflated(new GZIPInputStream(new ByteArrayInputStream(body)),
                            settings.maxResponseBytes()), x.target)
                    : PageParser.parse(body, x.target);
        } catch (BoundedBody.TooLarge e) {
            return new Attempt.Fail("the answer to " + x.where() + " is too large: " + e.getMessage()
                    + "; raise max-response-bytes if it is expected", false, Evidence.NONE);
        } catch (EOFException e) {
            return retry(RetryReason.TRUNCATED, "a truncated body (the JSON ends early) on " + x.where());
        } catch (JsonProcessingException e) {
            if (e instanceof JsonEOFException || String.valueOf(e.getOriginalMessage()).contains("end-of-input")) {
                return retry(RetryReason.TRUNCATED, "a truncated body (the JSON ends early) on " + x.where());
            }
            return retry(RetryReason.MALFORMED, "malformed JSON on " + x.where() + " ("
                    + sanitize(e.getOriginalMessage()) + ")");
        } catch (ZipException e) {
            return retry(RetryReason.MALFORMED, "a corrupt gzip body on " + x.where());
        } catch (IOException e) {
            return retry(RetryReason.MALFORMED, "an unreadable body on " + x.where() + " (" + describe(e) + ")");
        } catch (PageParser.MalformedPage e) {
            return retry(RetryReason.MALFORMED, "not an aggregates answer on " + x.where() + ": " + e.getMessage());
        }
        String status = page.status();
        if (status == null) {
            return retry(RetryReason.MALFORMED, "an answer without a status field on " + x.where());
        }
        switch (status) {
            case "OK", "DELAYED" -> {
                // Never an empty success by accident: "no results" is only believed when resultsCount says 0.
                if (!page.hasResults() && (page.resultsCount() == null || page.resultsCount() != 0)) {
                    return retry(RetryReason.MALFORMED, "an answer without results and with resultsCount "
                            + (page.resultsCount() == null ? "absent" : page.resultsCount()) + " on " + x.where());
                }
                return new Attempt.Success(page);
            }
            case "NOT_AUTHORIZED" -> {
                return new Attempt.Fail("Polygon answered NOT_AUTHORIZED on " + x.where() + quote(page.message())
                        + ". Check POLYGON_API_KEY / MASSIVE_API_KEY (or the api-key option) and the plan's"
                        + " entitlements", true, Evidence.NONE);
            }
            case "ERROR" -> {
                return new Attempt.Fail("Polygon answered status ERROR on " + x.where() + quote(page.message()), false,
                        Evidence.NONE);
            }
            default -> {
                return new Attempt.Fail("Polygon answered an unknown status '" + sanitize(status) + "' on " + x.where(),
                        false, Evidence.NONE);
            }
        }
    }

    private static Attempt retry(RetryReason why, String reason) {
        return new Attempt.Retry(reason, null, why, Evidence.NONE);
    }

    /** The run-wide reason once the breaker opened: what was wrong, and what to check. */
    private String breakerReason() {
        // A wrong answer says more than silence: when both were seen, name the wrong answer.
        Attempt wrong = lastWrong;
        Attempt last = wrong != null ? wrong : lastSilent;
        String what = last instanceof Attempt.Retry r ? r.reason() : last instanceof Attempt.Fail f ? f.reason() : "?";
        String where = origin(settings.baseUrl());
        String text = wrong == null
                ? "nothing answers at " + where + ": the first " + BREAKER_THRESHOLD + " attempts got no answer"
                        + " (the last: " + what + "). Check base-url, that the server is up and reachable, and"
                        + " request-timeout; the remaining requests were not sent"
                : where + " does not answer like the Polygon API: " + BREAKER_THRESHOLD + " attempts in a row got"
                        + " answers only a wrong upstream gives (the last: " + what + "). Check base-url and any proxy"
                        + " in between; the remaining requests were not sent";
        return redactor.redact(text);
    }

    /** The server's Retry-After, floored at min-backoff: a server repeating "Retry-After: 0" would be hammered. */
    private Optional<Duration> retryAfter(BlockingHttp.Answer response) {
        return RetryAfter.parse(response.header("Retry-After").orElse(null), Instant.now())
                .map(asked -> asked.compareTo(settings.minBackoff()) < 0 ? settings.minBackoff() : asked);
    }

    private static boolean gzipped(BlockingHttp.Answer response) {
        return response.header("Content-Encoding")
                .map(v -> v.trim().equalsIgnoreCase("gzip")).orElse(false);
    }

    private static boolean startsWithMarkup(byte[] body) {
        int first = firstNonBlank(body);
        return first >= 0 && body[first] == '<';
    }

    private static boolean startsLikeJson(byte[] body) {
        int first = firstNonBlank(body);
        return first >= 0 && (body[first] == '{' || body[first] == '[');
    }

    private static int firstNonBlank(byte[] body) {
        for (int i = 0; i < body.length; i++) {
            byte b = body[i];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return i;
            }
        }
        return -1;
    }

    /** The body's Polygon {@code status}, when it is a JSON answer that has one. */
    private static String polygonStatus(BlockingHttp.Answer response) {
        byte[] body = response.body();
        if (body.length == 0 || !startsLikeJson(body) || gzipped(response)) {
            return null;
        }
        try {
            return PageParser.parse(body, PageParser.Target.grouped(Set.of(), false)).status();
        } catch (IOException | PageParser.MalformedPage | RuntimeException e) {
            return null;
        }
    }

    /** The {@code error}/{@code message} of an error body, when it is JSON that has one. */
    private String serverSays(BlockingHttp.Answer response) {
        byte[] body = response.body();
        if (body.length == 0 || !startsLikeJson(body) || gzipped(response)) {
            return "";
        }
        try {
            return quote(PageParser.parse(body, PageParser.Target.grouped(Set.of(), false)).message());
        } catch (IOException | PageParser.MalformedPage | RuntimeException e) {
            return "";
        }
    }

    private String quote(String serverMessage) {
        return serverMessage == null || serverMessage.isBlank() ? "" : " (server says: \"" + sanitize(serverMessage) + "\")";
    }

    /** Server text made safe for a reason: redacted, control characters dropped, length capped. */
    private String sanitize(String text) {
        if (text == null) {
            return "";
        }
        String clean = redactor.redact(text).replaceAll("\\p{Cntrl}", " ").strip();
        return clean.length() > MESSAGE_LIMIT ? clean.substring(0, MESSAGE_LIMIT) + "…" : clean;
    }

    private String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + sanitize(message));
    }

    /** The innermost cause: the JDK wraps "Connection refused" in a ConnectException without a message. */
    private static Throwable root(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private FetchFailure tickerFailure(String message) {
        return FetchFailure.ticker(redactor.redact(message));
    }

    private void debug(Exchange x, String outcome) {
        if (LOG.isDebugEnabled()) {
            String target = x.uri.getRawQuery() == null ? x.uri.getRawPath()
                    : x.uri.getRawPath() + "?" + x.uri.getRawQuery();
            LOG.debug("GET {} -> {}", redactor.redact(target), redactor.redact(outcome));
        }
    }

    private static String attempts(int n) {
        return n + (n == 1 ? " attempt" : " attempts");
    }

    private static String seconds(long nanos) {
        return nanos % 1_000_000_000L == 0 ? Long.toString(nanos / 1_000_000_000L)
                : String.format(Locale.ROOT, "%.1f", nanos / 1e9);
    }

    private static String statusName(int status) {
        return switch (status) {
            case 400 -> " Bad Request";
            case 401 -> " Unauthorized";
            case 403 -> " Forbidden";
            case 404 -> " Not Found";
            case 408 -> " Request Timeout";
            case 429 -> " Too Many Requests";
            case 500 -> " Internal Server Error";
            case 502 -> " Bad Gateway";
            case 503 -> " Service Unavailable";
            case 504 -> " Gateway Timeout";
            default -> "";
        };
    }

    /** Drops the connections in flight and ends this source's use of the shared gate. */
    @Override
    public void close() {
        try {
            http.close();
        } finally {
            gateLease.close();
        }
    }
}
