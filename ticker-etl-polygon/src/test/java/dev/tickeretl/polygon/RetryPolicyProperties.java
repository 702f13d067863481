package dev.tickeretl.polygon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failsafe.RetryPolicyConfig;
import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/**
 * The source builds its Failsafe policies once, from its settings, and lets Failsafe do backoff, jitter and the
 * budget: any valid combination of backoff and budget gives a policy Failsafe accepts, with these values in it.
 */
class RetryPolicyProperties {

    @Property(tries = 100)
    void everyBackoffAndBudgetGiveOnePolicyThatCarriesThem(
            @ForAll @LongRange(min = 1, max = 120_000) long minMs,
            @ForAll @LongRange(min = 0, max = 300_000) long extraMs,
            @ForAll @LongRange(min = 0, max = 1_200_000) long budgetMs) {
        Duration min = Duration.ofMillis(minMs);
        Duration max = Duration.ofMillis(minMs + extraMs);
        Duration budget = Duration.ofMillis(budgetMs);
        PolygonSource source = PolygonSource.builder().requireKey(false).backoff(min, max).retryBudget(budget)
                .baseUrl("http://127.0.0.1:9").build();

        try (AggregatesClient client = new AggregatesClient(source.settings(), new Counters(), dev.tickeretl.spi.Observer.NONE)) {
            RetryPolicyConfig<AggregatesClient.Attempt> config = client.retryPolicy().getConfig();

            if (budget.isZero()) {
                assertThat(config.getMaxRetries()).isZero();
                return;
            }
            assertThat(config.getMaxRetries()).isEqualTo(-1);
            assertThat(config.getMaxDuration()).isEqualTo(budget);
            assertThat(config.getJitterFactor()).isEqualTo(AggregatesClient.JITTER);
            // The first backoff is min-backoff, or half the budget when the budget is shorter than it.
            Duration first = min.compareTo(budget) < 0 ? min : budget.dividedBy(2);
            assertThat(config.getDelay()).isEqualTo(first);
            if (max.compareTo(first) > 0) {
                assertThat(config.getMaxDelay()).isEqualTo(max);
                assertThat(config.getDelayFactor()).isEqualTo(2.0);
            } else {
                assertThat(config.getMaxDelay()).isNull();
            }
            assertThat(config.getDelayFn()).as("Retry-After goes through Failsafe's delay function").isNotNull();
        }
    }
}
