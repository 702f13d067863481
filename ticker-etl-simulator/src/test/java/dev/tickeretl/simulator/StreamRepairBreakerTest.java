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
import dev.tickeretl.spi.Metrics;
import dev.tickeretl.spi.Observer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11: a stream outlives a REST outage. When REST answers like a wrong upstream (here: HTML pages with status
 * 200) the REST client's circuit breaker opens; a batch run ends there, but a stream's gap repairs must go on soon
 * after REST answers right again, instead of failing for the breaker's batch delay of a day.
 */
@Timeout(60)
class StreamRepairBreakerTest {

    private static final LocalDate DAY = LocalDate.of(2025, 1, 2);
    private static final Instant OPEN = DAY.atTime(9, 30).atZone(MarketTime.ZONE).toInstant();
    /** More tickers than the stream's 8 repair threads: a retry waiting out the breaker must not hold one. */
    private static final List<String> TICKERS = PolygonSimulator.defaultUniverse().subList(0, 32);
    /** The REST path of the stream's repairs (minute ranges); the WebSocket is not touched by the REST faults. */
    private static final String MINUTE_RANGES = "/range/1/minute/";

    private final URI store = URI.create("memory:repair-breaker-" + UUID.randomUUID());
    private final Recorder observer = new Recorder();
    private PolygonSimulator sim;
    private RunHandle run;

    /** What the stream reports: the breaker's state changes and the REST answers that arrived. */
    private static final class Recorder implements Observer {
        final List<Double> breaker = new CopyOnWriteArrayList<>();
        final AtomicLong answered200 = new AtomicLong();

        @Override
        public void gauge(String name, double value, String... tags) {
            if (name.equals(Metrics.BREAKER_STATE)) {
                breaker.add(value);
            }
        }

        @Override
        public void count(String name, long amount, String... tags) {
            if (name.equals(Metrics.REQUESTS) && Arrays.asList(tags).contains("200")) {
                answered200.addAndGet(amount);
            }
        }
    }

    /** Every line written to standard error (slf4j-simple's target) while it is installed, passed on as well. */
    private static final class ErrCapture implements AutoCloseable {
        final PrintStream original = System.err;
        final ByteArrayOutputStream copy = new ByteArrayOutputStream();

        ErrCapture() {
            OutputStream tee = new OutputStream() {
                @Override
                public void write(int b) {
                    synchronized (copy) {
                        copy.write(b);
                    }
                    original.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    synchronized (copy) {
                        copy.write(b, off, len);
                    }
                    original.write(b, off, len);
                }
            };
            System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
        }

        List<String> lines(String level, String containing) {
            String text;
            synchronized (copy) {
                text = copy.toString(StandardCharsets.UTF_8);
            }
            return text.lines().filter(l -> l.contains(" " + level + " ") && l.contains(containing)).toList();
        }

        @Override
        public void close() {
            System.setErr(original);
        }
    }

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

