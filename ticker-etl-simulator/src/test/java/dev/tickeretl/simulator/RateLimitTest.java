package dev.tickeretl.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimitTest {

    @Test
    void requestsBeyondTheLimitGet429WithRetryAfterWhileTheWindowIsFull() {
        // A window far longer than the test takes even on a busy machine; recovery at the window's end is proven on
        // the limiter itself (slidingWindow... below), without waiting on the wall clock.
        try (PolygonSimulator sim = PolygonSimulator.builder().rateLimit(3, Duration.ofMinutes(2)).start()) {
            String url = sim.baseUrl() + "/v2/aggs/ticker/AAPL/range/1/day/2024-01-02/2024-01-05";
            for (int i = 0; i < 3; i++) {
                assertThat(Http.get(url).status()).isEqualTo(200);
            }

            Http.Answer limited = Http.get(url);

            assertThat(limited.status()).isEqualTo(429);
            // What is left of the window, rounded up to whole seconds.
            assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow()))
                    .isBetween(1L, 120L);
            assertThat(limited.json().get("status").asText()).isEqualTo("ERROR");
            assertThat(limited.json().get("error").asText()).contains("exceeded the maximum requests");
            assertThat(Http.get(url).status()).isEqualTo(429);
            assertThat(sim.requestLog()).extracting(RecordedRequest::status)
                    .containsExactly(200, 200, 200, 429, 429);
        }
    }

    @Test
    void retryAfterRoundsUpToWholeSeconds() {
        assertThat(SimulatorHandler.retryAfterSeconds(1)).isEqualTo(1);
        assertThat(SimulatorHandler.retryAfterSeconds(1_000_000_000L)).isEqualTo(1);
        assertThat(SimulatorHandler.retryAfterSeconds(1_000_000_001L)).isEqualTo(2);
        assertThat(SimulatorHandler.retryAfterSeconds(2_500_000_000L)).isEqualTo(3);
    }

    @Test
    void slidingWindowRefusesABurstRightAfterTheWindowBoundaryOfAFullWindow() {
        SlidingWindowLimiter limiter = new SlidingWindowLimiter(2, 1_000);
        assertThat(limiter.tryAcquire(0)).isZero();
        assertThat(limiter.tryAcquire(900)).isZero();
        assertThat(limiter.tryAcquire(950)).isEqualTo(50);
        assertThat(limiter.tryAcquire(1_000)).isZero();      // the first permit slid out
        assertThat(limiter.tryAcquire(1_100)).isEqualTo(800); // the one at 900 is still in the window
        assertThat(limiter.tryAcquire(1_900)).isZero();
    }
}
