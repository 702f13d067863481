package dev.tickeretl;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Counters a source reports about its upstream requests. */
public record RequestStats(
        @JsonProperty("requests") long requests,
        @JsonProperty("data_requests") long dataRequests,
        @JsonProperty("retries") long retries,
        @JsonProperty("rate_limited") long rateLimited,
        @JsonProperty("rate_limit_wait_ms") long rateLimitWaitMs,
        @JsonProperty("failed_requests") long failedRequests) {

    public static final RequestStats NONE = new RequestStats(0, 0, 0, 0, 0, 0);
}
