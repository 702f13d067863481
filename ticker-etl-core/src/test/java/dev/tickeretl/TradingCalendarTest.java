package dev.tickeretl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Known NYSE dates: the table the rules must reproduce. */
class TradingCalendarTest {

    private final TradingCalendar nyse = TradingCalendar.nyse();

    // NYSE's published holiday schedules for 2024 and 2025, special closures included.
    private static final String CLOSURES_2024_2025 = """
            2024-01-01, New Year's Day
            2024-01-15, 'Martin Luther King, Jr. Day'
            2024-02-19, Washington's Birthday
            2024-03-29, Good Friday
            2024-05-27, Memorial Day
            2024-06-19, Juneteenth National Independence Day
            2024-07-04, Independence Day
            2024-09-02, Labor Day
            2024-11-28, Thanksgiving Day
            2024-12-25, Christmas Day
            2025-01-01, New Year's Day
            2025-01-09, National Day of Mourning for President Jimmy Carter
            2025-01-20, 'Martin Luther King, Jr. Day'
            2025-02-17, Washington's Birthday
            2025-04-18, Good Friday
            2025-05-26, Memorial Day
            2025-06-19, Juneteenth National Independence Day
            2025-07-04, Independence Day
            2025-09-01, Labor Day
            2025-11-27, Thanksgiving Day
            2025-12-25, Christmas Day
            """;

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(textBlock = CLOSURES_2024_2025)
    void holidaysOf2024And2025CloseTheExchangeUnderTheirNames(LocalDate date, String name) {
        assertThat(nyse.isTradingDay(date)).isFalse();
        assertThat(nyse.isHoliday(date)).isTrue();
        assertThat(nyse.holidayName(date)).contains(name);
        assertThat(nyse.session(date)).isEmpty();
    }

