package dev.tickeretl.simulator;

/**
 * A way for the simulated WebSocket to fail every connection open at a moment, as the real service and the networks
 * in front of it do. Scheduled on the market clock by a {@link StreamFaultPlan}, or applied at once through
 * {@link SimulatedStream}.
 */
public enum StreamFault {
    /** The TCP connection is reset: no status, no close frame; whatever was queued for the client is lost. */
    DROP,
    /**
     * The server stops sending anything, data and pongs alike, and keeps the connection open until the client gives
     * up and closes it; only a client-side watchdog notices.
     */
    STALL,
    /** {@code force_disconnect} status, then a close frame: the service ended the connection. */
    FORCE_DISCONNECT,
    /** {@code slow_consumer} status, then a close frame: as when the client read too slowly. */
    SLOW_CONSUMER,
    /** {@code max_connections} status, then a close frame: as when another connection with the key kicks this one. */
    MAX_CONNECTIONS,
    /**
     * The stream goes down: every connection is reset as by {@link #DROP}, and new handshakes are refused with 503
     * until the outage ends (REST stays up, so a client can repair the gap). Scheduled with a duration by
     * {@link StreamFaultPlan.Builder#outage}, or {@link SimulatedStream#outage}.
     */
    OUTAGE
}
