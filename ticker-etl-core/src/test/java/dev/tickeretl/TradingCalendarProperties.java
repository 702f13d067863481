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
        // The name is the holiday whose rule (with its weekend observance) gives this very date, or a closure of
        // the special list: computed here from the rules, independently of the calendar's tables.
        assertThat(nyse.holidayName(d)).isEqualTo(weekday && !nyse.isTradingDay(d)
                ? Optional.of(expectedClosureName(d)) : Optional.empty());
    }

    @Property(tries = 300)
    void everyRegularHolidayOfAYearClosesTheExchangeOnItsObservedDay(@ForAll @IntRange(min = 2000, max = 2035)
                                                                      int year) {
        for (LocalDate d = LocalDate.of(year, 1, 1); d.getYear() == year; d = d.plusDays(1)) {
            String rule = regularHolidayOn(d);
            if (rule != null) {
                assertThat(nyse.isTradingDay(d)).as("%s %s", d, rule).isFalse();
                assertThat(nyse.holidayName(d)).as("%s", d).contains(rule);
            }
        }
    }

    /** The regular holiday observed on {@code d}, by the rules of the calendar's Javadoc, else null. */
    private static String regularHolidayOn(LocalDate d) {
        int year = d.getYear();
        LocalDate jan1 = LocalDate.of(year, 1, 1);
        if (d.equals(jan1) && d.getDayOfWeek() != DayOfWeek.SUNDAY && d.getDayOfWeek() != DayOfWeek.SATURDAY
                || d.equals(jan1.plusDays(1)) && jan1.getDayOfWeek() == DayOfWeek.SUNDAY) {
            return TradingCalendar.NEW_YEARS_DAY;
        }
        if (year >= 1998 && d.equals(nthWeekday(year, 1, DayOfWeek.MONDAY, 3))) {
            return TradingCalendar.MLK_DAY;
        }
        if (d.equals(nthWeekday(year, 2, DayOfWeek.MONDAY, 3))) {
            return TradingCalendar.WASHINGTONS_BIRTHDAY;
        }
        if (d.equals(TradingCalendar.easterSunday(year).minusDays(2))) {
            return TradingCalendar.GOOD_FRIDAY;
        }
        LocalDate lastMondayOfMay = LocalDate.of(year, 5, 31);
        while (lastMondayOfMay.getDayOfWeek() != DayOfWeek.MONDAY) {
            lastMondayOfMay = lastMondayOfMay.minusDays(1);
        }
        if (d.equals(lastMondayOfMay)) {
            return TradingCalendar.MEMORIAL_DAY;
        }
        if (year >= 2022 && d.equals(observed(LocalDate.of(year, 6, 19)))) {
            return TradingCalendar.JUNETEENTH;
        }
        if (d.equals(observed(LocalDate.of(year, 7, 4)))) {
            return TradingCalendar.INDEPENDENCE_DAY;
        }
        if (d.equals(nthWeekday(year, 9, DayOfWeek.MONDAY, 1))) {
            return TradingCalendar.LABOR_DAY;
        }
        if (d.equals(nthWeekday(year, 11, DayOfWeek.THURSDAY, 4))) {
            return TradingCalendar.THANKSGIVING_DAY;
        }
        if (d.equals(observed(LocalDate.of(year, 12, 25)))) {
            return TradingCalendar.CHRISTMAS_DAY;
        }
        return null;
    }

    private static String expectedClosureName(LocalDate d) {
        String regular = regularHolidayOn(d);
        if (regular != null) {
            return regular;
        }
        String special = SPECIAL_CLOSURES.get(d);
        assertThat(special).as("%s is closed but neither a regular holiday nor a known special closure", d)
                .isNotNull();
        return special;
    }

    private static final java.util.Map<LocalDate, String> SPECIAL_CLOSURES = java.util.Map.ofEntries(
            java.util.Map.entry(LocalDate.of(1994, 4, 27), "National Day of Mourning for President Richard Nixon"),
            java.util.Map.entry(LocalDate.of(2001, 9, 11), "September 11 attacks"),
            java.util.Map.entry(LocalDate.of(2001, 9, 12), "September 11 attacks"),
            java.util.Map.entry(LocalDate.of(2001, 9, 13), "September 11 attacks"),
            java.util.Map.entry(LocalDate.of(2001, 9, 14), "September 11 attacks"),
            java.util.Map.entry(LocalDate.of(2004, 6, 11), "National Day of Mourning for President Ronald Reagan"),
            java.util.Map.entry(LocalDate.of(2007, 1, 2), "National Day of Mourning for President Gerald R. Ford"),
            java.util.Map.entry(LocalDate.of(2012, 10, 29), "Hurricane Sandy"),
            java.util.Map.entry(LocalDate.of(2012, 10, 30), "Hurricane Sandy"),
            java.util.Map.entry(LocalDate.of(2018, 12, 5),
                    "National Day of Mourning for President George H. W. Bush"),
            java.util.Map.entry(LocalDate.of(2025, 1, 9), "National Day of Mourning for President Jimmy Carter"));

    private static LocalDate nthWeekday(int year, int month, DayOfWeek dow, int n) {
        LocalDate first = LocalDate.of(year, month, 1);
        int shift = (dow.getValue() - first.getDayOfWeek().getValue() + 7) % 7;
        return first.plusDays(shift + 7L * (n - 1));
    }

    private static LocalDate observed(LocalDate holiday) {
        return switch (holiday.getDayOfWeek()) {
            case SATURDAY -> holiday.minusDays(1);
            case SUNDAY -> holiday.plusDays(1);
            default -> holiday;
        };
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
