package dev.tickeretl.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.TradingCalendar;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ThroughputTest {

    @Test
    void servesFiveHundredTickersForAYearWithinSeconds() throws Exception {
        int expectedPerTicker = TradingCalendar.nyse()
                .tradingDays(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31)).size();
        List<String> tickers = PolygonSimulator.defaultUniverse().subList(0, 500);
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try (PolygonSimulator sim = PolygonSimulator.builder().start()) {
            long started = System.nanoTime();
            List<Future<Integer>> counts = new ArrayList<>();
            for (String ticker : tickers) {
                counts.add(clients.submit(() -> Http.get(sim.baseUrl() + "/v2/aggs/ticker/" + ticker
                        + "/range/1/day/2024-01-01/2024-12-31?adjusted=true&sort=asc&limit=50000")
                        .json().get("resultsCount").asInt()));
            }
            for (Future<Integer> count : counts) {
                assertThat(count.get()).isEqualTo(expectedPerTicker);
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

            // Generous for a shared two-core machine; locally this takes well under two seconds.
            assertThat(elapsed).isLessThan(Duration.ofSeconds(15));
            assertThat(sim.requestCount()).isEqualTo(500);
        } finally {
            clients.shutdownNow();
        }
    }
}
