package dev.tickeretl.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.Bar;
import dev.tickeretl.MarketTime;
import dev.tickeretl.RunHandle;
import dev.tickeretl.Store;
import dev.tickeretl.TickerEtl;
import dev.tickeretl.Timespan;
import dev.tickeretl.polygon.PolygonSource;
import dev.tickeretl.spi.Observer;
import dev.tickeretl.spi.OffsetReader;
import dev.tickeretl.spi.SourceEvent;
import dev.tickeretl.spi.SourceRequest;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the stream source measures for the real-time benchmarks: receive-to-durable from the socket, and how long
 * after a (re)connect every gap is repaired and durable.
 */
@Timeout(90)
class StreamMeasurementsTest {

    private static final LocalDate DAY = LocalDate.of(2025, 1, 2);
    private static final Instant OPEN = DAY.atTime(9, 30).atZone(MarketTime.ZONE).toInstant();

    /** Keeps every timing, with what a check said at that moment. */
    private static final class Timings implements Observer {
        private record Timing(String name, Duration duration) {
        }

        final List<Timing> timings = new CopyOnWriteArrayList<>();
        volatile Runnable onRepaired = () -> { };

        @Override
        public void time(String name, Duration duration, String... tags) {
            // The check runs before the timing is kept: a test waiting for the timing must not move on (and change
            // what the check expects) while the check is still reading the store.
            if (name.equals("ticker_etl_repair_duration")) {
                onRepaired.run();
            }
            timings.add(new Timing(name, duration));
        }

        List<Duration> of(String name) {
            return timings.stream().filter(t -> t.name().equals(name)).map(Timing::duration).toList();
        }
    }

    private static void awaitSubscribed(PolygonSimulator sim, long times) throws InterruptedException {
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

    @Test
    void receiveToDurableCountsFromTheSocketSoAMessageWaitingInTheQueueIsTimedWithItsWait() throws Exception {
        Timings timings = new Timings();
        try (PolygonSimulator sim = PolygonSimulator.builder().marketClock(OPEN, 0)
                .streamFaults(StreamFaultPlan.none()).start();
             PolygonSource source = PolygonSource.builder().baseUrl(sim.baseUrl()).webSocketUrl(sim.webSocketUrl())
                     .requireKey(false).observer(timings).build()) {
            source.start(SourceRequest.unbounded(Timespan.MINUTE, false, List.of("AAPL")), OffsetReader.EMPTY);
            awaitSubscribed(sim, 1);
            sim.advanceMarketClock(Duration.ofMinutes(1));
            assertThat(sim.stream().awaitCaughtUp(Duration.ofSeconds(20))).isTrue();
            Thread.sleep(600); // the 9:30 bar arrived and waits in the source's queue: the pipeline is busy elsewhere

            SourceEvent.Bars bars = null;
            long giveUp = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (bars == null && System.nanoTime() - giveUp < 0) {
                if (source.poll(Duration.ofMillis(100)) instanceof SourceEvent.Bars b && !b.bars().isEmpty()) {
                    bars = b;
                }
            }
            assertThat(bars).as("the 9:30 bar").isNotNull();
            source.written(bars.partition(), bars.offset());

            assertThat(timings.of("ticker_etl_receive_to_durable")).singleElement()
                    .satisfies(d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ofMillis(500)));
        }
    }

