package dev.tickeretl.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.Bar;
import dev.tickeretl.MarketTime;
import dev.tickeretl.RunHandle;
import dev.tickeretl.RunRecord;
import dev.tickeretl.RunStatus;
import dev.tickeretl.Store;
import dev.tickeretl.TickerEtl;
import dev.tickeretl.Timespan;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole real-time path against the simulator on loopback: the Polygon source on the WebSocket, the pipeline's
 * group commit, and the store. For each fault, the stored minutes equal the simulator's truth at final revision, with
 * no duplicates and a watermark that never claims a minute that is not there.
 */
@Timeout(90)
class LiveStreamTest {

    private static final LocalDate DAY = LocalDate.of(2025, 1, 2);
    private static final Instant OPEN = DAY.atTime(9, 30).atZone(MarketTime.ZONE).toInstant();
    private static final List<String> TICKERS = List.of("AAPL", "MSFT", "NVDA");

    private final URI store = URI.create("memory:live-" + UUID.randomUUID());
    private PolygonSimulator sim;
    private RunHandle run;

    @AfterEach
    void stop() throws Exception {
        if (run != null) {
            run.stop();
            run.awaitTermination(Duration.ofSeconds(30));
        }
        if (sim != null) {
            sim.close();
        }
    }

    /** A simulator whose market clock stands at the open until the test moves it. */
    private PolygonSimulator simulator(StreamFaultPlan faults, String key) {
        PolygonSimulator.Builder b = PolygonSimulator.builder().marketClock(OPEN, 0).streamFaults(faults);
        if (key != null) {
            b.requireKey(key);
        }
        return b.start();
    }

    private RunHandle stream(String key) {
        Map<String, String> options = new HashMap<>(Map.of("base-url", sim.baseUrl(), "ws-url",
                sim.webSocketUrl(), "ping-interval", "PT0.3S", "stream-timeout", "PT1.5S"));
        if (key == null) {
            options.put("require-key", "false");
        } else {
            options.put("api-key", key);
        }
        return TickerEtl.builder().streaming().tickers(TICKERS).source("polygon", options).store(store)
                .flushInterval(Duration.ofMillis(100)).commitInterval(Duration.ofMillis(100)).shutdownHook(false)
                .build().start();
    }

    /** Moves the market clock and waits until the stream has queued everything due. */
    private void advance(Duration by) throws InterruptedException {
        sim.advanceMarketClock(by);
        assertThat(sim.stream().awaitCaughtUp(Duration.ofSeconds(20))).isTrue();
    }

    private List<Bar> stored(String ticker) {
        try (Store s = Store.open(store)) {
            return s.bars(ticker, Timespan.MINUTE, DAY, DAY);
        }
    }

    /** Stored minutes of [from, to) equal the simulator's final bars: same minutes, same prices and volume. */
    private void assertStoredEqualsTruth(Instant from, Instant to) {
        for (String ticker : TICKERS) {
            List<Bar> stored = stored(ticker).stream().filter(b -> b.startMs() >= from.toEpochMilli()
                    && b.startMs() < to.toEpochMilli()).toList();
            List<SimulatedBar> truth = sim.minuteBars(ticker, from, to);
            assertThat(stored).extracting(Bar::startMs).as("%s minutes", ticker).doesNotHaveDuplicates()
                    .containsExactlyElementsOf(truth.stream().map(SimulatedBar::t).toList());
            for (int i = 0; i < truth.size(); i++) {
                Bar s = stored.get(i);
                SimulatedBar t = truth.get(i);
                assertThat(new double[] {s.open(), s.high(), s.low(), s.close(), s.volume()})
                        .as("%s %s", ticker, s.startEt()).containsExactly(t.open(), t.high(), t.low(), t.close(),
                                t.volume());
            }
        }
    }