    @Test
    void aStreamRepairsItsGapSoonAfterRestAnswersRightAgainAndSaysOnceThatRepairsPaused() throws Exception {
        sim = PolygonSimulator.builder().marketClock(OPEN, 0).streamFaults(StreamFaultPlan.none()).start();
        try (ErrCapture log = new ErrCapture()) {
            run = TickerEtl.builder().streaming().tickers(TICKERS).source("polygon", Map.of("base-url", sim.baseUrl(),
                            "ws-url", sim.webSocketUrl(), "require-key", "false", "ping-interval", "PT0.3S",
                            "stream-timeout", "PT1.5S", "repair-breaker-delay", "PT1S")).store(store).observer(observer)
                    .flushInterval(Duration.ofMillis(100)).commitInterval(Duration.ofMillis(100)).shutdownHook(false)
                    .build().start();
            awaitSubscribed(1);
            advance(Duration.ofMinutes(10));
            // The first minute starts each ticker's repair of its session so far: REST answers all of them.
            awaitUntil("the first repairs answered", Duration.ofSeconds(20),
                    () -> observer.answered200.get() >= TICKERS.size());
            awaitStored(et(9, 40), Duration.ofSeconds(20));

            // REST goes wrong, then the connection drops: the reconnect's repairs meet HTML pages and open the breaker.
            sim.faults(FaultPlan.builder().next(100_000, Fault.HTML_PAGE, MINUTE_RANGES).build());
            sim.stream().apply(StreamFault.DROP);
            advance(Duration.ofMinutes(10)); // 9:40..9:49 published to nobody
            awaitSubscribed(2);
            awaitUntil("the breaker to open", Duration.ofSeconds(20),
                    () -> observer.breaker.contains(Metrics.BREAKER_OPEN));

            sim.faults(FaultPlan.none()); // REST is right again
            advance(Duration.ofMinutes(20));
            // With the batch delay of a day the breaker would still be open: nothing of 9:40..9:49 would come.
            // Half-open after 1 s plus the 5 s retry pause; generous, yet far below the 20 s that retries queued
            // behind each other's pauses on the repair threads would take.
            awaitStored(et(10, 10), Duration.ofSeconds(15));
            awaitUntil("every watermark past the repaired span", Duration.ofSeconds(10),
                    () -> TICKERS.stream().allMatch(t -> completeThrough(t).isAfter(et(9, 50))));
            run.stop();
            RunRecord record = run.result();

            assertThat(record.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertStoredEqualsTruth(OPEN, et(10, 0));
            assertThat(TICKERS).allSatisfy(t -> assertThat(completeThrough(t)).isAfter(et(9, 50)));
            // ticker_etl_breaker_state: closed, open, half-open after the delay, closed by the first good answer.
            assertThat(subsequence(observer.breaker, Metrics.BREAKER_CLOSED, Metrics.BREAKER_OPEN,
                    Metrics.BREAKER_HALF_OPEN, Metrics.BREAKER_CLOSED)).isTrue();
            assertThat(observer.breaker.get(observer.breaker.size() - 1)).isEqualTo(Metrics.BREAKER_CLOSED);
            // One line for the pause, one for the resumption: not a WARN per ticker and retry.
            assertThat(log.lines("WARN", "circuit breaker is open")).hasSize(1);
            assertThat(log.lines("WARN", "from REST failed")).isEmpty();
            assertThat(log.lines("INFO", "REST answers right again")).hasSize(1);
        }
    }

    /** Whether {@code values} contains {@code expected} in this order, other values in between allowed. */
    private static boolean subsequence(List<Double> values, double... expected) {
        int i = 0;
        for (double v : values) {
            if (i < expected.length && v == expected[i]) {
                i++;
            }
        }
        return i == expected.length;
    }

    private static Instant et(int hour, int minute) {
        return DAY.atTime(LocalTime.of(hour, minute)).atZone(MarketTime.ZONE).toInstant();
    }

    /** Moves the market clock and waits until the stream has queued everything due. */
    private void advance(Duration by) throws InterruptedException {
        sim.advanceMarketClock(by);
        assertThat(sim.stream().awaitCaughtUp(Duration.ofSeconds(20))).isTrue();
    }

    private Instant completeThrough(String ticker) {
        try (Store s = Store.open(store)) {
            return s.completeThrough(ticker).orElse(Instant.EPOCH);
        }
    }

    /** Waits until the client has authenticated {@code times} times in all and is connected (and subscribed). */
    private void awaitSubscribed(long times) throws InterruptedException {
        awaitUntil("connected and authenticated " + times + " times", Duration.ofSeconds(30), () -> {
            StreamStats stats = sim.stream().stats();
            return stats.authSucceeded() >= times && stats.connectionsOpen() == 1;
        });
        Thread.sleep(300); // the subscribe message follows the auth answer
    }

    /** Waits until every ticker has stored exactly the simulator's minutes of [OPEN, end). */
    private void awaitStored(Instant end, Duration within) throws InterruptedException {
        awaitUntil("every minute before " + MarketTime.eastern(end.toEpochMilli()) + " stored", within, () -> {
            try (Store s = Store.open(store)) {
                for (String ticker : TICKERS) {
                    List<Long> stored = s.bars(ticker, Timespan.MINUTE, DAY, DAY).stream().map(Bar::startMs)
                            .filter(t -> t >= OPEN.toEpochMilli() && t < end.toEpochMilli()).toList();
                    if (!stored.equals(sim.minuteBars(ticker, OPEN, end).stream().map(SimulatedBar::t).toList())) {
                        return false;
                    }
                }
                return true;
            }
        });
    }

    /** Stored minutes of [from, to) equal the simulator's final bars: same minutes, same prices and volume. */
    private void assertStoredEqualsTruth(Instant from, Instant to) {
        try (Store s = Store.open(store)) {
            for (String ticker : TICKERS) {
                List<Bar> stored = s.bars(ticker, Timespan.MINUTE, DAY, DAY).stream()
                        .filter(b -> b.startMs() >= from.toEpochMilli() && b.startMs() < to.toEpochMilli()).toList();
                List<SimulatedBar> truth = sim.minuteBars(ticker, from, to);
                assertThat(truth).as("%s has minutes to repair", ticker).isNotEmpty();
                assertThat(stored).extracting(Bar::startMs).as("%s minutes", ticker).doesNotHaveDuplicates()
                        .containsExactlyElementsOf(truth.stream().map(SimulatedBar::t).toList());
                List<double[]> storedValues = new ArrayList<>();
                List<double[]> truthValues = new ArrayList<>();
                for (int i = 0; i < truth.size(); i++) {
                    Bar b = stored.get(i);
                    SimulatedBar t = truth.get(i);
                    storedValues.add(new double[] {b.open(), b.high(), b.low(), b.close(), b.volume()});
                    truthValues.add(new double[] {t.open(), t.high(), t.low(), t.close(), t.volume()});
                }
                assertThat(storedValues).as("%s prices and volumes", ticker)
                        .usingElementComparator(Arrays::compare).containsExactlyElementsOf(truthValues);
            }
        }
    }

    private static void awaitUntil(String what, Duration within, BooleanSupplier condition)
            throws InterruptedException {
        long giveUp = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - giveUp > 0) {
                throw new AssertionError("waited " + within + " for " + what);
            }
            Thread.sleep(50);
        }
    }
}
