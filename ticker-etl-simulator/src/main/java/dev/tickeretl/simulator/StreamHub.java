package dev.tickeretl.simulator;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tickeretl.Tickers;
import dev.tickeretl.internal.DaemonThreads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Polygon's stocks WebSocket protocol over the simulator's connections: the {@code connected} greeting, {@code auth},
 * {@code subscribe}/{@code unsubscribe} with one ack per topic, delivery of the {@link MinuteFeed}'s AM events to the
 * subscribers, the service's disconnect statuses, and the faults a {@link StreamFaultPlan} schedules.
 */
final class StreamHub {

    static final String PATH = "/stocks";

    private final SyntheticMarket market;
    private final Universe universe;
    private final MarketClock clock;
    private final byte[] requiredKeyDigest;
    private final int maxConnections;
    private final long slowConsumerBytes;
    private final String threadName;
    private final List<Session> sessions = new CopyOnWriteArrayList<>();
    private final AtomicLong sessionIds = new AtomicLong();
    private final AtomicLong authOrder = new AtomicLong();

    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong authSucceeded = new AtomicLong();
    private final AtomicLong authFailed = new AtomicLong();
    private final AtomicLong eventsDelivered = new AtomicLong();
    private final AtomicLong messagesDelivered = new AtomicLong();
    private final AtomicLong slowConsumers = new AtomicLong();

    // Guarded by this.
    private StreamFaultPlan plan;
    private int authFailuresLeft;
    private int nextScheduled;
    private MinuteFeed feed;
    private ScheduledExecutorService timer;
    private boolean closed;
    private volatile long downUntil = Long.MIN_VALUE;

    StreamHub(SyntheticMarket market, Universe universe, MarketClock clock, String requiredKey, int maxConnections,
              long slowConsumerBytes, StreamFaultPlan plan, String threadName) {
        this.market = market;
        this.universe = universe;
        this.clock = clock;
        this.requiredKeyDigest = requiredKey == null ? null : digest(requiredKey);
        this.maxConnections = maxConnections;
        this.slowConsumerBytes = slowConsumerBytes;
        this.threadName = threadName;
        install(plan);
    }

    /** One client connection and what it asked for. */
    static final class Session {
        final long id;
        final WebSocketConnection connection;
        final Set<String> tickers = ConcurrentHashMap.newKeySet();
        volatile boolean everything;
        volatile byte[] keyDigest; // set once authenticated; the key itself is never kept
        volatile long authenticatedOrder;

        Session(long id, WebSocketConnection connection) {
            this.id = id;
            this.connection = connection;
        }

        boolean authenticated() {
            return keyDigest != null;
        }

        boolean wants(String ticker) {
            return everything || tickers.contains(ticker);
        }
    }

    // ---- plan and faults --------------------------------------------------------------------------------------

    /** Installs {@code newPlan}; its connection faults at market times already past are skipped. */
    void install(StreamFaultPlan newPlan) {
        Objects.requireNonNull(newPlan, "plan");
        MinuteFeed f;
        synchronized (this) {
            plan = newPlan;
            authFailuresLeft = newPlan.authFailures();
            long now = clock.nowMs();
            nextScheduled = 0;
            while (nextScheduled < newPlan.scheduled().size()
                    && newPlan.scheduled().get(nextScheduled).at().toEpochMilli() < now) {
                nextScheduled++;
            }
            f = feed;
        }
        // Outside the monitor: the feed thread takes its own lock first, then this monitor.
        if (f != null) {
            f.wakeUp();
        }
    }

    synchronized StreamFaultPlan plan() {
        return plan;
    }

    /** The market time of the next scheduled connection fault, or {@link Long#MAX_VALUE}. */
    synchronized long nextScheduledFault() {
        return nextScheduled < plan.scheduled().size()
                ? plan.scheduled().get(nextScheduled).at().toEpochMilli() : Long.MAX_VALUE;
    }

    /** Applies the plan's connection faults due at or before market time {@code t}. */
    void applyScheduledFaults(long t) {
        List<StreamFaultPlan.Scheduled> due = new ArrayList<>();
        synchronized (this) {
            while (nextScheduled < plan.scheduled().size()
                    && plan.scheduled().get(nextScheduled).at().toEpochMilli() <= t) {
                due.add(plan.scheduled().get(nextScheduled++));
            }
        }
        for (StreamFaultPlan.Scheduled fault : due) {
            apply(fault.fault(), fault.duration(), fault.at().toEpochMilli());
        }
    }