    /** The committed watermark of every ticker never claims a minute later than what is stored complete. */
    private Map<String, Long> watermarks() {
        Map<String, Long> marks = new HashMap<>();
        try (Store s = Store.open(store)) {
            String json = new String(readState(s), StandardCharsets.UTF_8);
            for (String ticker : TICKERS) {
                int at = json.indexOf("\"" + ticker + "\"");
                int wm = at < 0 ? -1 : json.indexOf("\"complete_through\":\"", at);
                if (wm > 0) {
                    int start = wm + "\"complete_through\":\"".length();
                    marks.put(ticker, Long.parseLong(json.substring(start, json.indexOf('"', start))));
                }
            }
        }
        return marks;
    }

    private byte[] readState(Store s) {
        try (var storage = new dev.tickeretl.internal.MemoryStorage.Provider().open(store,
                dev.tickeretl.spi.ProviderContext.of(Map.of()), dev.tickeretl.spi.Storage.Access.READ_ONLY)) {
            return storage.read("state/offsets/timespan=minute/adjusted=false.json").orElse(new byte[0]);
        }
    }

    private static Instant et(int hour, int minute) {
        return LocalDateTime.of(DAY, java.time.LocalTime.of(hour, minute)).atZone(MarketTime.ZONE).toInstant();
    }

