package dev.tickeretl.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * The simulator's stocks WebSocket ({@code ws://127.0.0.1:<port>/stocks}, the same port as REST), as a test drives
 * it: faults now or on a schedule, and what it has sent. Obtained from {@link PolygonSimulator#stream()}.
 *
 * <h2>Protocol</h2>
 * As Polygon's: on connect {@code [{"ev":"status","status":"connected","message":"Connected Successfully"}]};
 * {@code {"action":"auth","params":KEY}} answers {@code auth_success}, or {@code auth_failed} and a close (the key
 * set by {@link PolygonSimulator.Builder#requireKey}, or any non-blank key when none is set); {@code subscribe} and
 * {@code unsubscribe} take comma-separated topics ({@code AM.AAPL}, {@code AM.*}) and answer one status per topic
 * ({@code subscribed to: AM.AAPL}, {@code unsubscribed to: AM.AAPL}); before auth they answer
 * {@code auth_required}. Every server message is a JSON array, usually of many events. A second connection
 * authenticating with the same key kicks the oldest with {@code max_connections}
 * ({@link PolygonSimulator.Builder#maxStreamConnections}). A client that falls more than
 * {@link PolygonSimulator.Builder#slowConsumerBytes} behind gets {@code slow_consumer} and a close. Statuses that end
 * a connection are followed by a close frame with code 1008 and the status as reason (the real service's close codes
 * are not documented).
 *
 * <h2>Data</h2>
 * At the end of each regular-session minute on the market clock ({@link PolygonSimulator.Builder#marketClock}), one
 * AM event per listed symbol that traded in that minute: {@code sym v av op vw o c h l a z s e}, volumes sometimes
 * fractional, prices unadjusted; minutes without trades have no event (and no REST bar). Some minutes are first sent
 * preliminary and revised within 15 minutes ({@link StreamFaultPlan.Builder#revisions}); the last version sent is
 * always the bar the REST minute endpoint serves with {@code adjusted=false}
 * ({@link PolygonSimulator#minuteBars}). The feed starts with the first connection (or
 * {@link PolygonSimulator.Builder#streamFromStart}): minutes that ended before are history, on REST only.
 */
public final class SimulatedStream {

    private final StreamHub hub;
    private final MarketClock clock;
    private final String url;

    SimulatedStream(StreamHub hub, MarketClock clock, String url) {
        this.hub = hub;
        this.clock = clock;
        this.url = url;
    }

    /** {@code ws://127.0.0.1:<port>/stocks}. */
    public String url() {
        return url;
    }

    /** Installs {@code plan} in place of the current one; its faults at market times already past are skipped. */
    public void faults(StreamFaultPlan plan) {
        hub.install(Objects.requireNonNull(plan, "plan"));
    }

    /**
     * Applies {@code fault} to every connection open now. A {@link StreamFault#STALL} lasts until the client closes
     * the connection (see {@link #stall(Duration)} for one that ends); an {@link StreamFault#OUTAGE} until
     * {@link #outage(Duration)}'s duration, so it is refused here.
     */
    public void apply(StreamFault fault) {
        if (fault == StreamFault.OUTAGE) {
            throw new IllegalArgumentException("fault: an OUTAGE needs a duration, use outage(duration)");
        }
        hub.apply(Objects.requireNonNull(fault, "fault"), null, clock.nowMs());
    }

    /** Stalls every connection open now for {@code marketDuration} of market time, then delivers what queued up. */
    public void stall(Duration marketDuration) {
        Objects.requireNonNull(marketDuration, "marketDuration");
        if (marketDuration.isNegative() || marketDuration.isZero()) {
            throw new IllegalArgumentException("marketDuration: must be positive, got " + marketDuration);
        }
        hub.apply(StreamFault.STALL, marketDuration, clock.nowMs());
    }

    /**
     * Takes the stream down for {@code marketDuration} of market time: every connection is reset, and handshakes
     * are refused with 503 until then. REST keeps answering.
     */
    public void outage(Duration marketDuration) {
        Objects.requireNonNull(marketDuration, "marketDuration");
        if (marketDuration.isNegative() || marketDuration.isZero()) {
            throw new IllegalArgumentException("marketDuration: must be positive, got " + marketDuration);
        }
        hub.apply(StreamFault.OUTAGE, marketDuration, clock.nowMs());
    }

    /** Connections open now. */
    public int connections() {
        return hub.openConnections();
    }

    /**
     * Waits until exactly {@code count} connections are open, at most {@code timeout}.
     *
     * @return whether that happened in time
     */
    public boolean awaitConnections(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (hub.openConnections() != count) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /**
     * Waits until the feed has queued to the connections everything due up to the market time of this call (on a
     * stopped clock: after {@link PolygonSimulator#advanceMarketClock}), at most {@code timeout}. Starts the feed if
     * no connection has yet.
     *
     * @return whether that happened in time
     */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        hub.startFeed();
        long target = clock.nowMs();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            java.time.Instant caughtUp = hub.stats().caughtUpTo();
            if (caughtUp != null && caughtUp.toEpochMilli() >= target) {
                return true;
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(2);
        }
    }

    public StreamStats stats() {
        return hub.stats();
    }

    @Override
    public String toString() {
        return "SimulatedStream[" + url + ", " + hub.openConnections() + " open]";
    }
}
