package dev.tickeretl.polygon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class BackoffProperties {

    private static AggregatesClient client(long minMs, long maxMs) {
        PolygonSource source = PolygonSource.builder().requireKey(false)
                .backoff(Duration.ofMillis(minMs), Duration.ofMillis(maxMs)).build();
        return new AggregatesClient(source.settings(), new RequestGate(null), new Counters());
    }

    @Property(tries = 200)
    void backoffStaysBetweenMinAndMaxAndGrowsWithTheAttempt(@ForAll @LongRange(min = 1, max = 2_000) long minMs,
                                                             @ForAll @LongRange(min = 0, max = 100_000) long extraMs,
                                                             @ForAll @IntRange(min = 1, max = 200) int attempt) {
        long maxMs = minMs + extraMs;
        Duration delay = client(minMs, maxMs).backoff(attempt);

        assertThat(delay).isBetween(Duration.ofMillis(minMs), Duration.ofMillis(maxMs));
        // Exponential: at least half of min·2^(attempt-1), as far as the cap allows.
        double uncapped = minMs * Math.pow(2, attempt - 1);
        long expectedFloor = (long) Math.min(maxMs, uncapped) / 2;
        assertThat(delay.toMillis()).isGreaterThanOrEqualTo(Math.min(expectedFloor, maxMs) - 1);
    }
}