    @Test
    void aReconnectRepairsTheMissedMinutesWithoutWaitingForTheNextMinuteAndReportsWhenTheyAreStored()
            throws Exception {
        List<String> tickers = List.of("AAPL", "MSFT", "NVDA");
        URI store = URI.create("memory:repair-" + UUID.randomUUID());
        Timings timings = new Timings();
        List<String> missingWhenReported = new CopyOnWriteArrayList<>();
        try (PolygonSimulator sim = PolygonSimulator.builder().marketClock(OPEN, 0)
                .streamFaults(StreamFaultPlan.none()).start()) {
            Instant[] repairedThrough = {OPEN.plusSeconds(60)};
            timings.onRepaired = () -> {
                // Called on the pipeline's thread the moment the source reports it: the store must have them all.
                try (Store s = Store.open(store)) {
                    for (String ticker : tickers) {
                        List<Long> stored = s.bars(ticker, Timespan.MINUTE, DAY, DAY).stream().map(Bar::startMs)
                                .toList();
                        for (SimulatedBar truth : sim.minuteBars(ticker, OPEN, repairedThrough[0])) {
                            if (!stored.contains(truth.t())) {
                                missingWhenReported.add(ticker + " " + MarketTime.eastern(truth.t()));
                            }
                        }
                    }
                }
            };
            RunHandle run = TickerEtl.builder().streaming().tickers(tickers).source("polygon", Map.of("base-url",
                            sim.baseUrl(), "ws-url", sim.webSocketUrl(), "require-key", "false", "ping-interval",
                            "PT0.3S", "stream-timeout", "PT1.5S")).store(store).observer(timings)
                    .flushInterval(Duration.ofMillis(100)).commitInterval(Duration.ofMillis(100)).shutdownHook(false)
                    .build().start();
            try {
                awaitSubscribed(sim, 1);
                sim.advanceMarketClock(Duration.ofMinutes(5));
                assertThat(sim.stream().awaitCaughtUp(Duration.ofSeconds(20))).isTrue();
                awaitTimings(timings, 1);

                int requestsBefore = sim.requestCount();
                sim.stream().apply(StreamFault.DROP);
                repairedThrough[0] = OPEN.plus(Duration.ofMinutes(15));
                sim.advanceMarketClock(Duration.ofMinutes(10)); // 9:35..9:44 published to nobody
                assertThat(sim.stream().awaitCaughtUp(Duration.ofSeconds(20))).isTrue();
                awaitSubscribed(sim, 2);
                // The clock stands still: no minute ends on the new connection, yet the missed ones are repaired.
                awaitTimings(timings, 2);
                Thread.sleep(500);
                assertThat(sim.requestCount() - requestsBefore).as("one REST request per ticker, not one per poll")
                        .isEqualTo(tickers.size());

                sim.advanceMarketClock(Duration.ofMinutes(20));
                assertThat(sim.stream().awaitCaughtUp(Duration.ofSeconds(20))).isTrue();
                awaitStored(store, sim, tickers, OPEN.plus(Duration.ofMinutes(35)));
            } finally {
                run.stop();
                run.awaitTermination(Duration.ofSeconds(30));
            }
        }
        assertThat(timings.of("ticker_etl_repair_duration")).hasSize(2)
                .allSatisfy(d -> assertThat(d).isPositive().isLessThan(Duration.ofSeconds(60)));
        assertThat(missingWhenReported).as("minutes not yet stored when the repair was reported").isEmpty();
    }

    /** Waits until every ticker's minutes before {@code end} equal the simulator's final bars. */
    private static void awaitStored(URI store, PolygonSimulator sim, List<String> tickers, Instant end)
            throws InterruptedException {
        long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            boolean all = true;
            try (Store s = Store.open(store)) {
                for (String ticker : tickers) {
                    List<Long> stored = s.bars(ticker, Timespan.MINUTE, DAY, DAY).stream().map(Bar::startMs)
                            .filter(t -> t < end.toEpochMilli()).toList();
                    all &= stored.equals(sim.minuteBars(ticker, OPEN, end).stream().map(SimulatedBar::t).toList());
                }
            }
            if (all) {
                return;
            }
            assertThat(System.nanoTime() - giveUp).as("every minute before %s stored", end).isNegative();
            Thread.sleep(50);
        }
    }

    private static void awaitTimings(Timings timings, int count) throws InterruptedException {
        long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (timings.of("ticker_etl_repair_duration").size() < count && System.nanoTime() - giveUp < 0) {
            Thread.sleep(20);
        }
        assertThat(timings.of("ticker_etl_repair_duration")).as("repair rounds").hasSize(count);
    }
}
