package dev.tickeretl.simulator;

import java.time.Instant;

/**
 * What the simulated WebSocket has done so far; a snapshot from {@link SimulatedStream#stats()}.
 *
 * @param connectionsAccepted WebSocket handshakes completed
 * @param connectionsOpen     connections open now
 * @param authSucceeded       {@code auth_success} answers
 * @param authFailed          {@code auth_failed} answers
 * @param minutesPublished    session minutes whose bars went out (a minute without any trade counts too)
 * @param eventsPublished     AM events the feed produced: first versions, revisions, duplicates
 * @param revisionsPublished  of those, revised versions of an already sent minute
 * @param duplicatesPublished of those, identical second copies
 * @param reorderedPublished  events held back and sent after the next minute's events
 * @param eventsDelivered     AM events queued to connections (an event for two subscribers counts twice)
 * @param messagesDelivered   text messages (JSON arrays) queued to connections, statuses included
 * @param slowConsumers       connections closed with {@code slow_consumer} because they fell behind (or were told to)
 * @param lastPublishedMinute start of the latest minute published, or null before the first
 * @param caughtUpTo          market time through which every due event has been queued to the connections, or null
 *                            before the feed started: after {@link PolygonSimulator#advanceMarketClock} on a stopped
 *                            clock, wait until this reaches the new time to know the stream has sent all it will
 */
public record StreamStats(
        long connectionsAccepted,
        int connectionsOpen,
        long authSucceeded,
        long authFailed,
        long minutesPublished,
        long eventsPublished,
        long revisionsPublished,
        long duplicatesPublished,
        long reorderedPublished,
        long eventsDelivered,
        long messagesDelivered,
        long slowConsumers,
        Instant lastPublishedMinute,
        Instant caughtUpTo) {
}
