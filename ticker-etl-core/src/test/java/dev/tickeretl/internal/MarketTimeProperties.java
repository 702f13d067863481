package dev.tickeretl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickeretl.Bar;
import dev.tickeretl.MarketTime;
import dev.tickeretl.Phase;
import dev.tickeretl.Timespan;
import dev.tickeretl.spi.InvalidBarException;
import dev.tickeretl.spi.RawBar;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Time conversion and validation rules of the {@code market-time} transformer, for any bar in 1990–2050. */
class MarketTimeProperties {

    private static final ZoneOffset EST = ZoneOffset.ofHours(-5);
    private static final ZoneOffset EDT = ZoneOffset.ofHours(-4);
    private static final long THREE_HOURS_MS = 3 * 3600_000L;

    private final MarketTimeTransformer transformer = new MarketTimeTransformer();

    /** Uniform instants, plus instants within three hours of a DST switch, where off-by-one-hour bugs live. */
    @Provide
    Arbitrary<Long> instants() {
        Arbitrary<Long> nearSwitch = Combinators.combine(
                        Arbitraries.integers().between(1990, 2050),
                        Arbitraries.of(true, false),
                        Arbitraries.longs().between(-THREE_HOURS_MS, THREE_HOURS_MS))
                .as((year, spring, delta) -> (spring ? dstStart(year) : dstEnd(year)).toEpochMilli() + delta);
        return Arbitraries.oneOf(BarArbitraries.epochMs(), nearSwitch);
    }

    @Property(tries = 2000)
    void etAndUtcFieldsDenoteTheSameInstantAsStartMs(@ForAll("instants") long ms) throws InvalidBarException {
        Bar bar = transformer.transform(validBarAt(ms));
        assertThat(bar.startMs()).isEqualTo(ms);
        assertThat(bar.startUtc().toEpochMilli()).isEqualTo(ms);
        assertThat(bar.startEt().toInstant().toEpochMilli()).isEqualTo(ms);
        assertThat(bar.startEt()).isEqualTo(MarketTime.easternOffset(ms));
    }

    @Property(tries = 2000)
    void easternOffsetFollowsUsDaylightSavingRulesBeforeAndAfter2007(@ForAll("instants") long ms)
            throws InvalidBarException {
        Instant t = Instant.ofEpochMilli(ms);
        ZoneOffset expected = isDaylightSaving(t) ? EDT : EST;
        Bar bar = transformer.transform(validBarAt(ms));
        assertThat(bar.startEt().getOffset()).isEqualTo(expected);
        // The trading date is the wall-clock date under that offset, computed without any zone database.
        LocalDate wallDate = LocalDateTime.ofEpochSecond(Math.floorDiv(ms, 1000), 0, expected).toLocalDate();
        assertThat(bar.tradingDate()).isEqualTo(wallDate);
    }

    @Property(tries = 1000)
    void aLateEveningBarKeepsItsNewYorkDateThoughUtcIsTheNextDay(
            @ForAll("newYorkDates") LocalDate date,
            @ForAll @IntRange(min = 1410, max = 1439) int minuteOfDay) throws InvalidBarException {
        LocalTime time = LocalTime.of(minuteOfDay / 60, minuteOfDay % 60);
        long ms = date.atTime(time).atZone(MarketTime.ZONE).toInstant().toEpochMilli();
        Bar bar = transformer.transform(validBarAt(ms));
        assertThat(bar.tradingDate()).isEqualTo(date);
        assertThat(bar.startEt().toLocalDate()).isEqualTo(date);
        assertThat(bar.startEt().toLocalTime()).isEqualTo(time);
        assertThat(bar.startUtc().atOffset(ZoneOffset.UTC).toLocalDate()).isEqualTo(date.plusDays(1));
    }

    @Property(tries = 1000)
    void jsonRoundTripIsLossless(@ForAll("rawBars") RawBar raw, @ForAll Phase phase,
                                 @ForAll("priorVolumes") Double priorVolume) throws InvalidBarException {
        Bar bar = transformer.transform(raw).withPhase(phase, priorVolume);
        Bar back = JsonCodec.parseBar(JsonCodec.toJson(bar));
        assertThat(back).isEqualTo(bar);
        assertThat(back.startEt().getOffset()).isEqualTo(bar.startEt().getOffset());
        assertThat(JsonCodec.toJson(back)).isEqualTo(JsonCodec.toJson(bar));
    }

