package dev.tickeretl.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickeretl.Bar;
import dev.tickeretl.Phase;
import dev.tickeretl.Timespan;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestBarsTest {

    @Test
    void dailyBarStartsAtMidnightNewYorkWhateverTheDefaultZone() {
        Bar winter = TestBars.day("AAPL", LocalDate.of(2005, 4, 1));
        Bar summer = TestBars.day("AAPL", LocalDate.of(2005, 4, 4));

        // Polygon's own values for these days (EST, then EDT after the 2005 switch).
        assertThat(winter.startMs()).isEqualTo(1112331600000L);
        assertThat(summer.startMs()).isEqualTo(1112587200000L);
        assertThat(winter.startEt().getOffset()).isEqualTo(ZoneOffset.ofHours(-5));
        assertThat(summer.startEt().getOffset()).isEqualTo(ZoneOffset.ofHours(-4));
        assertThat(summer.startUtc()).isEqualTo(Instant.parse("2005-04-04T04:00:00Z"));
        assertThat(summer.tradingDate()).isEqualTo(LocalDate.of(2005, 4, 4));
        assertThat(summer.timespan()).isEqualTo(Timespan.DAY);
    }

    @Test
    void lateEveningMinuteBarKeepsItsNewYorkTradingDate() {
        Bar bar = TestBars.minute("AAPL", LocalDateTime.of(2024, 3, 11, 23, 30));

        assertThat(bar.tradingDate()).isEqualTo(LocalDate.of(2024, 3, 11));
        assertThat(bar.startUtc()).isEqualTo(Instant.parse("2024-03-12T03:30:00Z"));
        assertThat(bar.timespan()).isEqualTo(Timespan.MINUTE);
    }

    @Test
    void sameArgumentsMakeEqualBarsThatSurviveTheJsonRoundTrip() {
        Bar bar = TestBars.day("MSFT", LocalDate.of(2024, 2, 29));

        assertThat(TestBars.day("MSFT", LocalDate.of(2024, 2, 29))).isEqualTo(bar);
        assertThat(Bar.parse(bar.toJson())).isEqualTo(bar);
        Bar minute = TestBars.minute("MSFT", LocalDateTime.of(2024, 11, 3, 1, 30));
        assertThat(Bar.parse(minute.toJson())).isEqualTo(minute);
    }

    @Test
    void generatedBarsAreValidAndNeutralByDefault() {
        for (Bar b : TestBars.weekdays("NVDA", LocalDate.of(2023, 1, 1), LocalDate.of(2024, 12, 31))) {
            assertThat(b.high()).isGreaterThanOrEqualTo(Math.max(b.open(), b.close()));
            assertThat(b.low()).isLessThanOrEqualTo(Math.min(b.open(), b.close())).isPositive();
            assertThat(b.volume()).isPositive();
            assertThat(b.phase()).isEqualTo(Phase.NEUTRAL);
            assertThat(b.priorVolume()).isNull();
        }
    }

    @Test
    void weekdaysSkipSaturdayAndSunday() {
        List<Bar> bars = TestBars.weekdays("AAPL", LocalDate.of(2024, 3, 1), LocalDate.of(2024, 3, 31));

        assertThat(bars).hasSize(21);
        assertThat(bars).extracting(b -> b.tradingDate().getDayOfWeek())
                .doesNotContain(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
    }

    @Test
    void givenPhaseAndPriorVolumeAreKept() {
        Bar bar = TestBars.day("AAPL", LocalDate.of(2024, 4, 1), 10, 12, 9, 11, 2000, Phase.BULL, 1500.0);

        assertThat(bar.phase()).isEqualTo(Phase.BULL);
        assertThat(bar.priorVolume()).isEqualTo(1500.0);
        assertThat(bar.close()).isEqualTo(11);
    }

    @Test
    void invalidValuesAreRefused() {
        assertThatThrownBy(() -> TestBars.day("AAPL", LocalDate.of(2024, 4, 1), 10, 9, 8, 9.5, 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("high 9.0");
        assertThatThrownBy(() -> TestBars.day("AAPL", LocalDate.of(2024, 4, 1), 10, 12, 9, 11, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("volume -1.0");
    }

    @Test
    void changedCopiesStayValidAndKeepTheirKey() {
        Bar bar = TestBars.day("AAPL", LocalDate.of(2024, 4, 1), 10, 12, 9, 11, 2000);

        Bar higher = TestBars.withClose(bar, 13);
        Bar busier = TestBars.withVolume(bar, 2500);

        assertThat(higher.key()).isEqualTo(bar.key());
        assertThat(higher.high()).isEqualTo(13);
        assertThat(higher).isNotEqualTo(bar);
        assertThat(busier.key()).isEqualTo(bar.key());
        assertThat(busier.volume()).isEqualTo(2500);
    }
}
