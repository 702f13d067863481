package dev.tickeretl.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.Bar;
import dev.tickeretl.MarketTime;
import dev.tickeretl.RunHandle;
import dev.tickeretl.Store;
import dev.tickeretl.TickerEtl;
import dev.tickeretl.Timespan;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * For any schedule of drops, stalls, server-side disconnects, duplicates, reordered events, revisions and split
 * messages, the stored minutes equal the simulator's truth at final revision, with no duplicate key. Each try is a
 * real stream against the simulator on loopback, with the market clock moved by the test, so tries are few and the
 * schedules short.
 */
class LiveStreamProperties {

    private static final LocalDate DAY = LocalDate.of(2025, 1, 2);
    private static final Instant OPEN = DAY.atTime(9, 30).atZone(MarketTime.ZONE).toInstant();
    private static final List<String> TICKERS = List.of("AAPL", "MSFT");

    /** What happens at the end of each 4-minute step of market time. */
    record Schedule(List<StreamFault> faults, double revisions, double duplicates, double reorder, int fragment) {
    }

    @Provide
    Arbitrary<Schedule> schedules() {
        Arbitrary<StreamFault> fault = Arbitraries.of(StreamFault.DROP, StreamFault.STALL,
                StreamFault.FORCE_DISCONNECT, StreamFault.SLOW_CONSUMER, null, null);
        return Combinators.combine(fault.list().ofMinSize(1).ofMaxSize(3), Arbitraries.of(0.0, 0.3, 0.8),
                        Arbitraries.of(0.0, 0.3), Arbitraries.of(0.0, 0.3), Arbitraries.of(0, 0, 40))
                .as(Schedule::new);
    }

    @Property(tries = 4, shrinking = net.jqwik.api.ShrinkingMode.OFF)
    void anyScheduleOfFaultsStoresExactlyTheFinalMinutes(@ForAll("schedules") Schedule schedule) throws Exception {
        StreamFaultPlan.Builder plan = StreamFaultPlan.builder().revisions(schedule.revisions())
                .duplicates(schedule.duplicates()).outOfOrder(schedule.reorder());
        if (schedule.fragment() > 0) {
            plan.fragmentBytes(schedule.fragment());
        }
        URI store = URI.create("memory:live-property-" + UUID.randomUUID());
        try (PolygonSimulator sim = PolygonSimulator.builder().marketClock(OPEN, 0).streamFaults(plan.build())
                .start()) {
            RunHandle run = TickerEtl.builder().streaming().tickers(TICKERS).source("polygon", Map.of("base-url",
                            sim.baseUrl(), "ws-url", sim.webSocketUrl(), "require-key", "false", "ping-interval",
                            "PT0.3S", "stream-timeout", "PT1.5S")).store(store).flushInterval(Duration.ofMillis(100))
                    .shutdownHook(false).build().start();
            try {
                long connections = awaitSubscribed(sim, 1);
                for (StreamFault fault : schedule.faults()) {
                    advance(sim, Duration.ofMinutes(4));
                    if (fault != null) {
                        sim.stream().apply(fault);
                        if (fault == StreamFault.STALL) {
                            Thread.sleep(2_500); // the watchdog gives up after 1.5 s of silence
                        }
                        advance(sim, Duration.ofMinutes(2)); // published while nobody listens
                        connections = awaitSubscribed(sim, connections + 1);
                    }
                }
                // Twenty more minutes: every revision of what is compared has come, and the last gap is repaired.
                for (int i = 0; i < 5; i++) {
                    advance(sim, Duration.ofMinutes(4));
                }
                Instant end = sim.marketTime().minus(Duration.ofMinutes(16));
                awaitStored(sim, store, end);
            } finally {
                run.stop();
                run.awaitTermination(Duration.ofSeconds(30));
            }
            Instant end = sim.marketTime().minus(Duration.ofMinutes(16));
            for (String ticker : TICKERS) {
                List<Bar> stored = stored(store, ticker).stream().filter(b -> b.startMs() < end.toEpochMilli())
                        .toList();
                List<SimulatedBar> truth = sim.minuteBars(ticker, OPEN, end);
                assertThat(stored).extracting(Bar::startMs).as("%s with %s", ticker, schedule)
                        .doesNotHaveDuplicates().containsExactlyElementsOf(truth.stream().map(SimulatedBar::t)
                                .toList());
                for (int i = 0; i < truth.size(); i++) {
                    assertThat(stored.get(i).volume()).as("%s %s with %s", ticker, stored.get(i).startEt(), schedule)
                            .isEqualTo(truth.get(i).volume());
                    assertThat(stored.get(i).close()).isEqualTo(truth.get(i).close());
                }
            }
        }
    }

    private static void advance(PolygonSimulator sim, Duration by) throws InterruptedException {
        sim.advanceMarketClock(by);
        assertThat(sim.stream().awaitCaughtUp(Duration.ofSeconds(20))).isTrue();
    }

    private static long awaitSubscribed(PolygonSimulator sim, long times) throws InterruptedException {
        long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() - giveUp < 0) {
            StreamStats stats = sim.stream().stats();
            if (stats.authSucceeded() >= times && stats.connectionsOpen() == 1) {
                Thread.sleep(300);
                return stats.authSucceeded();
            }
            Thread.sleep(10);
        }
        throw new AssertionError("not connected and authenticated " + times + " times");
    }

    /**
     * Waits until every ticker's committed watermark covers the last minute compared: only then is each of those
     * minutes stored at its final revision (a revision still queued in the client when the run stops is not).
     */
    private static void awaitStored(PolygonSimulator sim, URI store, Instant end) throws InterruptedException {
        long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (String ticker : TICKERS) {
            List<SimulatedBar> truth = sim.minuteBars(ticker, OPEN, end);
            Instant last = Instant.ofEpochMilli(truth.get(truth.size() - 1).t());
            while (!watermark(store, ticker).map(w -> !w.isBefore(last)).orElse(false)) {
                if (System.nanoTime() - giveUp > 0) {
                    return; // the assertion says what is missing
                }
                Thread.sleep(20);
            }
        }
    }

    private static java.util.Optional<Instant> watermark(URI store, String ticker) {
        try (Store s = Store.open(store)) {
            return s.completeThrough(ticker);
        } catch (dev.tickeretl.StoreException e) {
            return java.util.Optional.empty(); // nothing committed yet
        }
    }

    private static List<Bar> stored(URI store, String ticker) {
        try (Store s = Store.open(store)) {
            return s.bars(ticker, Timespan.MINUTE, DAY, DAY);
        }
    }
}
