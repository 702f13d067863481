package dev.tickeretl.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Polygon's stocks WebSocket protocol, spoken by the simulator to the JDK's WebSocket client on loopback. */
class StreamProtocolTest {

    // Monday 2025-03-03, 09:30 New York (EST).
    static final Instant OPEN = Instant.parse("2025-03-03T14:30:00Z");

    private PolygonSimulator sim;
    private final List<StreamClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        sim = PolygonSimulator.builder().marketClock(OPEN, 0).streamFaults(StreamFaultPlan.none()).start();
    }

    @AfterEach
    void stop() {
        clients.forEach(StreamClient::close);
        sim.close();
    }

    private StreamClient connect() {
        StreamClient client = StreamClient.connect(sim.webSocketUrl());
        clients.add(client);
        return client;
    }

    private StreamClient authenticated() throws InterruptedException {
        StreamClient client = StreamClient.authenticated(sim.webSocketUrl(), "any-key");
        clients.add(client);
        return client;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    @Test
    void connectingGreetsWithConnectedAsAJsonArray() throws InterruptedException {
        StreamClient client = connect();

        assertThat(client.next().text())
                .isEqualTo("[{\"ev\":\"status\",\"status\":\"connected\",\"message\":\"Connected Successfully\"}]");
        assertThat(sim.webSocketUrl()).isEqualTo("ws://127.0.0.1:" + sim.port() + "/stocks");
    }

    @Test
    void authThenOneAckPerTopicThenEachMinutesBarsAsAmEventsEqualToTheTruth() throws InterruptedException {
        StreamClient client = connect();
        client.expectStatus("connected");
        client.send("{\"action\":\"auth\",\"params\":\"some-key\"}");
        assertThat(client.next().text())
                .isEqualTo("[{\"ev\":\"status\",\"status\":\"auth_success\",\"message\":\"authenticated\"}]");

        client.send("{\"action\":\"subscribe\",\"params\":\"AM.AAPL,AM.MSFT\"}");
        JsonNode acks = client.next().json();
        assertThat(acks).hasSize(2);
        assertThat(acks.get(0).get("status").asText()).isEqualTo("success");
        assertThat(acks.get(0).get("message").asText()).isEqualTo("subscribed to: AM.AAPL");
        assertThat(acks.get(1).get("message").asText()).isEqualTo("subscribed to: AM.MSFT");

        sim.advanceMarketClock(Duration.ofMinutes(5));
        Instant end = OPEN.plus(Duration.ofMinutes(5));
        List<SimulatedBar> truth = new ArrayList<>(sim.minuteBars("AAPL", OPEN, end));
        truth.addAll(sim.minuteBars("MSFT", OPEN, end));
        List<JsonNode> am = client.collectAm(events -> events.size() == truth.size());

        for (JsonNode event : am) {
            assertThat(fieldNames(event)).containsExactly("ev", "sym", "v", "av", "op", "vw", "o", "c", "h", "l",
                    "a", "z", "s", "e");
            assertThat(event.get("e").asLong() - event.get("s").asLong()).isEqualTo(60_000L);
            SimulatedBar bar = truth.stream().filter(b -> b.ticker().equals(event.get("sym").asText())
                    && b.t() == event.get("s").asLong()).findFirst().orElseThrow();
            assertThat(event.get("o").asDouble()).isEqualTo(bar.open());
            assertThat(event.get("h").asDouble()).isEqualTo(bar.high());
            assertThat(event.get("l").asDouble()).isEqualTo(bar.low());
            assertThat(event.get("c").asDouble()).isEqualTo(bar.close());
            assertThat(event.get("v").asDouble()).isEqualTo(bar.volume());
            assertThat(event.get("vw").asDouble()).isEqualTo(bar.vwap());
            assertThat(event.get("av").asDouble()).isGreaterThanOrEqualTo(event.get("v").asDouble());
        }
        // Minutes ending at or before the clock, and nothing beyond.
        assertThat(am).allSatisfy(e -> assertThat(e.get("e").asLong()).isLessThanOrEqualTo(end.toEpochMilli()));
        assertThat(sim.stream().awaitCaughtUp(StreamClient.WAIT)).isTrue();
        assertThat(sim.stream().stats().lastPublishedMinute()).isEqualTo(end.minus(Duration.ofMinutes(1)));
    }

    @Test
    void accumulatedVolumeAddsUpTheDaysMinutesAndTheOfficialOpenIsTheFirstMinutesOpen()
            throws InterruptedException {
        StreamClient client = authenticated();
        client.subscribe("AM.NVDA");

        sim.advanceMarketClock(Duration.ofMinutes(3));
        List<SimulatedBar> truth = sim.minuteBars("NVDA", OPEN, OPEN.plus(Duration.ofMinutes(3)));
        List<JsonNode> am = client.collectAm(events -> events.size() == truth.size());

        double sum = 0;
        for (int i = 0; i < am.size(); i++) {
            sum += truth.get(i).volume();
            assertThat(am.get(i).get("av").asDouble()).isCloseTo(sum, org.assertj.core.data.Offset.offset(0.11));
            assertThat(am.get(i).get("op").asDouble()).isEqualTo(truth.get(0).open());
            assertThat(am.get(i).get("a").asDouble()).isBetween(truth.get(0).low() * 0.5, truth.get(0).high() * 2);
        }
    }

    @Test
    void unsubscribeAcksAndStopsThatSymbol() throws InterruptedException {
        StreamClient client = authenticated();
        client.subscribe("AM.AAPL,AM.MSFT");

        client.send("{\"action\":\"unsubscribe\",\"params\":\"AM.MSFT\"}");
        assertThat(client.expectStatus("success").get("message").asText()).isEqualTo("unsubscribed to: AM.MSFT");
        sim.advanceMarketClock(Duration.ofMinutes(3));
        int aapl = sim.minuteBars("AAPL", OPEN, OPEN.plus(Duration.ofMinutes(3))).size();
        List<JsonNode> am = client.collectAm(events -> events.size() == aapl);

        assertThat(am).extracting(e -> e.get("sym").asText()).containsOnly("AAPL");
        // One more minute: only AAPL again (had MSFT still been subscribed, its bar would arrive in the same batch).
        sim.advanceMarketClock(Duration.ofMinutes(1));
        JsonNode next = client.nextEvent(e -> e.path("ev").asText().equals("AM"));
        assertThat(next.get("sym").asText()).isEqualTo("AAPL");
    }

    @Test
    void wildcardSubscriptionGetsEveryListedSymbolThatTradedBatchedInFewMessages() throws InterruptedException {
        try (PolygonSimulator small = PolygonSimulator.builder().marketClock(OPEN, 0)
                .universe(PolygonSimulator.defaultUniverse().subList(0, 1200))
                .streamFaults(StreamFaultPlan.builder().revisions(0).eventsPerMessage(500).build()).start()) {
            StreamClient client = StreamClient.authenticated(small.webSocketUrl(), "k");
            clients.add(client);
            client.subscribe("AM.*");

            small.advanceMarketClock(Duration.ofMinutes(1));
            Set<String> traded = new TreeSet<>();
            for (String ticker : small.universe()) {
                if (!small.minuteBars(ticker, OPEN, OPEN.plus(Duration.ofMinutes(1))).isEmpty()) {
                    traded.add(ticker);
                }
            }
            List<StreamClient.Message> messages = new ArrayList<>();
            int events = 0;
            while (events < traded.size()) {
                StreamClient.Message message = client.next();
                messages.add(message);
                events += message.json().size();
            }

            assertThat(traded).hasSize(1200); // every symbol trades in the opening minute
            assertThat(messages).hasSize(3); // 500 + 500 + 200: Polygon batches events in arrays
            Set<String> seen = new TreeSet<>();
            messages.forEach(m -> m.json().forEach(e -> seen.add(e.get("sym").asText())));
            assertThat(seen).isEqualTo(traded);
        }
    }

    @Test
    void subscribingBeforeAuthAnswersAuthRequired() throws InterruptedException {
        StreamClient client = connect();
        client.expectStatus("connected");

        client.send("{\"action\":\"subscribe\",\"params\":\"AM.AAPL\"}");

        client.expectStatus("auth_required");
    }

    @Test
    void anUnknownSymbolIsAcknowledgedButNeverHasAnEventAndOtherChannelsAreErrors() throws InterruptedException {
        StreamClient client = authenticated();

        client.send("{\"action\":\"subscribe\",\"params\":\"AM.APPL,T.AAPL\"}");
        JsonNode acks = client.next().json();
        assertThat(acks.get(0).get("message").asText()).isEqualTo("subscribed to: AM.APPL");
        assertThat(acks.get(1).get("status").asText()).isEqualTo("error");
        assertThat(acks.get(1).get("message").asText()).contains("T.AAPL");

        client.subscribe("AM.AAPL");
        sim.advanceMarketClock(Duration.ofMinutes(2));
        int aapl = sim.minuteBars("AAPL", OPEN, OPEN.plus(Duration.ofMinutes(2))).size();
        assertThat(client.collectAm(events -> events.size() == aapl))
                .extracting(e -> e.get("sym").asText()).containsOnly("AAPL");
    }

    @Test
    void malformedMessagesAnswerAnErrorStatusAndTheConnectionStays() throws InterruptedException {
        StreamClient client = authenticated();

        client.send("not json");
        client.expectStatus("error");
        client.send("{\"action\":\"dance\"}");
        assertThat(client.expectStatus("error").get("message").asText()).contains("dance");

        client.subscribe("AM.AAPL");
    }

    @Test
    void clientCloseIsEchoedAndTheConnectionCounted() throws InterruptedException {
        StreamClient client = authenticated();
        assertThat(sim.stream().awaitConnections(1, StreamClient.WAIT)).isTrue();

        client.socket().sendClose(1000, "bye").join();

        assertThat(client.awaitEnd()).isEqualTo(1000);
        assertThat(sim.stream().awaitConnections(0, StreamClient.WAIT)).isTrue();
        assertThat(sim.stream().stats().connectionsAccepted()).isEqualTo(1);
        assertThat(sim.stream().stats().authSucceeded()).isEqualTo(1);
    }
}
