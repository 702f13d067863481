package dev.tickeretl.polygon;

import dev.tickeretl.spi.ProviderContext;
import dev.tickeretl.spi.Source;
import dev.tickeretl.spi.SourceProvider;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code polygon} source: Polygon/Massive aggregates over REST (see {@link PolygonSource}).
 *
 * <p>Options (all optional; an unknown key or a bad value is an {@link IllegalArgumentException} naming the key; a
 * blank value counts as absent):
 * <table>
 *   <caption>polygon source options</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code base-url}</td><td>{@code https://api.massive.com}</td>
 *       <td>{@code http(s)://host[:port][/prefix]}; {@code https://api.polygon.io} works the same; plain
 *       {@code http://} only to loopback hosts unless {@code allow-insecure-http=true}</td></tr>
 *   <tr><td>{@code allow-insecure-http}</td><td>{@code false}</td>
 *       <td>{@code true} allows a plain {@code http://} base URL to a host that is not loopback (key and data in
 *       cleartext)</td></tr>
 *   <tr><td>{@code api-key}</td><td>env {@code POLYGON_API_KEY}, else {@code MASSIVE_API_KEY}</td>
 *       <td>sent only as {@code Authorization: Bearer}; none found is an error unless {@code require-key=false}</td></tr>
 *   <tr><td>{@code require-key}</td><td>{@code true}</td>
 *       <td>{@code false} lets the source run without a key (the offline simulator); the environment is then
 *       not read</td></tr>
 *   <tr><td>{@code max-requests-per-minute}</td><td>none</td>
 *       <td>client-side limit: at most N requests in any rolling minute (the free plan is 5)</td></tr>
 *   <tr><td>{@code rate-limit}</td><td>none</td>
 *       <td>the same for any window: {@code N/ISO-8601-duration}, e.g. {@code 5/PT2S}; not together with
 *       {@code max-requests-per-minute}</td></tr>
 *   <tr><td>{@code retry-budget}</td><td>{@code PT10M}</td>
 *       <td>how long one request may keep retrying (429, 5xx, timeouts, resets, bad bodies), waits included; one
 *       request ends within it plus one {@code request-timeout}</td></tr>
 *   <tr><td>{@code request-timeout}</td><td>{@code PT30S}</td><td>one attempt, body included</td></tr>
 *   <tr><td>{@code concurrency}</td><td>{@code 4}</td><td>requests in flight at once (1..64)</td></tr>
 *   <tr><td>{@code page-limit}</td><td>{@code 50000}</td><td>Polygon's {@code limit} parameter (1..50000)</td></tr>
 *   <tr><td>{@code plan}</td><td>{@code auto}</td>
 *       <td>{@code auto}, {@code per-ticker} or {@code grouped}: auto takes whichever needs fewer requests</td></tr>
 *   <tr><td>{@code min-backoff}</td><td>{@code PT1S}</td><td>first backoff when no {@code Retry-After} is given</td></tr>
 *   <tr><td>{@code max-backoff}</td><td>{@code PT60S}</td><td>cap of the exponential backoff</td></tr>
 *   <tr><td>{@code max-response-bytes}</td><td>{@code 67108864} (64 MiB)</td>
 *       <td>cap of one response body, on the wire and after gunzip; a larger answer fails its ticker</td></tr>
 *   <tr><td>{@code ws-url}</td><td>{@code wss://socket.massive.com/stocks}</td>
 *       <td>the stocks WebSocket, for a stream (unbounded request)</td></tr>
 *   <tr><td>{@code feed}</td><td>{@code realtime}</td>
 *       <td>{@code delayed}: {@code wss://delayed.massive.com/stocks} unless {@code ws-url} is given</td></tr>
 *   <tr><td>{@code ping-interval}</td><td>{@code PT10S}</td><td>how often a stream pings the server</td></tr>
 *   <tr><td>{@code stream-timeout}</td><td>{@code PT30S}</td>
 *       <td>a stream connection silent this long (no message, no pong) is dropped and reconnected</td></tr>
 *   <tr><td>{@code repair-breaker-delay}</td><td>{@code PT30S}</td>
 *       <td>a stream's gap repairs pause this long after REST answered wrongly three times in a row (the breaker
 *       below opened); then one is let through, and a good answer resumes them all</td></tr>
 * </table>
 *
 * <p>Backoffs (and {@code Retry-After} waits) are jittered by ±25 %. Whatever the budget, a run stops at once, with
 * one error, when the upstream is evidently wrong rather than busy: three attempts in a row answered by something
 * that is not the Polygon API (a 200 that is not JSON or is empty, a 404 or redirect on the API path, a TLS or DNS
 * failure), or, before anything answered, three attempts without an answer (refused, or silent until
 * {@code request-timeout}). A stream does not stop then: its gap repairs pause for {@code repair-breaker-delay} and go
 * on once REST answers right again.
 */
public final class PolygonSourceProvider implements SourceProvider {

    public static final String NAME = "polygon";

    private final Function<String, String> environment;

    public PolygonSourceProvider() {
        this(System::getenv);
    }

    PolygonSourceProvider(Function<String, String> environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Every option this source takes. */
    static final List<String> OPTIONS = List.of("base-url", "api-key", "require-key", "max-requests-per-minute",
            "rate-limit", "retry-budget", "request-timeout", "concurrency", "page-limit", "plan", "min-backoff",
            "max-backoff", "allow-insecure-http", "max-response-bytes", "ws-url", "feed", "ping-interval",
            "stream-timeout", "repair-breaker-delay");

    @Override
    public Source open(ProviderContext context) {
        context.requireKnownOptions("the polygon source", OPTIONS);
        return builder(context.options()).observer(context.observer()).build();
    }

    /** The builder the options describe; not yet built, so the key is resolved only in {@code build()}. */
    PolygonSource.Builder builder(Map<String, String> options) {
        Options o = new Options(options);
        PolygonSource.Builder builder = PolygonSource.builder().environment(environment);
        o.text("base-url").ifPresent(builder::baseUrl);
        o.bool("allow-insecure-http").ifPresent(builder::allowInsecureHttp);
        o.longInteger("max-response-bytes").ifPresent(builder::maxResponseBytes);
        o.text("api-key").ifPresent(builder::apiKey);
        o.bool("require-key").ifPresent(builder::requireKey);
        var perMinute = o.integer("max-requests-per-minute");
        var window = o.text("rate-limit");
        if (perMinute.isPresent() && window.isPresent()) {
            throw new IllegalArgumentException("rate-limit: give either rate-limit or max-requests-per-minute,"
                    + " not both");
        }
        perMinute.ifPresent(builder::maxRequestsPerMinute);
        window.ifPresent(value -> parseRateLimit(builder, value));
        o.duration("retry-budget").ifPresent(builder::retryBudget);
        o.duration("request-timeout").ifPresent(builder::requestTimeout);
        o.integer("concurrency").ifPresent(builder::concurrency);
        o.integer("page-limit").ifPresent(builder::pageLimit);
        o.text("plan").ifPresent(value -> builder.plan(parsePlan(value)));
        o.text("ws-url").ifPresent(builder::webSocketUrl);
        o.text("feed").ifPresent(value -> builder.delayed(parseFeed(value)));
        o.duration("ping-interval").ifPresent(builder::pingInterval);
        o.duration("stream-timeout").ifPresent(builder::streamTimeout);
        o.duration("repair-breaker-delay").ifPresent(builder::repairBreakerDelay);
        var min = o.duration("min-backoff");
        var max = o.duration("max-backoff");
        if (min.isPresent() || max.isPresent()) {
            Duration lo = min.orElse(Duration.ofSeconds(1));
            Duration hi = max.orElse(lo.compareTo(Duration.ofSeconds(60)) > 0 ? lo : Duration.ofSeconds(60));
            builder.backoff(lo, hi);
        }
        return builder;
    }

    private static void parseRateLimit(PolygonSource.Builder builder, String value) {
        int slash = value.indexOf('/');
        String usage = "rate-limit: expected N/DURATION such as 5/PT2S or 5/PT1M, got '" + value + "'";
        if (slash < 1) {
            throw new IllegalArgumentException(usage);
        }
        int requests;
        Duration period;
        try {
            requests = Integer.parseInt(value.substring(0, slash).strip());
            period = Duration.parse(value.substring(slash + 1).strip());
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException(usage);
        }
        builder.rateLimit(requests, period);
    }

    private static boolean parseFeed(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "realtime", "real-time" -> false;
            case "delayed" -> true;
            default -> throw new IllegalArgumentException("feed: expected realtime or delayed, got '" + value + "'");
        };
    }

    private static PolygonSource.Plan parsePlan(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "auto" -> PolygonSource.Plan.AUTO;
            case "per-ticker" -> PolygonSource.Plan.PER_TICKER;
            case "grouped" -> PolygonSource.Plan.GROUPED;
            default -> throw new IllegalArgumentException("plan: expected auto, per-ticker or grouped, got '"
                    + value + "'");
        };
    }

    /** Typed reads of the option map; each error names its key. */
    private record Options(Map<String, String> values) {
        Options {
            values = values == null ? Map.of() : values;
        }

        Optional<String> text(String key) {
            String value = values.get(key);
            return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
        }

        Optional<Integer> integer(String key) {
            return text(key).map(value -> {
                try {
                    return Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(key + ": expected a whole number, got '" + value + "'");
                }
            });
        }

        Optional<Long> longInteger(String key) {
            return text(key).map(value -> {
                try {
                    return Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(key + ": expected a whole number, got '" + value + "'");
                }
            });
        }

        Optional<Duration> duration(String key) {
            return text(key).map(value -> {
                try {
                    return Duration.parse(value);
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException(key + ": expected an ISO-8601 duration such as PT30S or PT10M,"
                            + " got '" + value + "'");
                }
            });
        }

        Optional<Boolean> bool(String key) {
            return text(key).map(value -> switch (value.toLowerCase(Locale.ROOT)) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> throw new IllegalArgumentException(key + ": expected true or false, got '" + value + "'");
            });
        }
    }
}
