package dev.tickeretl.internal.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.TradingCalendar;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Missing trading days: exactly the NYSE sessions between the first and last present day that have no bar. */
class MissingTradingDaysProperties {

    private static final TradingCalendar NYSE = TradingCalendar.nyse();

    /** Some of the sessions of a stretch of a year or so: which ones decided by {@code keep}. */
    private static List<LocalDate> present(int startOffset, List<Boolean> keep) {
        List<LocalDate> days = NYSE.tradingDays(LocalDate.of(2023, 1, 1).plusDays(startOffset),
                LocalDate.of(2025, 12, 31));
        List<LocalDate> present = new ArrayList<>();
        for (int i = 0; i < keep.size() && i < days.size(); i++) {
            if (keep.get(i)) {
                present.add(days.get(i));
            }
        }
        return present;
    }

    @Property
    void presentAndMissingDaysTogetherAreEverySessionFromFirstToLast(
            @ForAll @IntRange(min = 0, max = 300) int start, @ForAll @Size(min = 2, max = 300) List<Boolean> keep) {
        List<LocalDate> present = present(start, keep);
        if (present.size() < 2) {
            return;
        }
        List<MissingTradingDays.Gap> gaps = MissingTradingDays.gaps(present, NYSE);

        TreeSet<LocalDate> all = new TreeSet<>(present);
        int missingCount = 0;
        for (MissingTradingDays.Gap g : gaps) {
            all.addAll(g.missing());
            missingCount += g.missing().size();
        }
        assertThat(new ArrayList<>(all)).isEqualTo(NYSE.tradingDays(present.get(0),
                present.get(present.size() - 1)));
        assertThat(missingCount).as("no day reported twice, no present day reported")
                .isEqualTo(all.size() - present.size());
    }

    @Property
    void everyGapLiesStrictlyBetweenTwoNeighbouringPresentDaysAndHoldsOnlySessions(
            @ForAll @IntRange(min = 0, max = 300) int start, @ForAll @Size(min = 2, max = 300) List<Boolean> keep) {
        List<LocalDate> present = present(start, keep);
        for (MissingTradingDays.Gap g : MissingTradingDays.gaps(present, NYSE)) {
            assertThat(present).contains(g.before(), g.after());
            assertThat(present.indexOf(g.after())).isEqualTo(present.indexOf(g.before()) + 1);
            assertThat(g.missing()).isNotEmpty().allSatisfy(d -> {
                assertThat(NYSE.isTradingDay(d)).as("%s is a session", d).isTrue();
                assertThat(d).isAfter(g.before()).isBefore(g.after());
            });
        }
    }

    @Example
    void weekendsHolidaysAndClosuresAreNoGap() {
        // Friday 2025-01-17 to Tuesday 2025-01-21: a weekend and Martin Luther King Jr. Day.
        assertThat(MissingTradingDays.between(LocalDate.of(2025, 1, 17), LocalDate.of(2025, 1, 21), NYSE)).isNull();
        // 2025-01-08 to 2025-01-10: the national day of mourning closed the market on the 9th.
        assertThat(MissingTradingDays.between(LocalDate.of(2025, 1, 8), LocalDate.of(2025, 1, 10), NYSE)).isNull();
        // Thursday before Good Friday to the Tuesday after: only Monday is missing.
        assertThat(MissingTradingDays.between(LocalDate.of(2024, 3, 28), LocalDate.of(2024, 4, 2), NYSE).missing())
                .containsExactly(LocalDate.of(2024, 4, 1));
    }

    @Example
    void aGapIsDescribedWithItsDays() {
        MissingTradingDays.Gap gap = MissingTradingDays.between(LocalDate.of(2025, 1, 6), LocalDate.of(2025, 1, 13),
                NYSE);

        assertThat(gap.describe("without a bar")).isEqualTo("3 trading days without a bar between 2025-01-06 and"
                + " 2025-01-13: 2025-01-07, 2025-01-08, 2025-01-10");
    }
}
