package dev.tickeretl.polygon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import dev.tickeretl.Timespan;
import dev.tickeretl.spi.TickerRange;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polygon's aggregates endpoints over {@link HttpClient}: builds the URLs, sends each request through the shared
 * {@link RequestGate}, retries with Failsafe, classifies every answer, and follows {@code next_url} safely.
 */
final class AggregatesClient {

    private static final Logger LOG = LoggerFactory.getLogger(AggregatesClient.class);
    private static final String USER_AGENT = "ticker-etl";
    private static final int MESSAGE_LIMIT = 200;

    /** How one attempt ended. */
    sealed interface Attempt {
        record Success(PageParser.Page page) implements Attempt {
        }

        /** Worth another try after {@code wait}; {@code serverAsked} when the delay came from Retry-After. */
        record Retry(String reason, Duration delay, boolean serverAsked, boolean rateLimited) implements Attempt {
        }

        /** Final: retrying cannot help. */
        record Fail(String reason, boolean runWide) implements Attempt {
        }
    }

    /** Receives each page of a chain as soon as it has arrived. */
    interface PageSink {
        void accept(PageParser.Page page) throws InterruptedException;
    }

    private final Settings settings;
    private final RequestGate gate;
    private final Counters counters;
    private final HttpClient http;

    AggregatesClient(Settings settings, RequestGate gate, Counters counters) {
        this.settings = settings;
        this.gate = gate;
        this.counters = counters;
        Duration connect = settings.requestTimeout().compareTo(Duration.ofSeconds(10)) < 0
                ? settings.requestTimeout() : Duration.ofSeconds(10);
        this.http = HttpClient.newBuilder()
                // Plain http is only ever a local simulator or test server, which speaks HTTP/1.1.
                .version("https".equals(settings.baseUrl().getScheme())
                        ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                // A redirect could carry the Authorization header to another host.
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connect)
                .build();
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
     * @throws FetchFailure when a page fails for good, a {@code next_url} leaves the base URL's origin, or the
     *                      cursors loop
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
                throw FetchFailure.ticker("cursor loop: the next_url of page " + pages + " of " + first.getRawPath()
                        + " leads back to an earlier page; stopped instead of fetching it again");
            }
            uri = next;
        }
    }

    /** A {@code next_url} is followed only to the base URL's scheme, host and port: the key goes nowhere else. */
    URI resolveNext(URI current, String nextUrl) throws FetchFailure {
        URI next;
        try {
            next = current.resolve(new URI(nextUrl.trim()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw FetchFailure.ticker("the next_url after " + current.getRawPath() + " is not a valid URL");
        }
        if (!sameOrigin(next, settings.baseUrl())) {
            throw FetchFailure.ticker("the next_url after " + current.getRawPath() + " points to " + origin(next)
                    + ", not to the base URL's origin " + origin(settings.baseUrl())
                    + "; not followed, so nothing (and no API key) was sent there");
        }
        return next;
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

    /** One page, retried as long as the retry budget allows. */
    PageParser.Page fetchPage(URI uri, PageParser.Target target) throws FetchFailure, InterruptedException {
        long started = System.nanoTime();
        long budget = settings.retryBudget().toNanos();
        AtomicInteger attempts = new AtomicInteger();
        RetryPolicyBuilder<Attempt> builder = RetryPolicy.<Attempt>builder()
                .handleResultIf(a -> a instanceof Attempt.Retry)
                .abortOn(Throwable.class)
                // Retrying before the server's Retry-After would only earn another 429: give up at once instead.
                .abortIf(a -> a instanceof Attempt.Retry r && r.serverAsked()
                        && System.nanoTime() - started + r.delay().toNanos() > budget)
                .withDelayFn(ctx -> ctx.getLastResult() instanceof Attempt.Retry r ? r.delay() : Duration.ZERO)
                .withMaxRetries(budget == 0 ? 0 : -1);
        if (budget > 0) {
            builder.withMaxDuration(settings.retryBudget());
        }
        RetryPolicy<Attempt> policy = builder
                .onRetryScheduled(e -> {
                    Attempt.Retry r = (Attempt.Retry) e.getLastResult();
                    if (r.rateLimited()) {
                        counters.rateLimitWaitNanos.addAndGet(e.getDelay().toNanos());
                    }
                    // Waiting out a rate limit is routine; any other retry means upstream trouble an operator sees.
                    String format = "{}; retrying in {} ms{} (attempt {})";
                    Object[] args = {r.reason(), e.getDelay().toMillis(),
                            r.serverAsked() ? " as Retry-After asked" : "", e.getAttemptCount() + 1};
                    if (r.rateLimited()) {
                        LOG.info(format, args);
                    } else {
                        LOG.warn(format, args);
                    }
                })
                .onRetry(e -> counters.retries.incrementAndGet())
                .build();
        Attempt result;
        try {
            result = Failsafe.with(policy).get(() -> attempt(uri, attempts.incrementAndGet(), target));
        } catch (FailsafeException e) {
            if (e.getCause() instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            counters.failedRequests.incrementAndGet();
            throw FetchFailure.ticker("request to " + uri.getRawPath() + " failed: " + describe(e.getCause()));
        } catch (RuntimeException e) {
            counters.failedRequests.incrementAndGet();
            throw FetchFailure.ticker("request to " + uri.getRawPath() + " failed: " + describe(e));
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("source closed");
        }
        if (result instanceof Attempt.Success success) {
            return success.page();
        }
        counters.failedRequests.incrementAndGet();
        if (result instanceof Attempt.Fail fail) {
            throw fail.runWide() ? FetchFailure.run(fail.reason()) : FetchFailure.ticker(fail.reason());
        }
        Attempt.Retry last = (Attempt.Retry) result;
        long elapsed = System.nanoTime() - started;
        if (last.serverAsked() && elapsed + last.delay().toNanos() > budget) {
            throw FetchFailure.ticker(last.reason() + "; the server asked to wait " + seconds(last.delay().toNanos())
                    + " s (Retry-After), beyond the retry budget " + settings.retryBudget() + ", so it gave up after "
                    + attempts.get() + (attempts.get() == 1 ? " attempt" : " attempts"));
        }
        throw FetchFailure.ticker(last.reason() + "; gave up after " + attempts.get()
                + (attempts.get() == 1 ? " attempt" : " attempts") + " in " + seconds(elapsed)
                + " s (retry budget " + settings.retryBudget() + ")");
    }

    private Attempt attempt(URI uri, int attemptNo, PageParser.Target target) throws InterruptedException {
        RequestGate.Permit permit = gate.acquire();
        counters.rateLimitWaitNanos.addAndGet(permit.waitedNanos());
        try {
            return send(uri, attemptNo, target);
        } finally {
            permit.release();
        }
    }

    private Attempt send(URI uri, int attemptNo, PageParser.Target target) throws InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("source closed");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .GET()
                .timeout(settings.requestTimeout())
                .header("Accept", "application/json")
                .header("Accept-Encoding", "gzip")
                .header("User-Agent", USER_AGENT);
        if (settings.apiKey() != null) {
            request.header("Authorization", settings.apiKey().bearer());
        }
        String path = uri.getRawPath();
        counters.requests.incrementAndGet();
        long sent = System.nanoTime();
        CompletableFuture<HttpResponse<byte[]>> future =
                http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> response;
        try {
            // Bounds the whole exchange, body included: HttpRequest.timeout alone stops at the headers.
            response = future.get(settings.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            LOG.debug("GET {} -> no complete answer within {}", logTarget(uri), settings.requestTimeout());
            return retry("no complete answer within the request-timeout " + settings.requestTimeout() + " on "
                    + path, attemptNo);
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            LOG.debug("GET {} -> {}", logTarget(uri), String.valueOf(cause));
            if (cause instanceof HttpTimeoutException) {
                return retry("no answer within the request-timeout " + settings.requestTimeout() + " on " + path,
                        attemptNo);
            }
            if (cause instanceof EOFException || cause instanceof IOException
                    && String.valueOf(cause.getMessage()).contains("bytes received")) {
                // The connection closed before Content-Length (or the last chunk) was reached.
                return retry("a truncated body on " + path + " (" + describe(cause) + ")", attemptNo);
            }
            if (cause instanceof IOException) {
                return retry("connection failed on " + path + " (" + describe(cause) + ")", attemptNo);
            }
            return new Attempt.Fail("request to " + path + " failed: " + describe(cause), false);
        }
        LOG.debug("GET {} -> {} ({} bytes, {} ms)", logTarget(uri), response.statusCode(), response.body().length,
                (System.nanoTime() - sent) / 1_000_000);
        return classify(uri, response, attemptNo, target);
    }

    private Attempt classify(URI uri, HttpResponse<byte[]> response, int attemptNo, PageParser.Target target) {
        int status = response.statusCode();
        String path = uri.getRawPath();
        String answer = "HTTP " + status + statusName(status);
        if (status == 401 || status == 403) {
            return new Attempt.Fail("Polygon refused the API key: " + answer + " on " + path + serverSays(response)
                    + ". Check POLYGON_API_KEY / MASSIVE_API_KEY (or the api-key option) and the plan's entitlements",
                    true);
        }
        if (status == 429) {
            counters.rateLimited.incrementAndGet();
            // "Retry-After: 0" is floored at min-backoff, or a server repeating it would be hammered.
            Optional<Duration> asked = retryAfter(response).map(this::atLeastMinBackoff);
            Duration wait = asked.orElseGet(() -> backoff(attemptNo));
            // Every worker holds off, not just this one: they all share the same quota.
            gate.holdUntil(System.nanoTime() + wait.toNanos());
            return new Attempt.Retry(answer + " on " + path, wait, asked.isPresent(), true);
        }
        if (status >= 500 || status == 408) {
            Optional<Duration> asked = retryAfter(response).map(this::atLeastMinBackoff);
            return new Attempt.Retry(answer + " on " + path + serverSays(response),
                    asked.orElseGet(() -> backoff(attemptNo)), asked.isPresent(), false);
        }
        if (status >= 300 && status < 400) {
            return new Attempt.Fail(answer + " redirect on " + path
                    + "; redirects are not followed, so the API key never travels to another URL", false);
        }
        if (status >= 400 || status < 200) {
            return new Attempt.Fail(answer + " on " + path + serverSays(response), false);
        }
        return readPage(path, response, attemptNo, target);
    }

    private Attempt readPage(String path, HttpResponse<byte[]> response, int attemptNo, PageParser.Target target) {
        byte[] body = response.body();
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (body.length == 0) {
            return retry("HTTP " + response.statusCode() + " with an empty body on " + path, attemptNo);
        }
        if (contentType.toLowerCase(Locale.ROOT).contains("html") || startsWithMarkup(body)) {
            return retry("an HTML page instead of JSON (HTTP " + response.statusCode() + ", Content-Type '"
                    + sanitize(contentType) + "') on " + path, attemptNo);
        }
        PageParser.Page page;
        try {
            page = gzipped(response)
                    ? PageParser.parse(new GZIPInputStream(new ByteArrayInputStream(body)), target)
                    : PageParser.parse(body, target);
        } catch (EOFException e) {
            return retry("a truncated body (the JSON ends early) on " + path, attemptNo);
        } catch (JsonProcessingException e) {
            if (e instanceof JsonEOFException || String.valueOf(e.getOriginalMessage()).contains("end-of-input")) {
                return retry("a truncated body (the JSON ends early) on " + path, attemptNo);
            }
            return retry("malformed JSON on " + path + " (" + sanitize(e.getOriginalMessage()) + ")", attemptNo);
        } catch (ZipException e) {
            return retry("a corrupt gzip body on " + path, attemptNo);
        } catch (IOException e) {
            return retry("an unreadable body on " + path + " (" + describe(e) + ")", attemptNo);
        } catch (PageParser.MalformedPage e) {
            return retry("not an aggregates answer on " + path + ": " + e.getMessage(), attemptNo);
        }
        String status = page.status();
        if (status == null) {
            return retry("an answer without a status field on " + path, attemptNo);
        }
        switch (status) {
            case "OK", "DELAYED" -> {
                // Never an empty success by accident: "no results" is only believed when resultsCount says 0.
                if (!page.hasResults() && (page.resultsCount() == null || page.resultsCount() != 0)) {
                    return retry("an answer without results and with resultsCount "
                            + (page.resultsCount() == null ? "absent" : page.resultsCount()) + " on " + path,
                            attemptNo);
                }
                return new Attempt.Success(page);
            }
            case "NOT_AUTHORIZED" -> {
                return new Attempt.Fail("Polygon answered NOT_AUTHORIZED on " + path + quote(page.message())
                        + ". Check POLYGON_API_KEY / MASSIVE_API_KEY (or the api-key option) and the plan's"
                        + " entitlements", true);
            }
            case "ERROR" -> {
                return new Attempt.Fail("Polygon answered status ERROR on " + path + quote(page.message()), false);
            }
            default -> {
                return new Attempt.Fail("Polygon answered an unknown status '" + sanitize(status) + "' on " + path,
                        false);
            }
        }
    }

    private Attempt retry(String reason, int attemptNo) {
        return new Attempt.Retry(reason, backoff(attemptNo), false, false);
    }

    /** Exponential backoff from min-backoff, doubled per attempt, capped at max-backoff, jittered into its upper half. */
    Duration backoff(int attemptNo) {
        long min = settings.minBackoff().toNanos();
        long max = settings.maxBackoff().toNanos();
        int doublings = Math.max(0, attemptNo - 1);
        long base = doublings >= 62 || min > (max >> Math.min(doublings, 62)) ? max : min << doublings;
        base = Math.min(base, max);
        long low = Math.max(min, base / 2);
        long wait = low >= base ? base : ThreadLocalRandom.current().nextLong(low, base + 1);
        return Duration.ofNanos(wait);
    }

    private Duration atLeastMinBackoff(Duration asked) {
        return asked.compareTo(settings.minBackoff()) < 0 ? settings.minBackoff() : asked;
    }

    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), Instant.now());
    }

    private static boolean gzipped(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Encoding")
                .map(v -> v.trim().equalsIgnoreCase("gzip")).orElse(false);
    }

    private static boolean startsWithMarkup(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return b == '<';
            }
        }
        return false;
    }

    /** The {@code error}/{@code message} of an error body, when it is JSON that has one. */
    private String serverSays(HttpResponse<byte[]> response) {
        byte[] body = response.body();
        if (body.length == 0 || startsWithMarkup(body) || gzipped(response)) {
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

    /** Server text made safe for a reason: the key masked, control characters dropped, length capped. */
    private String sanitize(String text) {
        if (text == null) {
            return "";
        }
        String clean = ApiKey.redact(settings.apiKey(), text).replaceAll("\\p{Cntrl}", " ").strip();
        return clean.length() > MESSAGE_LIMIT ? clean.substring(0, MESSAGE_LIMIT) + "…" : clean;
    }

    private String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + sanitize(message));
    }

    private static String logTarget(URI uri) {
        // The key never is in a URL; the query (dates, cursor) helps when reading a log.
        return uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
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
}
