package dev.tickeretl.polygon;

import java.net.URI;
import java.time.Duration;

/**
 * The validated, immutable configuration of one {@link PolygonSource}. Built only by {@link PolygonSource.Builder}.
 *
 * @param baseUrl        scheme, host, optional port and optional path prefix; no trailing slash, no query
 * @param apiKey         null when no key was configured and none is required
 * @param rateLimit      null for no client-side limit
 * @param allowInsecureHttp whether plain http may go to a host that is not loopback
 * @param maxResponseBytes  the cap of one response body, on the wire and after gunzip
 */
record Settings(
        URI baseUrl,
        ApiKey apiKey,
        RateLimit rateLimit,
        Duration retryBudget,
        Duration requestTimeout,
        int concurrency,
        int pageLimit,
        PolygonSource.Plan plan,
        Duration minBackoff,
        Duration maxBackoff,
        boolean allowInsecureHttp,
        long maxResponseBytes) {

    /** At most {@code requests} request starts within any rolling {@code period}. */
    record RateLimit(int requests, Duration period) {
        @Override
        public String toString() {
            return requests + "/" + period;
        }
    }

    /** The base URL as text without a trailing slash, ready to have a path appended. */
    String base() {
        return baseUrl.toString();
    }
}
