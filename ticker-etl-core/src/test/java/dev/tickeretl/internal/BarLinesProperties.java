package dev.tickeretl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.Bar;
import dev.tickeretl.MarketTime;
import dev.tickeretl.Phase;
import dev.tickeretl.Timespan;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * The hand-written bar serialiser is an optimisation only: for every bar, real or absurd, {@link JsonCodec} and
 * {@link PartitionMerge} write exactly the bytes the Jackson writer writes.
 */
class BarLinesProperties {

    private static final long YEAR_1_MS = -62_135_596_800_000L;
    private static final long YEAR_10000_MS = 253_402_300_800_000L;

    @Property(tries = 3000)
    void toJsonWritesExactlyWhatJacksonWrites(@ForAll("anyBars") Bar bar) {
        assertThat(JsonCodec.toJson(bar)).isEqualTo(JsonCodec.toJsonWithJackson(bar));
    }

    @Property(tries = 3000)
    void everyRealisticBarTakesTheFastPathAndMatchesJackson(@ForAll("realisticBars") Bar bar) {
        AsciiBuffer line = new AsciiBuffer(16);
        assertThat(BarLines.append(bar, line)).isTrue();
        assertThat(line.toAsciiString()).isEqualTo(JsonCodec.toJsonWithJackson(bar));
    }

    @Property(tries = 300)
    void aBarLeftToJacksonLeavesTheBufferAsItWas(@ForAll("realisticBars") Bar bar,
            @ForAll("tickersJacksonMustWrite") String ticker) {
        AsciiBuffer out = new AsciiBuffer(16).ascii("earlier line\n");
        Bar odd = withTicker(bar, ticker);

        assertThat(BarLines.append(odd, out)).isFalse();
        assertThat(out.toAsciiString()).isEqualTo("earlier line\n");
        assertThat(BarLines.append(bar, out)).isTrue();
        assertThat(out.toAsciiString()).isEqualTo("earlier line\n" + JsonCodec.toJsonWithJackson(bar));
    }

    @Property(tries = 200)
    void linesOfLongTickersMatchJacksonToo(@ForAll("realisticBars") Bar bar,
            @ForAll @net.jqwik.api.constraints.IntRange(min = 60, max = 3000) int length) {
        Bar wide = withTicker(bar, "W".repeat(length));

        assertThat(JsonCodec.toJson(wide)).isEqualTo(JsonCodec.toJsonWithJackson(wide));
        assertThat(JsonCodec.toJson(bar)).isEqualTo(JsonCodec.toJsonWithJackson(bar));
    }

    private static Bar withTicker(Bar bar, String ticker) {
        return new Bar(ticker, bar.timespan(), bar.tradingDate(), bar.startMs(), bar.startEt(), bar.startUtc(),
                bar.open(), bar.high(), bar.low(), bar.close(), bar.volume(), bar.vwap(), bar.transactions(),
                bar.adjusted(), bar.priorVolume(), bar.phase(), bar.schemaVersion());
    }

    @Provide
    Arbitrary<String> tickersJacksonMustWrite() {
        Arbitrary<Character> odd = Arbitraries.of('"', '\\', '\u0000', '\u001f', '\u007f', '\u00c4', '\u2028');
        return Combinators.combine(symbols(), odd, symbols()).as((a, c, b) -> a + c + b);
    }

    @Property(tries = 300)
    void partitionFilesAreTheJacksonLinesJoinedByNewlines(@ForAll @Size(max = 20) List<@net.jqwik.api.From(
            "anyBars") Bar> bars) {
        StringBuilder expected = new StringBuilder();
        for (Bar b : bars) {
            expected.append(JsonCodec.toJsonWithJackson(b)).append('\n');
        }
        assertThat(new String(PartitionFile.encode(bars), StandardCharsets.UTF_8)).isEqualTo(expected.toString());
    }

    @Property(tries = 1000)
    void aLineReadBackIsTheSameBar(@ForAll("realisticBars") Bar bar) {
        assertThat(JsonCodec.parseBar(JsonCodec.toJson(bar))).isEqualTo(bar);
    }

    /** Bars as the pipeline makes them: valid symbols, New York times of 1990..2050, finite non-negative values. */
    @Provide
    Arbitrary<Bar> realisticBars() {
        Arbitrary<Long> ms = Arbitraries.longs().between(MarketTime.startOfDayMs(LocalDate.of(1990, 1, 1)),
                MarketTime.startOfDayMs(LocalDate.of(2050, 12, 31)));
        Arbitrary<Long> wholeSeconds = ms.map(m -> Math.floorDiv(m, 1000) * 1000);
        return Combinators.combine(symbols(), Arbitraries.of(Timespan.class), wholeSeconds,
                        finiteDoubles().list().ofSize(5), finiteDoubles().injectNull(0.2),
                        Arbitraries.longs().greaterOrEqual(0).injectNull(0.2), finiteDoubles().injectNull(0.3),
                        Arbitraries.of(Phase.class))
                .as((ticker, span, start, v, vwap, n, prior, phase) -> new Bar(ticker, span,
                        MarketTime.tradingDate(start), start, MarketTime.easternOffset(start),
                        MarketTime.instant(start), v.get(0), v.get(1), v.get(2), v.get(3), v.get(4), vwap, n,
                        start % 2 == 0, prior, phase, Bar.SCHEMA_VERSION));
    }

