package dev.tickeretl.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The stream and the REST minute endpoint tell one story: REST holds the final version of every streamed minute. */
class StreamRestConsistencyTest {

    static final Instant OPEN = StreamProtocolTest.OPEN;

    private static String key(String ticker, long start) {
        return ticker + "@" + start;
    }

    private static Map<String, JsonNode> restMinutes(PolygonSimulator sim, String ticker, String from, String to) {
        Map<String, JsonNode> bars = new TreeMap<>();
        List<JsonNode> pages = Http.pages(sim.baseUrl() + "/v2/aggs/ticker/" + ticker + "/range/1/minute/" + from
                + "/" + to + "?adjusted=false&limit=50000");
        for (JsonNode bar : Http.results(pages)) {
            bars.put(key(ticker, bar.get("t").asLong()), bar);
        }
        return bars;
    }

    @Test
    void restMinuteBarsAreExactlyTheFinalRevisionOfEveryMinuteTheStreamSent() throws InterruptedException {
        List<String> tickers = PolygonSimulator.defaultUniverse().subList(0, 30);
        try (PolygonSimulator sim = PolygonSimulator.builder().marketClock(OPEN, 0).universe(tickers).pageSize(37)
                .streamFaults(StreamFaultPlan.builder().revisions(0.3).duplicates(0.1).outOfOrder(0.1).build())
                .start();
             StreamClient client = StreamClient.authenticated(sim.webSocketUrl(), "k")) {
            client.subscribe("AM.*");

            for (int i = 0; i < 4; i++) { // 60 minutes in steps, so revisions interleave with new minutes
                sim.advanceMarketClock(Duration.ofMinutes(15));
                assertThat(sim.stream().awaitCaughtUp(StreamClient.WAIT)).isTrue();
            }
            long delivered = sim.stream().stats().eventsDelivered();
            List<JsonNode> events = client.collectAm(am -> am.size() >= delivered);
            Map<String, JsonNode> lastVersion = new HashMap<>();
            events.forEach(e -> lastVersion.put(key(e.get("sym").asText(), e.get("s").asLong()), e));

            long now = sim.marketTime().toEpochMilli();
            // The minute that just ended may still be held back out of order (it comes with the next minute), and a
            // held-back final revision arrives a minute after its due time (at most 16 minutes after the minute
            // ended): compare what has certainly arrived.
            long arrived = now - 60_000L;
            long settled = now - 17 * 60_000L;
            int compared = 0;
            for (String ticker : tickers) {
                // Unix-ms bounds, paged through next_url (37 bars a page).
                Map<String, JsonNode> rest = restMinutes(sim, ticker, Long.toString(OPEN.toEpochMilli()),
                        Long.toString(arrived - 1));
                Map<String, JsonNode> streamed = new TreeMap<>();
                lastVersion.forEach((k, v) -> {
                    if (v.get("sym").asText().equals(ticker) && v.get("s").asLong() < arrived) {
                        streamed.put(k, v);
                    }
                });
                assertThat(rest.keySet()).as(ticker).isEqualTo(streamed.keySet());
                for (Map.Entry<String, JsonNode> entry : rest.entrySet()) {
                    JsonNode bar = entry.getValue();
                    if (bar.get("t").asLong() >= settled) {
                        continue;
                    }
                    JsonNode event = streamed.get(entry.getKey());
                    for (String[] field : new String[][] {{"o", "o"}, {"h", "h"}, {"l", "l"}, {"c", "c"},
                            {"v", "v"}, {"vw", "vw"}}) {
                        assertThat(event.get(field[1])).as(entry.getKey() + " " + field[0]).isEqualTo(bar.get(field[0]));
                    }
                    compared++;
                }
                // Dates as bounds: the same minutes, plus the one that ended just now.
                Map<String, JsonNode> byDate = restMinutes(sim, ticker, "2025-03-03", "2025-03-03");
                byDate.keySet().removeIf(k -> k.endsWith("@" + arrived));
                assertThat(byDate.keySet()).isEqualTo(rest.keySet());
            }
            assertThat(compared).isGreaterThan(30 * 30); // 43 settled minutes of 30 symbols, less quiet minutes
            assertThat(sim.stream().stats().revisionsPublished()).isPositive();
        }
    }

    @Test
    void restServesOnlyMinutesThatHaveEndedOnTheMarketClock() {
        Instant clock = OPEN.plus(Duration.ofSeconds(10 * 60 + 30));
        try (PolygonSimulator sim = PolygonSimulator.builder().marketClock(clock, 0).start()) {
            List<Long> before = new ArrayList<>();
            restMinutes(sim, "AAPL", "2025-03-03", "2025-03-03").values().forEach(b -> before.add(b.get("t").asLong()));
            sim.advanceMarketClock(Duration.ofSeconds(30));
            List<Long> after = new ArrayList<>();
            restMinutes(sim, "AAPL", "2025-03-03", "2025-03-03").values().forEach(b -> after.add(b.get("t").asLong()));

            long lastEnded = OPEN.plus(Duration.ofMinutes(9)).toEpochMilli();
            assertThat(before).isNotEmpty().allMatch(t -> t <= lastEnded);
            assertThat(after).contains(OPEN.plus(Duration.ofMinutes(10)).toEpochMilli())
                    .allMatch(t -> t <= lastEnded + 60_000L);
            // The daily bars and other days are history, served as without a clock.
            assertThat(restMinutes(sim, "AAPL", "2025-02-28", "2025-02-28")).hasSizeGreaterThan(300);
        }
    }

    @Test
    void aTradingDayReplaysAtTheConfiguredSpeedNeverAheadOfTheMarketClock() throws InterruptedException {
        double speed = 600; // ten market minutes per real second
        try (PolygonSimulator sim = PolygonSimulator.builder().marketClock(OPEN, speed)
                .streamFaults(StreamFaultPlan.none()).start();
             StreamClient client = StreamClient.authenticated(sim.webSocketUrl(), "k")) {
            client.subscribe("AM.AAPL");
            long startedNanos = System.nanoTime();
            Instant startedAt = sim.marketTime();

            List<Long> lagMs = new ArrayList<>();
            List<JsonNode> events = client.collectAm(am -> {
                if (!am.isEmpty()) {
                    lagMs.add(sim.marketTime().toEpochMilli() - am.get(am.size() - 1).get("e").asLong());
                }
                return am.size() >= 20;
            });
            double realSeconds = (System.nanoTime() - startedNanos) / 1e9;
            double marketSeconds = Duration.between(startedAt, sim.marketTime()).toMillis() / 1000.0;

            assertThat(marketSeconds / realSeconds).isBetween(speed * 0.9, speed * 1.1);
            assertThat(lagMs).as("an event never comes before its minute ends on the market clock")
                    .allMatch(lag -> lag >= 0)
                    // generous: 30 market minutes are 3 s of real time at this speed
                    .allMatch(lag -> lag <= 30 * 60_000L);
            assertThat(events).extracting(e -> e.get("s").asLong()).isSorted();
            assertThat(realSeconds).as("20 market minutes are 2 s at 600x; generous bound").isLessThan(15);
        }
    }
}
