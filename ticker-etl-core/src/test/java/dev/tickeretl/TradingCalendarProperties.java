package dev.tickeretl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Invariants of the NYSE calendar over 1990–2050. */
class TradingCalendarProperties {

    private static final LocalDate FIRST = LocalDate.of(1990, 1, 1);
    private static final LocalDate LAST = LocalDate.of(2050, 12, 31);

    private final TradingCalendar nyse = TradingCalendar.nyse();

    @Provide
    Arbitrary<LocalDate> dates() {
        return Arbitraries.longs().between(FIRST.toEpochDay(), LAST.toEpochDay()).map(LocalDate::ofEpochDay);
    }

    @Property(tries = 2000)
    void noWeekendIsATradingDay(@ForAll("dates") LocalDate d) {
        if (d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY) {
            assertThat(nyse.isTradingDay(d)).isFalse();
            assertThat(nyse.isHoliday(d)).isFalse();
            assertThat(nyse.session(d)).isEmpty();
        }
    }

    @Property(tries = 2000)
    void aClosedWeekdayIsAlwaysANamedHoliday(@ForAll("dates") LocalDate d) {
        boolean weekday = d.getDayOfWeek() != DayOfWeek.SATURDAY && d.getDayOfWeek() != DayOfWeek.SUNDAY;
        assertThat(nyse.isHoliday(d)).isEqualTo(weekday && !nyse.isTradingDay(d));
        assertThat(nyse.holidayName(d).isPresent()).isEqualTo(nyse.isHoliday(d));
    }

    @Property(tries = 2000)
    void previousTradingDayIsTheClosestEarlierTradingDay(@ForAll("dates") LocalDate d) {
        LocalDate prev = nyse.previousTradingDay(d);
        assertThat(prev).isBefore(d);
        assertThat(nyse.isTradingDay(prev)).isTrue();
        for (LocalDate between = prev.plusDays(1); between.isBefore(d); between = between.plusDays(1)) {
            assertThat(nyse.isTradingDay(between)).as("%s lies between %s and %s", between, prev, d).isFalse();
        }
    }

    @Property(tries = 2000)
    void nextTradingDayIsTheClosestLaterTradingDay(@ForAll("dates") LocalDate d) {
        LocalDate next = nyse.nextTradingDay(d);
        assertThat(next).isAfter(d);
        assertThat(nyse.isTradingDay(next)).isTrue();
        for (LocalDate between = d.plusDays(1); between.isBefore(next); between = between.plusDays(1)) {
            assertThat(nyse.isTradingDay(between)).as("%s lies between %s and %s", between, d, next).isFalse();
        }
    }

    @Property(tries = 2000)
    void nextUndoesPreviousAndPreviousUndoesNextOnTradingDays(@ForAll("dates") LocalDate d) {
        LocalDate tradingDay = nyse.isTradingDay(d) ? d : nyse.nextTradingDay(d);
        assertThat(nyse.nextTradingDay(nyse.previousTradingDay(tradingDay))).isEqualTo(tradingDay);
        assertThat(nyse.previousTradingDay(nyse.nextTradingDay(tradingDay))).isEqualTo(tradingDay);
    }

    @Property(tries = 2000)
    void fromAnyDateNextOfPreviousIsTheFirstTradingDayOnOrAfterIt(@ForAll("dates") LocalDate d) {
        LocalDate onOrAfter = nyse.isTradingDay(d) ? d : nyse.nextTradingDay(d);
        LocalDate onOrBefore = nyse.isTradingDay(d) ? d : nyse.previousTradingDay(d);
        assertThat(nyse.nextTradingDay(nyse.previousTradingDay(d))).isEqualTo(onOrAfter);
        assertThat(nyse.previousTradingDay(nyse.nextTradingDay(d))).isEqualTo(onOrBefore);
    }

    @Property(tries = 500)
    void tradingDaysAreExactlyTheDatesThatAreTradingDays(@ForAll("dates") LocalDate from,
                                                         @ForAll @IntRange(min = -5, max = 1200) int span) {
        LocalDate to = from.plusDays(span);
        List<LocalDate> expected = Stream.iterate(from, x -> !x.isAfter(to), x -> x.plusDays(1))
                .filter(nyse::isTradingDay)
                .toList();
        assertThat(nyse.tradingDays(from, to)).isEqualTo(expected);
        assertThat(nyse.countTradingDays(from, to)).isEqualTo(expected.size());
    }

    @Property
    void everyYearFrom2000To2035HasBetween248And254TradingDays(@ForAll @IntRange(min = 2000, max = 2035) int year) {
        int days = nyse.countTradingDays(LocalDate.of(year, 1, 1), LocalDate.of(year, 12, 31));
        assertThat(days).isBetween(248, 254);
    }

    @Property(tries = 2000)
    void sessionsOpenAtNineThirtyAndCloseAtFourOrEarlyInNewYork(@ForAll("dates") LocalDate d) {
        Optional<TradingCalendar.Session> session = nyse.session(d);
        assertThat(session.isPresent()).isEqualTo(nyse.isTradingDay(d));
        session.ifPresent(s -> {
            assertThat(s.date()).isEqualTo(d);
            assertThat(s.open().getZone()).isEqualTo(MarketTime.ZONE);
            assertThat(s.open().toLocalDate()).isEqualTo(d);
            assertThat(s.open().toLocalTime()).isEqualTo(LocalTime.of(9, 30));
            LocalTime expectedClose = !s.earlyClose() ? LocalTime.of(16, 0)
                    : d.getYear() < 1993 ? LocalTime.of(14, 0) : LocalTime.of(13, 0);
            assertThat(s.close().toLocalTime()).isEqualTo(expectedClose);
            assertThat(s.earlyClose()).isEqualTo(nyse.isEarlyClose(d));
        });
    }
}