    /**
     * Anything a {@link Bar} can hold: odd strings, non-finite and negative numbers, instants with fractions, years
     * outside 1000..9999, offsets of zero or with seconds, and fields that disagree with each other.
     */
    @Provide
    Arbitrary<Bar> anyBars() {
        Arbitrary<String> tickers = Arbitraries.oneOf(symbols(), Arbitraries.strings().ofMaxLength(8),
                Arbitraries.of("A\"B", "A\\B", "Ä", "A\u0001", "A/B", "\u2028"));
        Arbitrary<Long> ms = Arbitraries.oneOf(Arbitraries.longs().between(YEAR_1_MS, YEAR_10000_MS + 86_400_000L),
                Arbitraries.longs().between(-4_000_000_000_000L, 4_000_000_000_000L));
        Arbitrary<ZoneOffset> offsets = Arbitraries.oneOf(
                Arbitraries.integers().between(-18 * 3600, 18 * 3600).map(ZoneOffset::ofTotalSeconds),
                Arbitraries.integers().between(-18 * 4, 18 * 4).map(q -> ZoneOffset.ofTotalSeconds(q * 900)),
                Arbitraries.just(ZoneOffset.UTC), Arbitraries.just(MarketTime.ZONE.getRules()
                        .getOffset(Instant.parse("1880-01-01T00:00:00Z"))));
        Arbitrary<LocalDate> dates = Arbitraries.oneOf(
                Arbitraries.longs().between(LocalDate.of(-20000, 1, 1).toEpochDay(), LocalDate.of(20000, 1, 1)
                        .toEpochDay()).map(LocalDate::ofEpochDay),
                ms.map(MarketTime::tradingDate));
        Arbitrary<Double> doubles = Arbitraries.oneOf(finiteDoubles(),
                Arbitraries.longs().map(Double::longBitsToDouble),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0,
                        Double.MIN_VALUE, Double.MAX_VALUE, 1.0E23, 2.82879384806159E17, 1.0E7, 1.0E-3, 9.999999E6));
        Arbitrary<Instant> instants = Combinators.combine(ms, Arbitraries.integers().between(1, 999_999_999),
                        Arbitraries.of(true, false))
                .as((m, nanos, whole) -> Instant.ofEpochMilli(m).plusNanos(whole ? 0 : nanos));
        return Combinators.combine(
                        Combinators.combine(tickers, Arbitraries.of(Timespan.class), dates, Arbitraries.longs())
                                .as(List::<Object>of),
                        Combinators.combine(instants, offsets, instants).as(List::<Object>of),
                        doubles.list().ofSize(5),
                        Combinators.combine(doubles.injectNull(0.3), Arbitraries.longs().injectNull(0.3),
                                        Arbitraries.of(true, false), doubles.injectNull(0.3))
                                .as(java.util.Arrays::<Object>asList),
                        Arbitraries.of(Phase.class), Arbitraries.integers())
                .as((id, times, v, opt, phase, schema) -> new Bar((String) id.get(0), (Timespan) id.get(1),
                        (LocalDate) id.get(2), (Long) id.get(3),
                        OffsetDateTime.ofInstant((Instant) times.get(0), (ZoneOffset) times.get(1)),
                        (Instant) times.get(2), v.get(0), v.get(1), v.get(2), v.get(3), v.get(4),
                        (Double) opt.get(0), (Long) opt.get(1), (Boolean) opt.get(2), (Double) opt.get(3), phase,
                        schema));
    }

    private static Arbitrary<String> symbols() {
        return Arbitraries.strings().withCharRange('A', 'Z').withCharRange('0', '9').ofMinLength(1).ofMaxLength(6)
                .map(s -> "Q" + s);
    }

    /** Realistic prices and volumes, and any finite bit pattern (subnormals, 17 digits, huge exponents). */
    private static Arbitrary<Double> finiteDoubles() {
        return Arbitraries.oneOf(Arbitraries.doubles().between(0, 100_000).ofScale(4),
                Arbitraries.longs().between(0, 1_000_000_000_000L).map(Long::doubleValue),
                Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite));
    }
}
