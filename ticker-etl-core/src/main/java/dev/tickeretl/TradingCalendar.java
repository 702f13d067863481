package dev.tickeretl;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The NYSE trading calendar: which dates have a session, and when that session opens and closes (New York time).
 *
 * <p>What it knows:
 * <ul>
 *   <li>Regular holidays, observed on the Friday before when they fall on a Saturday and on the Monday after when
 *       they fall on a Sunday: New Year's Day (except that a Saturday New Year's Day is not observed at all, by
 *       NYSE rule), Martin Luther King, Jr. Day (from 1998), Washington's Birthday, Good Friday, Memorial Day,
 *       Juneteenth (from 2022), Independence Day, Labor Day, Thanksgiving Day, Christmas Day.</li>
 *   <li>Special closures: 1994-04-27 (Nixon), 2001-09-11..14, 2004-06-11 (Reagan), 2007-01-02 (Ford),
 *       2012-10-29..30 (Hurricane Sandy), 2018-12-05 (G. H. W. Bush), 2025-01-09 (Carter).</li>
 *   <li>Scheduled early closes at 13:00: July 3 when it is a Monday, Tuesday or Thursday (from 1995) or a
 *       Wednesday (from 2013; before that the Friday July 5 after a Thursday Independence Day closed early
 *       instead), the day after Thanksgiving, Christmas Eve from Monday to Thursday, and the announced
 *       1997-12-26 and 2003-12-26. Before 1993 the Thanksgiving Friday (1992 only) and Christmas Eve closed at
 *       14:00.</li>
 *   <li>Regular session 09:30–16:00 New York time.</li>
 * </ul>
 *
 * <p>Verified range: 2000–2035. For 2000–2025 the closures, early closes and yearly trading-day counts match the
 * exchange's history; 2026–2027 match NYSE's published holiday schedules; to 2035 the same published rules apply.
 * 1990–1999 follows the rules as they then applied (no MLK Day before 1998, 14:00 early closes before 1993) and is
 * sensible but not exhaustively checked. Other years extrapolate today's rules: fine for arithmetic, not a
 * historical record. Unscheduled intraday events (late opens for moments of silence, weather or system-failure
 * early closes) are not modelled; daily bars are unaffected by them. Closures announced after January 2025 are not
 * known until added here.
 *
 * <p>Thread-safe and fast: each year is computed once, on first use, into a bit set of trading days, so
 * {@link #countTradingDays} over decades costs well under a microsecond and {@link #tradingDays} little more than
 * building its list.
 */
public final class TradingCalendar {

    private static final TradingCalendar NYSE = new TradingCalendar();

    private static final LocalTime OPEN = LocalTime.of(9, 30);
    private static final LocalTime CLOSE = LocalTime.of(16, 0);
    private static final LocalTime EARLY_CLOSE = LocalTime.of(13, 0);
    // NYSE moved its holiday-eve early closes from 14:00 to 13:00 in 1993.
    private static final LocalTime EARLY_CLOSE_BEFORE_1993 = LocalTime.of(14, 0);

    static final String NEW_YEARS_DAY = "New Year's Day";
    static final String MLK_DAY = "Martin Luther King, Jr. Day";
    static final String WASHINGTONS_BIRTHDAY = "Washington's Birthday";
    static final String GOOD_FRIDAY = "Good Friday";
    static final String MEMORIAL_DAY = "Memorial Day";
    static final String JUNETEENTH = "Juneteenth National Independence Day";
    static final String INDEPENDENCE_DAY = "Independence Day";
    static final String LABOR_DAY = "Labor Day";
    static final String THANKSGIVING_DAY = "Thanksgiving Day";
    static final String CHRISTMAS_DAY = "Christmas Day";

    private static final Map<LocalDate, String> SPECIAL_CLOSURES = specialClosures();

    // Announced one-off 13:00 closes that no recurring rule produces.
    private static final List<LocalDate> AD_HOC_EARLY_CLOSES = List.of(
            LocalDate.of(1997, 12, 26), LocalDate.of(2003, 12, 26));

    // The "Verified range" of the class comment.
    private static final int FIRST_VERIFIED_YEAR = 2000;
    private static final int LAST_VERIFIED_YEAR = 2035;

    // Years in this window are looked up by index without boxing; others fall back to a map.
    private static final int FIRST_INDEXED_YEAR = 1900;
    private static final int INDEXED_YEARS = 300;

    private final AtomicReferenceArray<YearSchedule> indexed = new AtomicReferenceArray<>(INDEXED_YEARS);
    private final ConcurrentHashMap<Integer, YearSchedule> others = new ConcurrentHashMap<>();

    // Package-private so tests can race threads on a calendar that has computed nothing yet.
    TradingCalendar() {
    }

    /** The New York Stock Exchange calendar (shared, immutable). */
    public static TradingCalendar nyse() {
        return NYSE;
    }

    /**
     * Whether {@code date} lies in the years this calendar is verified for ({@link #firstVerifiedYear()} to
     * {@link #lastVerifiedYear()}); outside them its answers extrapolate rules and may miss real closures.
     */
    public boolean isVerified(LocalDate date) {
        return date.getYear() >= FIRST_VERIFIED_YEAR && date.getYear() <= LAST_VERIFIED_YEAR;
    }

    /** The first year whose sessions are verified (see the class comment). */
    public int firstVerifiedYear() {
        return FIRST_VERIFIED_YEAR;
    }

    /** The last year whose sessions are verified. */
    public int lastVerifiedYear() {
        return LAST_VERIFIED_YEAR;
    }

    /** Whether the exchange holds a session on {@code date}. */
    public boolean isTradingDay(LocalDate date) {
        return schedule(date.getYear()).isOpen(date.getDayOfYear());
    }

    /**
     * Whether {@code date} is a weekday on which the exchange is closed: a holiday (on the day it is observed) or a
     * special closure. Weekends are not holidays.
     */
    public boolean isHoliday(LocalDate date) {
        return holidayName(date).isPresent();
    }

    /**
     * The name of the holiday or special closure that closes the exchange on weekday {@code date}, e.g.
     * {@code "Good Friday"}; observed days carry the holiday's own name (2022-06-20 is
     * {@code "Juneteenth National Independence Day"}). Empty on trading days and weekends.
     */
    public Optional<String> holidayName(LocalDate date) {
        return Optional.ofNullable(schedule(date.getYear()).closures.get(date.getDayOfYear()));
    }

    /** Whether {@code date} is a trading day whose session closes before 16:00. */
    public boolean isEarlyClose(LocalDate date) {
        return isTradingDay(date) && schedule(date.getYear()).earlyCloses.containsKey(date.getDayOfYear());
    }

    /** The last trading day strictly before {@code date}. */
    public LocalDate previousTradingDay(LocalDate date) {
        LocalDate d = date.minusDays(1);
        while (!isTradingDay(d)) {
            d = d.minusDays(1);
        }
        return d;
    }

    /** The first trading day strictly after {@code date}. */
    public LocalDate nextTradingDay(LocalDate date) {
        LocalDate d = date.plusDays(1);
        while (!isTradingDay(d)) {
            d = d.plusDays(1);
        }
        return d;
    }

    /** The trading days from {@code from} to {@code to}, both inclusive, in order; empty when {@code from > to}. */
    public List<LocalDate> tradingDays(LocalDate from, LocalDate to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        List<LocalDate> days = new ArrayList<>(countTradingDays(from, to));
        for (int year = from.getYear(); year <= to.getYear(); year++) {
            YearSchedule s = schedule(year);
            int last = year == to.getYear() ? to.getDayOfYear() : s.length;
            for (int doy = year == from.getYear() ? from.getDayOfYear() : 1; doy <= last; doy++) {
                if (s.isOpen(doy)) {
                    days.add(LocalDate.ofYearDay(year, doy));
                }
            }
        }
        return days;
    }

    /** How many trading days lie from {@code from} to {@code to}, both inclusive; 0 when {@code from > to}. */
    public int countTradingDays(LocalDate from, LocalDate to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.isAfter(to)) {
            return 0;
        }
        int count = 0;
        for (int year = from.getYear(); year <= to.getYear(); year++) {
            YearSchedule s = schedule(year);
            int first = year == from.getYear() ? from.getDayOfYear() : 1;
            int last = year == to.getYear() ? to.getDayOfYear() : s.length;
            count += s.countOpen(first, last);
        }
        return count;
    }

    /** The session held on {@code date}, or empty when the exchange is closed that day. */
    public Optional<Session> session(LocalDate date) {
        YearSchedule s = schedule(date.getYear());
        int doy = date.getDayOfYear();
        if (!s.isOpen(doy)) {
            return Optional.empty();
        }
        LocalTime early = s.earlyCloses.get(doy);
        return Optional.of(new Session(date, date.atTime(OPEN).atZone(MarketTime.ZONE),
                date.atTime(early != null ? early : CLOSE).atZone(MarketTime.ZONE), early != null));
    }

    /** One session: open and close in New York time; {@code earlyClose} when it ends before 16:00. */
    public record Session(LocalDate date, ZonedDateTime open, ZonedDateTime close, boolean earlyClose) {
    }

    private YearSchedule schedule(int year) {
        int i = year - FIRST_INDEXED_YEAR;
        if (i < 0 || i >= INDEXED_YEARS) {
            return others.computeIfAbsent(year, YearSchedule::compute);
        }
        YearSchedule s = indexed.get(i);
        if (s == null) {
            // Two threads may both compute a year; the results are equal, and the first one published wins.
            indexed.compareAndSet(i, null, YearSchedule.compute(year));
            s = indexed.get(i);
        }
        return s;
    }

    private static Map<LocalDate, String> specialClosures() {
        Map<LocalDate, String> m = new HashMap<>();
        m.put(LocalDate.of(1994, 4, 27), "National Day of Mourning for President Richard Nixon");
        for (int day = 11; day <= 14; day++) {
            m.put(LocalDate.of(2001, 9, day), "September 11 attacks");
        }
        m.put(LocalDate.of(2004, 6, 11), "National Day of Mourning for President Ronald Reagan");
        m.put(LocalDate.of(2007, 1, 2), "National Day of Mourning for President Gerald R. Ford");
        m.put(LocalDate.of(2012, 10, 29), "Hurricane Sandy");
        m.put(LocalDate.of(2012, 10, 30), "Hurricane Sandy");
        m.put(LocalDate.of(2018, 12, 5), "National Day of Mourning for President George H. W. Bush");
        m.put(LocalDate.of(2025, 1, 9), "National Day of Mourning for President Jimmy Carter");
        return Map.copyOf(m);
    }

    /** One year, computed once: trading days as bits indexed by day-of-year − 1, plus names and early closes. */
    private static final class YearSchedule {
        final int length;
        final long[] open = new long[6];
        final Map<Integer, String> closures;
        final Map<Integer, LocalTime> earlyCloses;

        private YearSchedule(int length, Map<Integer, String> closures, Map<Integer, LocalTime> earlyCloses) {
            this.length = length;
            this.closures = closures;
            this.earlyCloses = earlyCloses;
        }

        boolean isOpen(int dayOfYear) {
            int i = dayOfYear - 1;
            return (open[i >>> 6] & (1L << i)) != 0;
        }

        /** Set bits for days {@code first..last} (1-based, inclusive). */
        int countOpen(int first, int last) {
            int count = 0;
            for (int w = (first - 1) >>> 6; w <= (last - 1) >>> 6; w++) {
                long word = open[w];
                int lo = Math.max(first - 1, w << 6) - (w << 6);
                int hi = Math.min(last - 1, (w << 6) + 63) - (w << 6);
                long mask = (hi == 63 ? -1L : (1L << (hi + 1)) - 1) & (-1L << lo);
                count += Long.bitCount(word & mask);
            }
            return count;
        }

        static YearSchedule compute(int year) {
            Map<Integer, String> closures = new HashMap<>();
            LocalDate jan1 = LocalDate.of(year, 1, 1);
            // A Saturday New Year's Day is not moved to Friday December 31: NYSE keeps the year-end session.
            if (jan1.getDayOfWeek() != DayOfWeek.SATURDAY) {
                close(closures, year, sundayToMonday(jan1), NEW_YEARS_DAY);
            }
            if (year >= 1998) {
                close(closures, year, nth(year, Month.JANUARY, DayOfWeek.MONDAY, 3), MLK_DAY);
            }
            close(closures, year, nth(year, Month.FEBRUARY, DayOfWeek.MONDAY, 3), WASHINGTONS_BIRTHDAY);
            close(closures, year, easterSunday(year).minusDays(2), GOOD_FRIDAY);
            close(closures, year, LocalDate.of(year, 5, 31).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)),
                    MEMORIAL_DAY);
            if (year >= 2022) {
                close(closures, year, observed(LocalDate.of(year, 6, 19)), JUNETEENTH);
            }
            close(closures, year, observed(LocalDate.of(year, 7, 4)), INDEPENDENCE_DAY);
            close(closures, year, nth(year, Month.SEPTEMBER, DayOfWeek.MONDAY, 1), LABOR_DAY);
            LocalDate thanksgiving = nth(year, Month.NOVEMBER, DayOfWeek.THURSDAY, 4);
            close(closures, year, thanksgiving, THANKSGIVING_DAY);
            close(closures, year, observed(LocalDate.of(year, 12, 25)), CHRISTMAS_DAY);
            SPECIAL_CLOSURES.forEach((date, name) -> close(closures, year, date, name));

            YearSchedule s = new YearSchedule(jan1.lengthOfYear(), Map.copyOf(closures),
                    Map.copyOf(earlyCloses(year, thanksgiving)));
            for (int doy = 1; doy <= s.length; doy++) {
                DayOfWeek dow = jan1.plusDays(doy - 1L).getDayOfWeek();
                if (dow != DayOfWeek.SATURDAY && dow != DayOfWeek.SUNDAY && !closures.containsKey(doy)) {
                    s.open[(doy - 1) >>> 6] |= 1L << (doy - 1);
                }
            }
            return s;
        }

        private static Map<Integer, LocalTime> earlyCloses(int year, LocalDate thanksgiving) {
            Map<Integer, LocalTime> m = new HashMap<>();
            LocalTime eveClose = year < 1993 ? EARLY_CLOSE_BEFORE_1993 : EARLY_CLOSE;
            LocalDate july3 = LocalDate.of(year, 7, 3);
            switch (july3.getDayOfWeek()) {
                case MONDAY, TUESDAY, THURSDAY -> {
                    if (year >= 1995) {
                        m.put(july3.getDayOfYear(), EARLY_CLOSE);
                    }
                }
                case WEDNESDAY -> {
                    // Until 2012 a Thursday Independence Day shortened the Friday after it, not the Wednesday.
                    if (year >= 2013) {
                        m.put(july3.getDayOfYear(), EARLY_CLOSE);
                    } else if (year >= 1996) {
                        m.put(july3.plusDays(2).getDayOfYear(), EARLY_CLOSE);
                    }
                }
                default -> {
                    // Friday July 3 is the observed holiday; a weekend needs nothing.
                }
            }
            if (year >= 1992) {
                m.put(thanksgiving.plusDays(1).getDayOfYear(), eveClose);
            }
            LocalDate christmasEve = LocalDate.of(year, 12, 24);
            DayOfWeek eve = christmasEve.getDayOfWeek();
            if (eve != DayOfWeek.FRIDAY && eve != DayOfWeek.SATURDAY && eve != DayOfWeek.SUNDAY) {
                m.put(christmasEve.getDayOfYear(), eveClose);
            }
            for (LocalDate d : AD_HOC_EARLY_CLOSES) {
                if (d.getYear() == year) {
                    m.put(d.getDayOfYear(), EARLY_CLOSE);
                }
            }
            return m;
        }

        private static void close(Map<Integer, String> closures, int year, LocalDate date, String name) {
            // Observance keeps every holiday in its own year (a Saturday New Year's Day is simply dropped).
            if (date.getYear() == year) {
                closures.putIfAbsent(date.getDayOfYear(), name);
            }
        }
    }

    private static LocalDate nth(int year, Month month, DayOfWeek dow, int n) {
        return LocalDate.of(year, month, 1).with(TemporalAdjusters.dayOfWeekInMonth(n, dow));
    }

    private static LocalDate observed(LocalDate holiday) {
        return switch (holiday.getDayOfWeek()) {
            case SATURDAY -> holiday.minusDays(1);
            case SUNDAY -> holiday.plusDays(1);
            default -> holiday;
        };
    }

    private static LocalDate sundayToMonday(LocalDate holiday) {
        return holiday.getDayOfWeek() == DayOfWeek.SUNDAY ? holiday.plusDays(1) : holiday;
    }

    /**
     * Gregorian Easter Sunday by the anonymous Gregorian computus. Floor division keeps it total (a date in March or
     * April) for every year, though it is only meaningful for Gregorian years.
     */
    static LocalDate easterSunday(int year) {
        int a = Math.floorMod(year, 19);
        int b = Math.floorDiv(year, 100);
        int c = Math.floorMod(year, 100);
        int d = Math.floorDiv(b, 4);
        int e = Math.floorMod(b, 4);
        int f = Math.floorDiv(b + 8, 25);
        int g = Math.floorDiv(b - f + 1, 3);
        int h = Math.floorMod(19 * a + b - d - g + 15, 30);
        int i = c / 4;
        int k = c % 4;
        int l = Math.floorMod(32 + 2 * e + 2 * i - h - k, 7);
        int m = (a + 11 * h + 22 * l) / 451;
        int month = (h + l - 7 * m + 114) / 31;
        int day = (h + l - 7 * m + 114) % 31 + 1;
        return LocalDate.of(year, month, day);
    }
}
