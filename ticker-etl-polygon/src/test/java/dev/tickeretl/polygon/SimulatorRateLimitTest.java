package dev.tickeretl.polygon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.Timespan;
import dev.tickeretl.spi.RequestStats;
import dev.tickeretl.spi.SourceRequest;
import dev.tickeretl.spi.TickerRange;
import dev.tickeretl.testkit.simulator.PolygonSimulator;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 3, acceptance 2: against a server that allows 5 requests per 2 s, a run needing 20 requests fails none and
 * draws no 429: the server's own sliding window saw the client keep the limit. How close the run comes to the
 * theoretical minimum is a speed claim, measured by {@code bench/e2e.sh} scenario (e) on a quiet machine, not here on
 * a shared one.
 */
class SimulatorRateLimitTest {

    @Test
    void twentyRequestsAtFivePerTwoSecondsDrawNo429AndCannotFinishInFewerThanThreeWindows() throws Exception {
        Duration window = Duration.ofSeconds(2);
        List<TickerRange> ranges = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ranges.add(new TickerRange("TK" + (char) ('A' + i), LocalDate.of(2025, 1, 2), LocalDate.of(2025, 1, 31)));
        }
        try (PolygonSimulator simulator = PolygonSimulator.builder().rateLimit(5, window).start();
             PolygonSource source = PolygonSource.builder().baseUrl(simulator.baseUrl()).requireKey(false)
                     .rateLimit(5, window).plan(PolygonSource.Plan.PER_TICKER).concurrency(4).build()) {

            Drained run = Drained.run(source, new SourceRequest(Timespan.DAY, true, ranges));

            RequestStats stats = source.stats();
            double minimumSeconds = (Math.ceil(20 / 5.0) - 1) * window.toSeconds();
            assertThat(run.failure()).isNull();
            assertThat(run.failed()).isEmpty();
            assertThat(run.done()).hasSize(20);
            assertThat(stats.requests()).isEqualTo(20);
            assertThat(stats.failedRequests()).isZero();
            assertThat(stats.rateLimited()).as("429 answers").isZero();
            // The 20th request cannot start before 3 windows have passed without breaking the limit; a run faster
            // than that would be a bug, however fast the machine. (Drained gives up after 30 s.)
            assertThat(run.elapsed().toMillis() / 1000.0).isGreaterThanOrEqualTo(minimumSeconds);
            assertThat(simulator.requestLog()).hasSize(20).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        }
    }
}
