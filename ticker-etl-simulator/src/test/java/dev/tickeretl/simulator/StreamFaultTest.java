package dev.tickeretl.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each scripted fault of the simulated WebSocket, as the JDK's WebSocket client experiences it. */
class StreamFaultTest {

    static final Instant OPEN = StreamProtocolTest.OPEN;
    private static final String KEY = "stream-key-7f1d";

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private PolygonSimulator start(PolygonSimulator.Builder builder) {
        PolygonSimulator sim = builder.start();
        closeables.add(sim);
        return sim;
    }

    private PolygonSimulator stopped(StreamFaultPlan plan) {
        return start(PolygonSimulator.builder().marketClock(OPEN, 0).streamFaults(plan));
    }

    private StreamClient client(PolygonSimulator sim) throws InterruptedException {
        long before = sim.stream().stats().eventsDelivered();
        StreamClient client = StreamClient.authenticated(sim.webSocketUrl(), KEY);
        client.baseline = before;
        closeables.add(client);
        return client;
    }

    /** Advances the stopped clock and waits until the stream has queued everything due by then. */
    private static void advance(PolygonSimulator sim, Duration by) throws InterruptedException {
        sim.advanceMarketClock(by);
        assertThat(sim.stream().awaitCaughtUp(StreamClient.WAIT)).isTrue();
    }

    /**
     * The AM events this client has been sent so far (the stream has caught up), in arrival order; the client must be
     * the only one receiving since it joined.
     */
    private static List<JsonNode> receivedSoFar(PolygonSimulator sim, StreamClient client, List<JsonNode> into)
            throws InterruptedException {
        long delivered = sim.stream().stats().eventsDelivered() - client.baseline;
        into.addAll(client.collectAm(events -> client.amReceived >= delivered));
        return into;
    }

    private static String key(JsonNode event) {
        return event.get("sym").asText() + "@" + event.get("s").asLong();
    }

    /** The last version received of each (symbol, minute). */
    private static Map<String, JsonNode> lastVersions(List<JsonNode> events) {
        Map<String, JsonNode> last = new HashMap<>();
        events.forEach(e -> last.put(key(e), e));
        return last;
    }

    private static void assertEqualsTruth(Map<String, JsonNode> received, List<SimulatedBar> truth) {
        assertThat(received).hasSameSizeAs(truth);
        for (SimulatedBar bar : truth) {
            JsonNode event = received.get(bar.ticker() + "@" + bar.t());
            assertThat(event).as(bar.toString()).isNotNull();
            assertThat(event.get("o").asDouble()).isEqualTo(bar.open());
            assertThat(event.get("h").asDouble()).isEqualTo(bar.high());
            assertThat(event.get("l").asDouble()).isEqualTo(bar.low());
            assertThat(event.get("c").asDouble()).isEqualTo(bar.close());
            assertThat(event.get("v").asDouble()).isEqualTo(bar.volume());
            assertThat(event.get("vw").asDouble()).isEqualTo(bar.vwap());
        }
    }

    @Test
    void dropResetsTheConnectionWithoutAStatusOrCloseFrame() throws InterruptedException {
        PolygonSimulator sim = stopped(StreamFaultPlan.none());
        StreamClient client = client(sim);
        client.subscribe("AM.AAPL");

        sim.stream().apply(StreamFault.DROP);

        assertThat(client.awaitEnd()).as("no close frame, so no close code").isEqualTo(-1);
        assertThat(client.error).isInstanceOf(java.io.IOException.class);
        assertThat(sim.stream().awaitConnections(0, StreamClient.WAIT)).isTrue();
    }

    @Test
    void aDropScheduledOnTheMarketClockHappensBeforeThatMinutesEvents() throws InterruptedException {
        Instant dropAt = OPEN.plus(Duration.ofMinutes(3));
        PolygonSimulator sim = stopped(StreamFaultPlan.builder().revisions(0).at(dropAt, StreamFault.DROP).build());
        StreamClient client = client(sim);
        client.subscribe("AM.AAPL");

        advance(sim, Duration.ofMinutes(2));
        List<JsonNode> before = receivedSoFar(sim, client, new ArrayList<>());
        advance(sim, Duration.ofMinutes(2));

        assertThat(client.awaitEnd()).isEqualTo(-1);
        assertThat(before).extracting(e -> e.get("s").asLong())
                .containsExactlyElementsOf(sim.minuteBars("AAPL", OPEN, OPEN.plus(Duration.ofMinutes(2))).stream()
                        .map(SimulatedBar::t).toList());
        // A client that reconnects carries on from the next minute; the minutes in between are REST's to repair.
        StreamClient again = client(sim);
        again.subscribe("AM.AAPL");
        advance(sim, Duration.ofMinutes(1));
        List<JsonNode> after = receivedSoFar(sim, again, new ArrayList<>());
        assertThat(after).extracting(e -> e.get("s").asLong()).allMatch(s -> s >= dropAt.toEpochMilli());
    }