    @Property(tries = 1000)
    void validBarsPassThroughUnchangedApartFromTime(@ForAll("rawBars") RawBar raw) throws InvalidBarException {
        Bar bar = transformer.transform(raw);
        assertThat(bar.ticker()).isEqualTo(raw.ticker());
        assertThat(bar.timespan()).isEqualTo(raw.timespan());
        assertThat(new double[]{bar.open(), bar.high(), bar.low(), bar.close(), bar.volume()})
                .containsExactly(raw.open(), raw.high(), raw.low(), raw.close(), raw.volume());
        assertThat(bar.vwap()).isEqualTo(raw.vwap());
        assertThat(bar.transactions()).isEqualTo(raw.transactions());
        assertThat(bar.adjusted()).isEqualTo(raw.adjusted());
        assertThat(bar.phase()).as("the tagger decides, when the bar is stored").isNull();
        assertThat(bar.priorVolume()).isNull();
        assertThat(bar.schemaVersion()).isEqualTo(Bar.SCHEMA_VERSION);
    }

    @Property(tries = 1000)
    void nanInfiniteAndNegativeValuesAreRejectedNamingFieldAndValue(
            @ForAll("rawBars") RawBar raw,
            @ForAll("numericFields") String field,
            @ForAll("badValues") double bad) {
        String expected = Double.isNaN(bad) ? field + " is NaN"
                : Double.isInfinite(bad) ? field + " is " + bad
                : field + " " + bad + " is negative";
        assertThatThrownBy(() -> transformer.transform(BarArbitraries.with(raw, field, bad)))
                .isInstanceOf(InvalidBarException.class)
                .hasMessage(expected);
    }

    @Property(tries = 1000)
    void highBelowLowIsRejected(@ForAll("rawBars") RawBar raw) {
        double high = raw.low();
        double low = raw.high();
        if (high < low) {
            RawBar inverted = BarArbitraries.with(BarArbitraries.with(raw, "high", high), "low", low);
            assertThatThrownBy(() -> transformer.transform(inverted))
                    .isInstanceOf(InvalidBarException.class)
                    .hasMessage("high " + high + " < low " + low);
        }
    }

    @Provide
    Arbitrary<RawBar> rawBars() {
        return BarArbitraries.rawBars();
    }

    @Provide
    Arbitrary<Double> priorVolumes() {
        return BarArbitraries.volumes().injectNull(0.3);
    }

    @Provide
    Arbitrary<LocalDate> newYorkDates() {
        return Arbitraries.longs().between(LocalDate.of(1990, 1, 1).toEpochDay(), LocalDate.of(2050, 12, 31)
                .toEpochDay()).map(LocalDate::ofEpochDay);
    }

    @Provide
    Arbitrary<String> numericFields() {
        return Arbitraries.of("open", "high", "low", "close", "volume", "vwap");
    }

    @Provide
    Arbitrary<Double> badValues() {
        Arbitrary<Double> negative = BarArbitraries.nonNegativeDoubles().filter(d -> d > 0).map(d -> -d);
        return Arbitraries.oneOf(Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                -Double.MIN_VALUE, -1.0), negative);
    }

    private static RawBar validBarAt(long ms) {
        return new RawBar("AAPL", Timespan.DAY, ms, 10.0, 11.0, 9.0, 10.5, 1_000_000.0, 10.2, 5_000L, true);
    }

    /**
     * US daylight saving time from the statute, independent of any zone database: 02:00 local standard time on the
     * start Sunday to 02:00 local daylight time on the end Sunday. 1987–2006: first Sunday of April to last Sunday of
     * October; from 2007 (Energy Policy Act of 2005): second Sunday of March to first Sunday of November.
     */
    private static boolean isDaylightSaving(Instant t) {
        int year = t.atOffset(ZoneOffset.UTC).getYear();
        return !t.isBefore(dstStart(year)) && t.isBefore(dstEnd(year));
    }

    private static Instant dstStart(int year) {
        LocalDate day = year < 2007
                ? LocalDate.of(year, Month.APRIL, 1).with(TemporalAdjusters.firstInMonth(DayOfWeek.SUNDAY))
                : LocalDate.of(year, Month.MARCH, 1).with(TemporalAdjusters.dayOfWeekInMonth(2, DayOfWeek.SUNDAY));
        return day.atTime(2, 0).toInstant(EST);
    }

    private static Instant dstEnd(int year) {
        LocalDate day = year < 2007
                ? LocalDate.of(year, Month.OCTOBER, 31).with(TemporalAdjusters.lastInMonth(DayOfWeek.SUNDAY))
                : LocalDate.of(year, Month.NOVEMBER, 1).with(TemporalAdjusters.firstInMonth(DayOfWeek.SUNDAY));
        return day.atTime(2, 0).toInstant(EDT);
    }
}