    @Test
    void the2024And2025ScheduleHasNoOtherWeekdayClosures() {
        Map<LocalDate, String> expected = new TreeMap<>();
        for (String line : CLOSURES_2024_2025.strip().split("\n")) {
            String[] parts = line.split(", ", 2);
            String name = parts[1].startsWith("'") ? parts[1].substring(1, parts[1].length() - 1) : parts[1];
            expected.put(LocalDate.parse(parts[0]), name);
        }
        Map<LocalDate, String> actual = new TreeMap<>();
        for (LocalDate d = LocalDate.of(2024, 1, 1); d.getYear() <= 2025; d = d.plusDays(1)) {
            LocalDate day = d;
            nyse.holidayName(day).ifPresent(name -> actual.put(day, name));
            if (!isWeekend(day) && !nyse.isTradingDay(day)) {
                assertThat(actual).containsKey(day);
            }
        }
        assertThat(actual).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(textBlock = """
            2026-01-01, New Year's Day
            2026-01-19, 'Martin Luther King, Jr. Day'
            2026-02-16, Washington's Birthday
            2026-04-03, Good Friday
            2026-05-25, Memorial Day
            2026-06-19, Juneteenth National Independence Day
            2026-07-03, Independence Day
            2026-09-07, Labor Day
            2026-11-26, Thanksgiving Day
            2026-12-25, Christmas Day
            2027-01-01, New Year's Day
            2027-01-18, 'Martin Luther King, Jr. Day'
            2027-02-15, Washington's Birthday
            2027-03-26, Good Friday
            2027-05-31, Memorial Day
            2027-06-18, Juneteenth National Independence Day
            2027-07-05, Independence Day
            2027-09-06, Labor Day
            2027-11-25, Thanksgiving Day
            2027-12-24, Christmas Day
            """)
    void publishedHolidaysOf2026And2027CloseTheExchange(LocalDate date, String name) {
        assertThat(nyse.isTradingDay(date)).isFalse();
        assertThat(nyse.holidayName(date)).contains(name);
    }

    @ParameterizedTest(name = "{0} closed: {1}")
    @CsvSource(textBlock = """
            1994-04-27, National Day of Mourning for President Richard Nixon
            2001-09-11, September 11 attacks
            2001-09-12, September 11 attacks
            2001-09-13, September 11 attacks
            2001-09-14, September 11 attacks
            2004-06-11, National Day of Mourning for President Ronald Reagan
            2007-01-02, National Day of Mourning for President Gerald R. Ford
            2012-10-29, Hurricane Sandy
            2012-10-30, Hurricane Sandy
            2018-12-05, National Day of Mourning for President George H. W. Bush
            2025-01-09, National Day of Mourning for President Jimmy Carter
            """)
    void specialClosuresCloseTheExchange(LocalDate date, String name) {
        assertThat(nyse.isTradingDay(date)).isFalse();
        assertThat(nyse.holidayName(date)).contains(name);
    }

    @Test
    void tradingResumedAfterEachSpecialClosure() {
        assertThat(nyse.nextTradingDay(LocalDate.of(2001, 9, 10))).isEqualTo(LocalDate.of(2001, 9, 17));
        assertThat(nyse.nextTradingDay(LocalDate.of(2012, 10, 26))).isEqualTo(LocalDate.of(2012, 10, 31));
        assertThat(nyse.nextTradingDay(LocalDate.of(2018, 12, 4))).isEqualTo(LocalDate.of(2018, 12, 6));
    }

    @Test
    void mondayAfterGoodFridayComparesWithThursday() {
        assertThat(nyse.isTradingDay(LocalDate.of(2024, 3, 29))).isFalse();
        assertThat(nyse.previousTradingDay(LocalDate.of(2024, 4, 1))).isEqualTo(LocalDate.of(2024, 3, 28));
    }

    @Test
    void dayAfterTheCarterClosureComparesWithJanuaryEighth() {
        assertThat(nyse.previousTradingDay(LocalDate.of(2025, 1, 10))).isEqualTo(LocalDate.of(2025, 1, 8));
    }

    @ParameterizedTest(name = "{0} stays a trading day")
    @ValueSource(strings = {"2021-12-31", "2010-12-31", "2004-12-31", "2027-12-31"})
    void saturdayNewYearsDayIsNotObservedOnTheFridayBefore(LocalDate newYearsEve) {
        assertThat(newYearsEve.plusDays(1).getDayOfWeek()).isEqualTo(DayOfWeek.SATURDAY);
        assertThat(nyse.isTradingDay(newYearsEve)).isTrue();
        assertThat(nyse.session(newYearsEve).orElseThrow().earlyClose()).isFalse();
    }

    @ParameterizedTest(name = "{0} is observed")
    @CsvSource(textBlock = """
            2017-01-02, New Year's Day
            2023-01-02, New Year's Day
            2022-06-20, Juneteenth National Independence Day
            2027-06-18, Juneteenth National Independence Day
            2020-07-03, Independence Day
            2021-07-05, Independence Day
            2021-12-24, Christmas Day
            2022-12-26, Christmas Day
            """)
    void weekendHolidaysAreObservedOnTheNearestWeekday(LocalDate observed, String name) {
        assertThat(nyse.isTradingDay(observed)).isFalse();
        assertThat(nyse.holidayName(observed)).contains(name);
    }

    @Test
    void juneteenthClosesTheExchangeOnlyFrom2022() {
        // 2021-06-19 was a Saturday; the holiday was not yet an exchange holiday, so Friday traded.
        assertThat(nyse.isTradingDay(LocalDate.of(2021, 6, 18))).isTrue();
        assertThat(nyse.isTradingDay(LocalDate.of(2020, 6, 19))).isTrue();
        assertThat(nyse.isTradingDay(LocalDate.of(2022, 6, 20))).isFalse();
        assertThat(nyse.isTradingDay(LocalDate.of(2023, 6, 19))).isFalse();
    }

    @Test
    void martinLutherKingDayClosesTheExchangeOnlyFrom1998() {
        assertThat(nyse.isTradingDay(LocalDate.of(1997, 1, 20))).isTrue();
        assertThat(nyse.holidayName(LocalDate.of(1998, 1, 19))).contains("Martin Luther King, Jr. Day");
    }

    @ParameterizedTest(name = "{0} closes at {1}")
    @CsvSource(textBlock = """
            2024-07-03, 13:00, -04:00
            2024-11-29, 13:00, -05:00
            2024-12-24, 13:00, -05:00
            2025-07-03, 13:00, -04:00
            2025-11-28, 13:00, -05:00
            2025-12-24, 13:00, -05:00
            2013-07-03, 13:00, -04:00
            2002-07-05, 13:00, -04:00
            2003-12-26, 13:00, -05:00
            2000-07-03, 13:00, -04:00
            1992-11-27, 14:00, -05:00
            """)
    void earlyClosesEndTheSessionBeforeFourInNewYork(LocalDate date, LocalTime close, String offset) {
        TradingCalendar.Session session = nyse.session(date).orElseThrow();
        assertThat(session.earlyClose()).isTrue();
        assertThat(nyse.isEarlyClose(date)).isTrue();
        assertThat(session.date()).isEqualTo(date);
        assertThat(session.open()).isEqualTo(ZonedDateTime.parse(date + "T09:30" + offset + "[America/New_York]"));
        assertThat(session.close()).isEqualTo(ZonedDateTime.parse(date + "T" + close + offset + "[America/New_York]"));
    }

    @ParameterizedTest(name = "{0} is a full session")
    @ValueSource(strings = {"2024-07-02", "2024-07-05", "2013-07-05", "2002-07-03", "2024-11-27", "2024-12-23",
            "2024-12-26", "2024-12-31", "2021-07-02", "2026-07-02"})
    void daysAroundHolidaysWithoutAnEarlyCloseRunUntilFour(LocalDate date) {
        TradingCalendar.Session session = nyse.session(date).orElseThrow();
        assertThat(session.earlyClose()).isFalse();
        assertThat(nyse.isEarlyClose(date)).isFalse();
        assertThat(session.open().toLocalTime()).isEqualTo(LocalTime.of(9, 30));
        assertThat(session.close().toLocalTime()).isEqualTo(LocalTime.of(16, 0));
        assertThat(session.close().getZone()).isEqualTo(MarketTime.ZONE);
    }

    @Test
    void closedDaysHaveNoEarlyClose() {
        // July 3, 2026 is a Friday: the observed Independence Day, not a short session.
        assertThat(nyse.isEarlyClose(LocalDate.of(2026, 7, 3))).isFalse();
        assertThat(nyse.isEarlyClose(LocalDate.of(2024, 7, 6))).isFalse();
    }

    // Trading days per calendar year as published in NYSE's annual statistics.
    @ParameterizedTest(name = "{0} had {1} trading days")
    @CsvSource(textBlock = """
            2000, 252
            2001, 248
            2002, 252
            2003, 252
            2004, 252
            2005, 252
            2006, 251
            2007, 251
            2008, 253
            2009, 252
            2010, 252
            2011, 252
            2012, 250
            2013, 252
            2014, 252
            2015, 252
            2016, 252
            2017, 251
            2018, 251
            2019, 252
            2020, 253
            2021, 252
            2022, 251
            2023, 250
            2024, 252
            2025, 250
            """)
    void yearsHaveTheirKnownNumberOfTradingDays(int year, int days) {
        LocalDate first = LocalDate.of(year, 1, 1);
        LocalDate last = LocalDate.of(year, 12, 31);
        assertThat(nyse.countTradingDays(first, last)).isEqualTo(days);
        assertThat(nyse.tradingDays(first, last)).hasSize(days);
    }

    @ParameterizedTest(name = "Easter {0}")
    @ValueSource(strings = {"1990-04-15", "2000-04-23", "2008-03-23", "2011-04-24", "2019-04-21", "2024-03-31",
            "2025-04-20", "2038-04-25", "2049-04-18"})
    void goodFridayFollowsEaster(LocalDate easter) {
        assertThat(TradingCalendar.easterSunday(easter.getYear())).isEqualTo(easter);
        assertThat(nyse.holidayName(easter.minusDays(2))).contains("Good Friday");
    }

    @Test
    void rangesAreInclusiveOrderedAndEmptyWhenReversed() {
        LocalDate from = LocalDate.of(2024, 3, 27);
        LocalDate to = LocalDate.of(2024, 4, 2);
        assertThat(nyse.tradingDays(from, to)).containsExactly(
                LocalDate.of(2024, 3, 27), LocalDate.of(2024, 3, 28), LocalDate.of(2024, 4, 1),
                LocalDate.of(2024, 4, 2));
        assertThat(nyse.tradingDays(to, from)).isEmpty();
        assertThat(nyse.countTradingDays(to, from)).isZero();
        assertThat(nyse.tradingDays(from, from)).containsExactly(from);
        assertThat(nyse.tradingDays(LocalDate.of(2024, 3, 29), LocalDate.of(2024, 3, 31))).isEmpty();
    }

    @Test
    void threadsRacingOnAColdCalendarAllSeeTheSameDays() throws Exception {
        TradingCalendar cold = new TradingCalendar();
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<LocalDate>>> results = new ArrayList<>();
            Callable<List<LocalDate>> task = () -> {
                start.await();
                return cold.tradingDays(LocalDate.of(1990, 1, 1), LocalDate.of(2050, 12, 31));
            };
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(task));
            }
            start.countDown();
            List<LocalDate> reference = new TradingCalendar()
                    .tradingDays(LocalDate.of(1990, 1, 1), LocalDate.of(2050, 12, 31));
            for (Future<List<LocalDate>> r : results) {
                assertThat(r.get()).isEqualTo(reference);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void verifiedFromTheFirstDayOf2000ToTheLastDayOf2035() {
        assertThat(nyse.firstVerifiedYear()).isEqualTo(2000);
        assertThat(nyse.lastVerifiedYear()).isEqualTo(2035);
        assertThat(nyse.isVerified(LocalDate.of(1999, 12, 31))).isFalse();
        assertThat(nyse.isVerified(LocalDate.of(2000, 1, 1))).isTrue();
        assertThat(nyse.isVerified(LocalDate.of(2035, 12, 31))).isTrue();
        assertThat(nyse.isVerified(LocalDate.of(2036, 1, 1))).isFalse();
    }

    private static boolean isWeekend(LocalDate d) {
        return d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY;
    }
}