    /**
     * Applies {@code fault} to every connection open now; a stall with a {@code duration} (market time) ends by
     * itself, counted from {@code fromMs}.
     */
    void apply(StreamFault fault, Duration duration, long fromMs) {
        List<Session> targets = List.copyOf(sessions);
        switch (fault) {
            case DROP -> targets.forEach(s -> s.connection.drop());
            case STALL -> {
                targets.forEach(s -> s.connection.pause());
                if (duration != null) {
                    feed().scheduleStallEnd(fromMs + duration.toMillis(), targets);
                }
            }
            case FORCE_DISCONNECT -> targets.forEach(s -> disconnect(s, "force_disconnect",
                    "The server ended the connection."));
            case SLOW_CONSUMER -> targets.forEach(this::slowConsumer);
            case MAX_CONNECTIONS -> targets.forEach(s -> disconnect(s, "max_connections",
                    "Maximum number of connections exceeded."));
            case OUTAGE -> {
                downUntil = duration == null ? Long.MAX_VALUE : fromMs + duration.toMillis();
                targets.forEach(s -> s.connection.drop());
            }
            default -> throw new IllegalStateException("unhandled fault " + fault);
        }
    }

    /** Whether the stream is in an outage: handshakes are refused. */
    boolean down() {
        return clock.nowMs() < downUntil;
    }

    void endStall(List<Session> stalled) {
        stalled.forEach(s -> s.connection.resume());
    }

    private void disconnect(Session session, String status, String message) {
        send(session, List.of(status(status, message)));
        session.connection.close(WebSocketConnection.CLOSE_POLICY, status);
    }

    private void slowConsumer(Session session) {
        slowConsumers.incrementAndGet();
        session.connection.discardQueued();
        disconnect(session, "slow_consumer", "Connection closed: the client did not keep up with the data.");
        // A client that reads nothing never takes the status either: reset the connection after a grace period.
        timer().schedule(session.connection::drop, 2, TimeUnit.SECONDS);
    }

    // ---- connections ------------------------------------------------------------------------------------------

    /** Runs one connection on the calling thread until it closes. */
    void serve(WebSocketConnection connection) {
        Session session = new Session(sessionIds.incrementAndGet(), connection);
        sessions.add(session);
        accepted.incrementAndGet();
        feed(); // the market starts streaming with the first connection
        try {
            send(session, List.of(status("connected", "Connected Successfully")));
            String text;
            while ((text = connection.nextText()) != null) {
                handle(session, text);
            }
        } finally {
            sessions.remove(session);
            connection.awaitEnd();
        }
    }

