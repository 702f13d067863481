package dev.tickeretl.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.RunRecord;
import dev.tickeretl.RunStatus;
import dev.tickeretl.TickerEtl;
import dev.tickeretl.polygon.PolygonSourceProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3, acceptance 2: against a server that allows 5 requests per 2 s, the Polygon source's own limiter keeps a
 * run of 20 requests inside the limit. (Moved here from ticker-etl-polygon: the simulator depends on the Polygon
 * source, so the Polygon module's tests cannot use it.) How close to the theoretical minimum the run gets is a
 * benchmark claim (bench/), not asserted here.
 */
class SimulatorRateLimitTest {

    @TempDir
    Path dir;

    @Test
    void twentyRequestsAtFivePerTwoSecondsAllSucceedWithoutA429AndNoSoonerThanTheLimitAllows() {
        Duration window = Duration.ofSeconds(2);
        List<String> tickers = PolygonSimulator.defaultUniverse().subList(0, 20);
        try (PolygonSimulator simulator = PolygonSimulator.builder().rateLimit(5, window).start()) {
            long started = System.nanoTime();
            RunRecord run = TickerEtl.builder()
                    .tickers(tickers)
                    .from(LocalDate.of(2025, 1, 2)).to(LocalDate.of(2025, 1, 31))
                    .source(new PolygonSourceProvider(), Map.of("base-url", simulator.baseUrl(),
                            "require-key", "false", "rate-limit", "5/PT2S", "plan", "per-ticker", "concurrency", "4"))
                    .store(dir.toUri())
                    .build().run();
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

            assertThat(run.status()).as(run.toString()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(run.requests().requests()).isEqualTo(20);
            assertThat(run.requests().failedRequests()).isZero();
            assertThat(run.requests().rateLimited()).as("429 answers").isZero();
            assertThat(simulator.requestLog()).hasSize(20).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
            // The 20th request cannot start before three full windows have passed since the first.
            assertThat(elapsed).isGreaterThanOrEqualTo(window.multipliedBy(3));
            assertThat(elapsed).as("generous bound for a shared machine").isLessThan(Duration.ofSeconds(30));
        }
    }
}