    /** Waits until the client has authenticated {@code times} times in all and is connected (and subscribed). */
    private void awaitSubscribed(long times) throws InterruptedException {
        long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() - giveUp < 0) {
            StreamStats stats = sim.stream().stats();
            if (stats.authSucceeded() >= times && stats.connectionsOpen() == 1) {
                Thread.sleep(300); // the subscribe message follows the auth answer
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("not connected and authenticated " + times + " times");
    }

    /**
     * Waits until {@code ticker}'s last bar before {@code end} (by the simulator's truth: a minute without trades has
     * none) is stored.
     */
    private void awaitStored(String ticker, Instant end) throws InterruptedException {
        List<SimulatedBar> truth = sim.minuteBars(ticker, OPEN, end);
        long last = truth.get(truth.size() - 1).t();
        long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() - giveUp < 0) {
            if (stored(ticker).stream().anyMatch(b -> b.startMs() == last)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(ticker + " has not stored its minute " + Instant.ofEpochMilli(last));
    }

    @Test
    void aCleanFeedIsStoredMinuteByMinuteWithAWatermarkFifteenMinutesBehind() throws Exception {
        sim = simulator(StreamFaultPlan.builder().revisions(0.2).duplicates(0.1).outOfOrder(0.1).build(), null);
        run = stream(null);
        awaitSubscribed(1);
        for (int i = 0; i < 8; i++) {
            advance(Duration.ofMinutes(5));
        }
        awaitStored("AAPL", et(10, 10));
        Thread.sleep(500);
        run.stop();
        RunRecord record = run.result();

        assertThat(record.status()).isEqualTo(RunStatus.SUCCEEDED);
        // Revisions come for up to 15 minutes: the first 25 minutes are final by 10:10.
        assertStoredEqualsTruth(OPEN, et(9, 55));
        Map<String, Long> marks = watermarks();
        assertThat(marks).containsOnlyKeys(TICKERS);
        assertThat(marks.values()).allSatisfy(w -> assertThat(Instant.ofEpochMilli(w))
                .isBetween(et(9, 50), et(9, 55)));
    }

    @Test
    void aDroppedConnectionLosesNoMinute() throws Exception {
        sim = simulator(StreamFaultPlan.none(), null);
        run = stream(null);
        awaitSubscribed(1);
        advance(Duration.ofMinutes(10));
        awaitStored("MSFT", et(9, 40));

        sim.stream().apply(StreamFault.DROP);
        advance(Duration.ofMinutes(10)); // 9:40..9:49 published to nobody
        awaitSubscribed(2);
        advance(Duration.ofMinutes(30));
        awaitStored("MSFT", et(10, 20));
        Thread.sleep(1_000);
        run.stop();
        RunRecord record = run.result();

        assertStoredEqualsTruth(OPEN, et(10, 20));
        assertThat(record.metrics()).containsKey("ticker_etl_repaired_minutes_total");
        assertThat(record.metrics().get("ticker_etl_stream_reconnects_total")).isEqualTo(1.0);
        assertThat(watermarks().values()).allSatisfy(w -> assertThat(Instant.ofEpochMilli(w))
                .isBetween(et(10, 0), et(10, 5)));
    }

    @Test
    void aStalledConnectionIsAbortedByTheWatchdogAndRepaired() throws Exception {
        sim = simulator(StreamFaultPlan.none(), null);
        run = stream(null);
        awaitSubscribed(1);
        advance(Duration.ofMinutes(5));
        awaitStored("NVDA", et(9, 35));

        sim.stream().apply(StreamFault.STALL);
        sim.advanceMarketClock(Duration.ofMinutes(5));
        Thread.sleep(3_000); // longer than the 1.5 s stream timeout
        awaitSubscribed(2);
        advance(Duration.ofMinutes(5));
        awaitStored("NVDA", et(9, 45));
        Thread.sleep(1_000);
        run.stop();
        RunRecord record = run.result();

        assertThat(record.metrics().get("ticker_etl_stream_silent_aborts_total")).isGreaterThanOrEqualTo(1.0);
        assertStoredEqualsTruth(OPEN, et(9, 45));
    }

    @Test
    void theServerEndingTheConnectionIsReportedAndRecovered() throws Exception {
        sim = simulator(StreamFaultPlan.none(), null);
        run = stream(null);
        awaitSubscribed(1);
        advance(Duration.ofMinutes(3));
        long connections = 1;
        for (StreamFault fault : List.of(StreamFault.FORCE_DISCONNECT, StreamFault.SLOW_CONSUMER)) {
            sim.stream().apply(fault);
            advance(Duration.ofMinutes(3));
            awaitSubscribed(++connections);
        }
        advance(Duration.ofMinutes(3));
        awaitStored("AAPL", et(9, 42));
        Thread.sleep(1_000);
        run.stop();
        RunRecord record = run.result();

        assertThat(record.metrics()).containsKeys("ticker_etl_stream_statuses_total{status=\"force_disconnect\"}",
                "ticker_etl_stream_statuses_total{status=\"slow_consumer\"}");
        assertStoredEqualsTruth(OPEN, et(9, 42));
    }

    @Test
    void aRejectedKeyEndsTheRunAtOnceWithoutARetryStorm() throws Exception {
        sim = simulator(StreamFaultPlan.none(), "the-right-key");
        long t0 = System.nanoTime();
        run = stream("a-wrong-key");

        RunRecord record = run.result();

        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
        assertThat(record.status()).isEqualTo(RunStatus.FAILED);
        assertThat(record.error()).contains("auth_failed").doesNotContain("a-wrong-key");
        assertThat(sim.stream().stats().connectionsAccepted()).isEqualTo(1);
        run = null;
    }

    @Test
    void theKeyTravelsOnlyInTheAuthMessage() throws Exception {
        sim = simulator(StreamFaultPlan.none(), "k3y-only-in-auth-0001");
        run = stream("k3y-only-in-auth-0001");
        assertThat(sim.stream().awaitConnections(1, Duration.ofSeconds(20))).isTrue();
        advance(Duration.ofMinutes(2));
        awaitStored("AAPL", et(9, 32));

        assertThat(sim.stream().stats().authSucceeded()).isEqualTo(1);
        assertThat(sim.requestLog()).allSatisfy(r -> assertThat(r.toString()).doesNotContain("k3y-only-in-auth"));
    }

    @Test
    void aRestartedStreamRepairsWhatItMissedWhileItWasDown() throws Exception {
        sim = simulator(StreamFaultPlan.none(), null);
        run = stream(null);
        awaitSubscribed(1);
        advance(Duration.ofMinutes(20));
        awaitStored("AAPL", et(9, 50));
        run.stop();
        run.result();

        sim.advanceMarketClock(Duration.ofMinutes(15)); // nobody listens: 9:50..10:04 are missed
        run = stream(null);
        awaitSubscribed(2);
        advance(Duration.ofMinutes(5));
        awaitStored("AAPL", et(10, 10));
        Thread.sleep(1_000);
        run.stop();
        run.result();

        assertStoredEqualsTruth(OPEN, et(10, 10));
    }
}
