package dev.tickeretl.simulator;

/**
 * A way for the simulator to answer a request badly, as real APIs and the networks in front of them sometimes do.
 * Scheduled by a {@link FaultPlan}.
 */
public enum Fault {
    /** 500 with Polygon's error JSON. */
    HTTP_500,
    /** 502 with Polygon's error JSON (a gateway in front of the API failed). */
    HTTP_502,
    /** 503 with Polygon's error JSON. */
    HTTP_503,
    /** 429 with Polygon's error JSON but no {@code Retry-After} header: the client must pick its own backoff. */
    HTTP_429,
    /**
     * The connection is closed without any response bytes. Note that the JDK's {@code java.net.http.HttpClient}
     * silently retries a GET once when this happens, so a client built on it sees an {@code IOException} only after
     * two resets in a row; the simulator logs each attempt as its own request.
     */
    CONNECTION_RESET,
    /**
     * 200 with {@code application/json} whose body is the first half of the real body: a complete HTTP message
     * carrying JSON that does not parse.
     */
    MALFORMED_JSON,
    /** 200 with a {@code text/html} page instead of JSON, like a proxy or captive portal answering. */
    HTML_PAGE,
    /**
     * 200 whose {@code Content-Length} is the real body's length, but only half of the body is sent before the
     * connection is closed.
     */
    TRUNCATED_BODY
}
