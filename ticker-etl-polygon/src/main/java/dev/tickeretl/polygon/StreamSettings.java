package dev.tickeretl.polygon;

import java.net.URI;
import java.time.Duration;

/**
 * How a {@link PolygonSource} follows the stocks WebSocket when it is asked for an unbounded request.
 *
 * @param url               the cluster's URL ({@code wss://socket.massive.com/stocks}, delayed:
 *                          {@code wss://delayed.massive.com/stocks})
 * @param pingInterval      a ping is sent this often; the JDK client never pings by itself
 * @param silenceTimeout    a connection that delivers nothing (no message, no pong) this long is aborted
 * @param minReconnect      first pause before reconnecting; doubles per failed attempt, jittered
 * @param maxReconnect      the pause never exceeds this
 * @param stablePeriod      a connection up this long resets the backoff
 * @param repairLookback    minutes re-fetched from REST before a gap, for revisions missed while disconnected
 * @param maxRepairSpan     the longest gap repaired from REST after a reconnect or at start-up
 * @param repairConcurrency REST requests repairing gaps at once (within the source's rate limit)
 * @param frameQueue        messages held between the socket and the pipeline before the socket is read no more
 * @param repairBreakerDelay how long the REST client's circuit breaker stays open before it lets a repair through
 *                          again (half-open); a batch run keeps it open for good, a stream must not
 */
record StreamSettings(URI url, Duration pingInterval, Duration silenceTimeout, Duration minReconnect,
                      Duration maxReconnect, Duration stablePeriod, Duration repairLookback, Duration maxRepairSpan,
                      int repairConcurrency, int frameQueue, Duration repairBreakerDelay) {

    static final String REALTIME_URL = "wss://socket.massive.com/stocks";
    static final String DELAYED_URL = "wss://delayed.massive.com/stocks";

    /** Polygon re-sends a minute for up to 15 minutes: after that its last revision is final. */
    static final Duration REVISION_WINDOW = Duration.ofMinutes(15);

    /**
     * A stream runs for days, so an open breaker must not stop its repairs for long once REST is right again. 30 s:
     * repairs resume at most about that long (plus one retry pause) after REST recovers, well inside the 15-minute
     * revision window the watermark waits out anyway, while a still-wrong upstream costs only one half-open probe
     * round (a few requests) per 30 s.
     */
    static final Duration DEFAULT_REPAIR_BREAKER_DELAY = Duration.ofSeconds(30);

    static StreamSettings defaults(URI url) {
        return new StreamSettings(url, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(1),
                Duration.ofSeconds(60), Duration.ofSeconds(60), REVISION_WINDOW, Duration.ofDays(5), 8, 4_096,
                DEFAULT_REPAIR_BREAKER_DELAY);
    }
}