    private void handle(Session session, String text) {
        String action = null;
        String params = null;
        try (JsonParser parser = PolygonJson.FACTORY.createParser(text)) {
            if (parser.nextToken() == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if (value == JsonToken.VALUE_STRING && field.equals("action")) {
                        action = parser.getText();
                    } else if (value == JsonToken.VALUE_STRING && field.equals("params")) {
                        params = parser.getText();
                    } else {
                        parser.skipChildren();
                    }
                }
            }
        } catch (IOException e) {
            action = null;
        }
        if (action == null) {
            send(session, List.of(status("error", "invalid message: expected {\"action\":..,\"params\":..}")));
            return;
        }
        switch (action) {
            case "auth" -> authenticate(session, params);
            case "subscribe", "unsubscribe" -> {
                if (!session.authenticated()) {
                    send(session, List.of(status("auth_required", "authentication required")));
                } else {
                    subscription(session, action.equals("subscribe"), params == null ? "" : params);
                }
            }
            default -> send(session, List.of(status("error", "unknown action: " + action)));
        }
    }

    private void authenticate(Session session, String key) {
        boolean ok;
        synchronized (this) {
            if (authFailuresLeft > 0) {
                authFailuresLeft--;
                ok = false;
            } else if (key == null || key.isBlank()) {
                ok = false;
            } else {
                // Constant-time, like the REST key check.
                ok = requiredKeyDigest == null || MessageDigest.isEqual(digest(key), requiredKeyDigest);
            }
        }
        if (!ok) {
            authFailed.incrementAndGet();
            disconnect(session, "auth_failed", "authentication failed");
            return;
        }
        session.keyDigest = digest(key);
        session.authenticatedOrder = authOrder.incrementAndGet();
        authSucceeded.incrementAndGet();
        send(session, List.of(status("auth_success", "authenticated")));
        // Like the real service: a new connection with the same key kicks the oldest beyond the limit.
        List<Session> sameKey = new ArrayList<>();
        for (Session other : sessions) {
            if (other.authenticated() && !other.connection.isClosing()
                    && MessageDigest.isEqual(other.keyDigest, session.keyDigest)) {
                sameKey.add(other);
            }
        }
        sameKey.sort(Comparator.comparingLong(s -> s.authenticatedOrder));
        for (int i = 0; i < sameKey.size() - maxConnections; i++) {
            disconnect(sameKey.get(i), "max_connections", "Maximum number of connections exceeded.");
        }
    }

    private void subscription(Session session, boolean subscribe, String params) {
        List<byte[]> acks = new ArrayList<>();
        for (String raw : params.split(",")) {
            String topic = raw.strip();
            if (topic.isEmpty()) {
                continue;
            }
            int dot = topic.indexOf('.');
            String channel = dot < 0 ? topic : topic.substring(0, dot);
            String symbol = dot < 0 ? "" : topic.substring(dot + 1);
            if (!channel.equals("AM") || !(symbol.equals("*") || Tickers.isValid(symbol))) {
                acks.add(status("error", "the simulator streams AM.<ticker> and AM.* only, not: " + topic));
                continue;
            }
            // Like Polygon, an unknown symbol is acknowledged; it just never has an event.
            if (symbol.equals("*")) {
                session.everything = subscribe;
            } else if (subscribe) {
                session.tickers.add(symbol);
            } else {
                session.tickers.remove(symbol);
            }
            acks.add(status("success", (subscribe ? "subscribed to: " : "unsubscribed to: ") + topic));
        }
        if (!acks.isEmpty()) {
            send(session, acks);
        }
    }

    // ---- delivery ---------------------------------------------------------------------------------------------

    /** Sends the feed's events to each authenticated subscriber, in messages of the plan's size. */
    void deliver(List<MinuteFeed.Event> events) {
        for (Session session : sessions) {
            if (!session.authenticated() || session.connection.isClosing()) {
                continue;
            }
            if (!session.connection.isPaused() && session.connection.queuedBytes() > slowConsumerBytes) {
                slowConsumer(session);
                continue;
            }
            List<byte[]> wanted = new ArrayList<>();
            for (MinuteFeed.Event event : events) {
                if (session.wants(event.ticker())) {
                    wanted.add(event.json());
                }
            }
            if (!wanted.isEmpty()) {
                send(session, wanted);
                eventsDelivered.addAndGet(wanted.size());
            }
        }
    }

    /** Sends {@code items} (rendered JSON objects) as JSON arrays of at most the plan's events per message. */
    private void send(Session session, List<byte[]> items) {
        StreamFaultPlan current = plan();
        int perMessage = current.eventsPerMessage();
        for (int from = 0; from < items.size(); from += perMessage) {
            List<byte[]> batch = items.subList(from, Math.min(items.size(), from + perMessage));
            int size = 1 + batch.size(); // brackets and the commas between items
            for (byte[] item : batch) {
                size += item.length;
            }
            byte[] message = new byte[size];
            int at = 0;
            message[at++] = '[';
            for (int i = 0; i < batch.size(); i++) {
                if (i > 0) {
                    message[at++] = ',';
                }
                System.arraycopy(batch.get(i), 0, message, at, batch.get(i).length);
                at += batch.get(i).length;
            }
            message[at] = ']';
            session.connection.sendText(message, current.fragmentBytes());
            messagesDelivered.incrementAndGet();
        }
    }

    static byte[] status(String status, String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(96);
        try (JsonGenerator gen = PolygonJson.FACTORY.createGenerator(out)) {
            gen.writeStartObject();
            gen.writeStringField("ev", "status");
            gen.writeStringField("status", status);
            gen.writeStringField("message", message);
            gen.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render a status in memory", e);
        }
        return out.toByteArray();
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    // ---- lifecycle and views ----------------------------------------------------------------------------------

    private synchronized MinuteFeed feed() {
        if (feed == null && !closed) {
            feed = new MinuteFeed(market, universe, clock, this, threadName + "-minute-feed");
            feed.start();
        }
        return feed;
    }

    private synchronized ScheduledExecutorService timer() {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named(threadName + "-stream-timer"));
        }
        return timer;
    }

    /** Starts the feed now instead of at the first connection (so it publishes while nobody listens). */
    void startFeed() {
        feed();
    }

    void clockAdvanced() {
        MinuteFeed f;
        synchronized (this) {
            f = feed;
        }
        if (f != null) {
            f.wakeUp();
        }
    }

    int openConnections() {
        int open = 0;
        for (Session session : sessions) {
            if (session.connection.isOpen()) {
                open++;
            }
        }
        return open;
    }

    StreamStats stats() {
        MinuteFeed f;
        synchronized (this) {
            f = feed;
        }
        return new StreamStats(accepted.get(), openConnections(), authSucceeded.get(), authFailed.get(),
                f == null ? 0 : f.minutesPublished.get(), f == null ? 0 : f.eventsPublished.get(),
                f == null ? 0 : f.revisionsPublished.get(), f == null ? 0 : f.duplicatesPublished.get(),
                f == null ? 0 : f.reorderedPublished.get(), eventsDelivered.get(), messagesDelivered.get(), slowConsumers.get(),
                f == null || f.lastPublishedMinute == Long.MIN_VALUE ? null : Instant.ofEpochMilli(f.lastPublishedMinute),
                f == null || f.caughtUpTo == Long.MIN_VALUE ? null : Instant.ofEpochMilli(f.caughtUpTo));
    }

    void close() {
        MinuteFeed f;
        ScheduledExecutorService t;
        synchronized (this) {
            closed = true;
            f = feed;
            t = timer;
        }
        if (f != null) {
            f.close();
        }
        if (t != null) {
            t.shutdownNow();
        }
        for (Session session : sessions) {
            session.connection.drop();
        }
    }
}