    @Test
    void stallSendsNothingNotEvenPongsUntilTheClientGivesUp() throws InterruptedException {
        PolygonSimulator sim = stopped(StreamFaultPlan.none());
        StreamClient client = client(sim);
        client.subscribe("AM.AAPL");
        client.socket().sendPing(java.nio.ByteBuffer.wrap("before".getBytes())).join();
        assertThat(client.pongs.poll(StreamClient.WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("before");

        sim.stream().apply(StreamFault.STALL);
        client.socket().sendPing(java.nio.ByteBuffer.wrap("during".getBytes())).join();
        advance(sim, Duration.ofMinutes(3));

        assertThat(client.pongs.poll(500, TimeUnit.MILLISECONDS)).as("no pong while stalled").isNull();
        assertThat(client.amReceived).isZero();
        assertThat(sim.stream().stats().eventsDelivered()).as("queued, never sent").isPositive();
        assertThat(sim.stream().connections()).isEqualTo(1);
        client.close(); // the client's watchdog gives up
        assertThat(sim.stream().awaitConnections(0, StreamClient.WAIT)).isTrue();
    }

    @Test
    void aStallWithADurationDeliversEverythingLateAfterwards() throws InterruptedException {
        PolygonSimulator sim = stopped(StreamFaultPlan.builder().revisions(0)
                .stall(OPEN.plus(Duration.ofMinutes(1)), Duration.ofMinutes(3)).build());
        StreamClient client = client(sim);
        client.subscribe("AM.MSFT");

        advance(sim, Duration.ofMinutes(3));
        client.socket().sendPing(java.nio.ByteBuffer.wrap("late".getBytes())).join();
        assertThat(client.pongs.poll(500, TimeUnit.MILLISECONDS)).isNull();
        advance(sim, Duration.ofMinutes(2));

        assertThat(client.pongs.poll(StreamClient.WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("late");
        List<JsonNode> all = receivedSoFar(sim, client, new ArrayList<>());
        assertEqualsTruth(lastVersions(all), sim.minuteBars("MSFT", OPEN, OPEN.plus(Duration.ofMinutes(5))));
    }

    @Test
    void revisionsResendAMinuteWithinFifteenMinutesAndTheLastVersionIsTheFinalBar() throws InterruptedException {
        PolygonSimulator sim = stopped(StreamFaultPlan.builder().revisions(1.0).build());
        StreamClient client = client(sim);
        client.subscribe("AM.AAPL");
        List<JsonNode> events = new ArrayList<>();
        Map<String, Long> firstSeenAt = new HashMap<>();
        Map<String, Long> lastSeenAt = new HashMap<>();

        for (int minute = 1; minute <= 25; minute++) {
            advance(sim, Duration.ofMinutes(1));
            int before = events.size();
            receivedSoFar(sim, client, events);
            long now = sim.marketTime().toEpochMilli();
            for (JsonNode event : events.subList(before, events.size())) {
                firstSeenAt.putIfAbsent(key(event), now);
                lastSeenAt.put(key(event), now);
            }
        }

        List<SimulatedBar> truth = sim.minuteBars("AAPL", OPEN, OPEN.plus(Duration.ofMinutes(9)));
        Map<String, JsonNode> last = lastVersions(events);
        for (SimulatedBar bar : truth) {
            String key = "AAPL@" + bar.t();
            JsonNode first = events.stream().filter(e -> key(e).equals(key)).findFirst().orElseThrow();
            assertThat(first.get("v").asDouble()).as("preliminary volume").isLessThan(bar.volume());
            assertThat(firstSeenAt.get(key)).isEqualTo(bar.t() + 60_000L);
            assertThat(lastSeenAt.get(key) - (bar.t() + 60_000L)).isBetween(60_000L, 15 * 60_000L);
        }
        assertEqualsTruth(last.entrySet().stream().filter(e -> truth.stream().anyMatch(b -> e.getKey().equals(
                "AAPL@" + b.t()))).collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)),
                truth);
        assertThat(sim.stream().stats().revisionsPublished()).isPositive();
    }

    @Test
    void duplicatesArriveAsIdenticalSecondCopies() throws InterruptedException {
        PolygonSimulator sim = stopped(StreamFaultPlan.builder().revisions(0).duplicates(0.5).build());
        StreamClient client = client(sim);
        client.subscribe("AM.AAPL,AM.MSFT,AM.NVDA");

        advance(sim, Duration.ofMinutes(10));
        List<JsonNode> events = receivedSoFar(sim, client, new ArrayList<>());

        Map<String, List<JsonNode>> byKey = new HashMap<>();
        events.forEach(e -> byKey.computeIfAbsent(key(e), k -> new ArrayList<>()).add(e));
        long doubled = byKey.values().stream().filter(copies -> copies.size() == 2).count();
        assertThat(doubled).as("about half of " + byKey.size()).isBetween(1L, byKey.size() - 1L);
        assertThat(events).hasSize(byKey.size() + (int) doubled);
        assertThat(byKey.values()).allSatisfy(copies -> assertThat(copies).hasSizeBetween(1, 2)
                .allSatisfy(copy -> assertThat(copy).isEqualTo(copies.get(0))));
    }

    @Test
    void outOfOrderEventsArriveAfterTheNextMinuteOfTheirSymbolYetTheLastVersionIsFinal()
            throws InterruptedException {
        PolygonSimulator sim = stopped(StreamFaultPlan.builder().revisions(0.3).outOfOrder(0.3).build());
        StreamClient client = client(sim);
        client.subscribe("AM.AAPL,AM.MSFT,AM.NVDA,AM.AMZN,AM.GOOGL");

        advance(sim, Duration.ofMinutes(40));
        List<JsonNode> events = receivedSoFar(sim, client, new ArrayList<>());

        Map<String, Long> latestStart = new HashMap<>();
        int backwards = 0;
        for (JsonNode event : events) {
            String sym = event.get("sym").asText();
            long s = event.get("s").asLong();
            if (latestStart.getOrDefault(sym, Long.MIN_VALUE) > s) {
                backwards++;
            }
            latestStart.merge(sym, s, Math::max);
        }
        assertThat(backwards).isPositive();
        assertThat(sim.stream().stats().reorderedPublished()).isPositive();
        // Revisions due later than the clock are still to come: compare the minutes whose window has closed.
        Instant settled = sim.marketTime().minus(Duration.ofMinutes(17));
        List<SimulatedBar> truth = new ArrayList<>();
        for (String ticker : List.of("AAPL", "MSFT", "NVDA", "AMZN", "GOOGL")) {
            truth.addAll(sim.minuteBars(ticker, OPEN, settled));
        }
        Map<String, JsonNode> last = lastVersions(events);
        last.keySet().retainAll(truth.stream().map(b -> b.ticker() + "@" + b.t()).toList());
        assertEqualsTruth(last, truth);
    }

    @Test
    void batchedMessagesAndTextSplitIntoContinuationFramesStillParse() throws InterruptedException {
        PolygonSimulator sim = stopped(StreamFaultPlan.builder().revisions(0).eventsPerMessage(3)
                .fragmentBytes(40).build());
        StreamClient client = client(sim);
        client.send("{\"action\":\"subscribe\",\"params\":\"AM.AAPL,AM.MSFT,AM.NVDA,AM.AMZN,AM.GOOGL\"}");
        List<StreamClient.Message> acks = List.of(client.next(), client.next());
        assertThat(acks.get(0).json()).hasSize(3);
        assertThat(acks.get(1).json()).hasSize(2);
        assertThat(acks.get(0).parts()).as("a message split into frames arrives in parts").isGreaterThan(1);

        advance(sim, Duration.ofMinutes(1));
        List<StreamClient.Message> messages = List.of(client.next(), client.next());

        assertThat(messages.get(0).json()).hasSize(3);
        assertThat(messages.get(1).json()).hasSize(2);
        assertThat(messages).allSatisfy(m -> assertThat(m.parts()).isGreaterThanOrEqualTo(m.text().length() / 40));
    }

    @Test
    void aSecondConnectionWithTheSameKeyKicksTheOlderWithMaxConnections() throws InterruptedException {
        PolygonSimulator sim = start(PolygonSimulator.builder().marketClock(OPEN, 0).requireKey(KEY)
                .streamFaults(StreamFaultPlan.none()));
        StreamClient older = client(sim);
        older.subscribe("AM.AAPL");

        StreamClient newer = client(sim);

        JsonNode status = older.expectStatus("max_connections");
        assertThat(status.get("message").asText()).isEqualTo("Maximum number of connections exceeded.");
        assertThat(older.awaitEnd()).isEqualTo(1008);
        newer.subscribe("AM.AAPL");
        advance(sim, Duration.ofMinutes(1));
        assertThat(newer.nextEvent(e -> e.path("ev").asText().equals("AM")).get("sym").asText()).isEqualTo("AAPL");
        assertThat(sim.stream().connections()).isEqualTo(1);
    }

    @Test
    void maxStreamConnectionsAllowsThatManyPerKey() throws InterruptedException {
        PolygonSimulator sim = start(PolygonSimulator.builder().marketClock(OPEN, 0).maxStreamConnections(2));
        client(sim);
        client(sim);
        StreamClient third = client(sim);

        assertThat(sim.stream().awaitConnections(2, StreamClient.WAIT)).isTrue();
        third.subscribe("AM.AAPL");
    }

    @Test
    void forceDisconnectAndSlowConsumerSendTheirStatusThenClose() throws InterruptedException {
        PolygonSimulator sim = stopped(StreamFaultPlan.none());
        StreamClient first = client(sim);
        sim.stream().apply(StreamFault.FORCE_DISCONNECT);
        first.expectStatus("force_disconnect");
        assertThat(first.awaitEnd()).isEqualTo(1008);

        StreamClient second = client(sim);
        sim.stream().apply(StreamFault.SLOW_CONSUMER);
        second.expectStatus("slow_consumer");
        assertThat(second.awaitEnd()).isEqualTo(1008);
        assertThat(sim.stream().stats().slowConsumers()).isEqualTo(1);
    }

    @Test
    void aClientThatStopsReadingIsCutOffAsASlowConsumer() throws InterruptedException {
        PolygonSimulator sim = start(PolygonSimulator.builder().marketClock(OPEN, 0).slowConsumerBytes(64 * 1024)
                .streamFaults(StreamFaultPlan.none()));
        StreamClient reader = StreamClient.connectNotReading(sim.webSocketUrl());
        closeables.add(reader);
        reader.send("{\"action\":\"auth\",\"params\":\"" + KEY + "\"}");
        reader.send("{\"action\":\"subscribe\",\"params\":\"AM.*\"}");
        Thread.sleep(200); // let the subscription land; the client reads nothing more after "connected"

        // A whole morning of 3000 symbols: far more than the socket buffers hold.
        for (int i = 0; i < 12 && sim.stream().stats().slowConsumers() == 0; i++) {
            advance(sim, Duration.ofMinutes(10));
        }

        assertThat(sim.stream().stats().slowConsumers()).isEqualTo(1);
        assertThat(sim.stream().awaitConnections(0, StreamClient.WAIT)).isTrue();
    }

    @Test
    void anOutageResetsConnectionsAndRefusesHandshakesWhileRestStaysUp() throws Exception {
        Instant down = OPEN.plus(Duration.ofMinutes(2));
        PolygonSimulator sim = stopped(StreamFaultPlan.builder().outage(down, Duration.ofMinutes(5)).build());
        StreamClient client = client(sim);
        client.subscribe("AM.AAPL");

        advance(sim, Duration.ofMinutes(3));

        assertThat(client.awaitEnd()).as("reset, no close frame").isEqualTo(-1);
        try (RawConnection raw = new RawConnection(sim.port())) {
            assertThat(raw.upgrade("/stocks").status()).isEqualTo(503);
        }
        assertThat(Http.get(sim.baseUrl() + "/v2/aggs/ticker/AAPL/range/1/minute/2025-03-03/2025-03-03"
                + "?adjusted=false").status()).isEqualTo(200);
        advance(sim, Duration.ofMinutes(4)); // 09:37: the outage ended at 09:37
        client(sim).subscribe("AM.AAPL");
    }

    @Test
    void aWrongKeyGetsAuthFailedAndAClose() throws InterruptedException {
        PolygonSimulator sim = start(PolygonSimulator.builder().requireKey(KEY));
        StreamClient client = StreamClient.connect(sim.webSocketUrl());
        closeables.add(client);
        client.expectStatus("connected");

        client.send("{\"action\":\"auth\",\"params\":\"not-the-key\"}");

        assertThat(client.expectStatus("auth_failed").get("message").asText()).isEqualTo("authentication failed");
        assertThat(client.awaitEnd()).isEqualTo(1008);
        assertThat(sim.stream().stats().authFailed()).isEqualTo(1);
    }

    @Test
    void scriptedAuthFailuresRejectEvenTheRightKeyThenPass() throws InterruptedException {
        PolygonSimulator sim = start(PolygonSimulator.builder().requireKey(KEY)
                .streamFaults(StreamFaultPlan.builder().failAuth(1).build()));
        StreamClient first = StreamClient.connect(sim.webSocketUrl());
        closeables.add(first);
        first.expectStatus("connected");
        first.send("{\"action\":\"auth\",\"params\":\"" + KEY + "\"}");
        first.expectStatus("auth_failed");

        client(sim).subscribe("AM.AAPL");
    }

    @Test
    void aBlankKeyFailsEvenWithoutARequiredKey() throws InterruptedException {
        PolygonSimulator sim = start(PolygonSimulator.builder());
        StreamClient client = StreamClient.connect(sim.webSocketUrl());
        closeables.add(client);
        client.expectStatus("connected");

        client.send("{\"action\":\"auth\",\"params\":\" \"}");

        client.expectStatus("auth_failed");
    }
}
