package dev.tickeretl.polygon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2025-03-04T15:30:00Z");

    @Test
    void deltaSecondsAreSeconds() {
        assertThat(RetryAfter.parse("12", NOW)).contains(Duration.ofSeconds(12));
        assertThat(RetryAfter.parse(" 0 ", NOW)).contains(Duration.ZERO);
    }

    @Test
    void anHttpDateIsTheTimeUntilThen() {
        assertThat(RetryAfter.parse("Tue, 04 Mar 2025 15:30:45 GMT", NOW)).contains(Duration.ofSeconds(45));
    }

    @Test
    void aDateInThePastMeansNow() {
        assertThat(RetryAfter.parse("Tue, 04 Mar 2025 15:29:00 GMT", NOW)).contains(Duration.ZERO);
    }

    @Test
    void absentOrUnreadableGivesNothingSoTheCallerBacksOff() {
        assertThat(RetryAfter.parse(null, NOW)).isEmpty();
        assertThat(RetryAfter.parse("", NOW)).isEmpty();
        assertThat(RetryAfter.parse("soon", NOW)).isEmpty();
        assertThat(RetryAfter.parse("-5", NOW)).isEmpty();
        assertThat(RetryAfter.parse("1.5", NOW)).isEmpty();
    }

    @Test
    void anAbsurdlyLongDelayStaysLongInsteadOfOverflowing() {
        assertThat(RetryAfter.parse("99999999999999999999999", NOW)).hasValueSatisfying(
                d -> assertThat(d).isGreaterThan(Duration.ofDays(365)));
    }
}
