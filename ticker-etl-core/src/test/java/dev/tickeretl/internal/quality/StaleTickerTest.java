package dev.tickeretl.internal.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.TradingCalendar;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class StaleTickerTest {

    private static final TradingCalendar NYSE = TradingCalendar.nyse();
    private final StaleTicker rule = new StaleTicker(3);

    @Test
    void aBarInTheLastThreeSessionsIsFresh() {
        // Sessions up to Wednesday 2025-01-22: the 22nd, the 21st and Friday the 17th (the 20th was a holiday).
        assertThat(rule.windowStart(LocalDate.of(2025, 1, 22), NYSE)).isEqualTo(LocalDate.of(2025, 1, 17));
        assertThat(rule.check(LocalDate.of(2025, 1, 17), LocalDate.of(2025, 1, 22), NYSE)).isNull();
    }

    @Test
    void noBarInTheLastThreeSessionsIsStaleAndSaysSinceWhen() {
        assertThat(rule.check(LocalDate.of(2025, 1, 16), LocalDate.of(2025, 1, 22), NYSE))
                .isEqualTo("no bar in the last 3 sessions up to 2025-01-22 (the newest bar is of 2025-01-16, 3"
                        + " sessions earlier): delisted, halted, renamed, or no longer delivered?");
        assertThat(rule.check(null, LocalDate.of(2025, 1, 22), NYSE)).contains("no earlier bar found");
    }

    @Test
    void aRangeEndingOnAClosedDayCountsFromTheSessionBefore() {
        // Saturday 2025-01-25: the window is the sessions of the 22nd, 23rd and 24th.
        assertThat(rule.windowStart(LocalDate.of(2025, 1, 25), NYSE)).isEqualTo(LocalDate.of(2025, 1, 22));
        assertThat(rule.check(LocalDate.of(2025, 1, 22), LocalDate.of(2025, 1, 25), NYSE)).isNull();
        assertThat(rule.check(LocalDate.of(2025, 1, 21), LocalDate.of(2025, 1, 25), NYSE)).isNotNull();
    }
}
