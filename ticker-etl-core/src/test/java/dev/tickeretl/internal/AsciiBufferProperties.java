package dev.tickeretl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The buffer's number writers are the JDK's {@code toString}s, byte for byte, for any value. */
class AsciiBufferProperties {

    @Property(tries = 5000)
    void doublesAreWrittenAsDoubleToStringWritesThem(@ForAll("doubles") double value) {
        assertThat(new AsciiBuffer(4).decimal(value).toAsciiString()).isEqualTo(Double.toString(value));
    }

    @Property(tries = 5000)
    void pricesWithUpToFourDecimalsTakeTheFastPath(@ForAll @LongRange(min = 10, max = 9_999_999_999L) long m,
            @ForAll @IntRange(min = 0, max = 4) int k) {
        double value = m / Math.pow(10, k);
        Assume.that(value < 10_000_000.0);
        AsciiBuffer out = new AsciiBuffer(4);
        assertThat(out.shortDecimal(value)).isTrue();
        assertThat(out.toAsciiString()).isEqualTo(Double.toString(value));
    }

    @Property(tries = 5000)
    void wholeVolumesFromTenMillionTo2pow53TakeTheFastPath(
            @ForAll @LongRange(min = 10_000_000L, max = (1L << 53) - 1) long volume) {
        AsciiBuffer out = new AsciiBuffer(4);
        assertThat(out.shortDecimal(volume)).isTrue();
        assertThat(out.toAsciiString()).isEqualTo(Double.toString(volume));
    }

    @Property(tries = 5000)
    void fractionalVolumesFromTenMillionToTenBillionTakeTheFastPath(
            @ForAll @LongRange(min = 10_000_000L, max = 9_999_999_999L) long whole,
            @ForAll @IntRange(min = 1, max = 4) int k, @ForAll @LongRange(min = 1, max = 9_999) long fraction) {
        double value = (whole * Math.pow(10, k) + fraction % (long) Math.pow(10, k)) / Math.pow(10, k);
        Assume.that(value < 1e10);
        AsciiBuffer out = new AsciiBuffer(4);
        assertThat(out.shortDecimal(value)).as("%s", value).isTrue();
        assertThat(out.toAsciiString()).isEqualTo(Double.toString(value));
    }

    @Property(tries = 500)
    void roundWholeVolumesKeepAtLeastOneFractionDigit(@ForAll @IntRange(min = 1, max = 9) int digit,
            @ForAll @IntRange(min = 7, max = 15) int exponent) {
        double value = digit * Math.pow(10, exponent);
        AsciiBuffer out = new AsciiBuffer(4);
        assertThat(out.shortDecimal(value)).isTrue();
        assertThat(out.toAsciiString()).isEqualTo(Double.toString(value)).isEqualTo(digit + ".0E" + exponent);
    }

    @Test
    void subPennyPricesOfOneToNineTicksTakeTheFastPath() {
        for (int ticks = 1; ticks <= 9; ticks++) {
            double price = ticks / 10_000.0;
            AsciiBuffer out = new AsciiBuffer(4);
            assertThat(out.shortDecimal(price)).as("%s", price).isTrue();
            assertThat(out.toAsciiString()).isEqualTo(Double.toString(price)).isEqualTo(ticks + ".0E-4");
        }
    }

    @Property(tries = 2000)
    void longsAreWrittenAsLongToStringWritesThem(@ForAll long value) {
        assertThat(new AsciiBuffer(1).decimal(value).toAsciiString()).isEqualTo(Long.toString(value));
    }

    @Test
    void boundariesOfTheFastDomainMatchTheJdk() {
        double[] values = {0.0, -0.0, 0.001, 0.0009999, 0.0011, 9_999_999.9, 9_999_999.0, 10_000_000.0, 1.0E7 - 0.5,
                99_999.9999, 100_000.0001, 0.1, 0.2, 0.3, 1.005, 2.675, 248.28, 4498266.0, 4824656.8, 1.0E-4,
                Double.MIN_VALUE, Double.MAX_VALUE, Double.NaN, Double.POSITIVE_INFINITY, -1.5, 123456.78901,
                1.0E7 + 0.5, 1.2345678E7, 1.00000001E8, 9_007_199_254_740_991.0, 9_007_199_254_740_992.0, 1.0E16,
                1.5E-4, 0.00012, 9.99E-5, 4.3619434795866E9, -1.0E8, 1.234567825E7, 9.9999999999999E9, 1.0E10 + 0.5,
                699_999.9999, 700_123.4567, 1.00000005E7, 123_456_789_012.5};
        for (double v : values) {
            assertThat(new AsciiBuffer(4).decimal(v).toAsciiString()).as("%s", v).isEqualTo(Double.toString(v));
        }
        assertThat(new AsciiBuffer(1).decimal(Long.MIN_VALUE).decimal(0L).toAsciiString())
                .isEqualTo(Long.MIN_VALUE + "0");
    }

    @Test
    void growsAndTruncates() {
        AsciiBuffer out = new AsciiBuffer(1).ascii("abc").utf8("é").ascii('!');
        assertThat(out.toByteArray()).containsExactly('a', 'b', 'c', 0xc3, 0xa9, '!');
        out.truncate(3);
        assertThat(out.toAsciiString()).isEqualTo("abc");
    }

    @Provide
    Arbitrary<Double> doubles() {
        return Arbitraries.oneOf(
                Arbitraries.longs().map(Double::longBitsToDouble),
                Arbitraries.doubles().between(0, 10_000_000).ofScale(4),
                Arbitraries.doubles().between(0, 10_000_000).ofScale(6),
                Arbitraries.doubles().between(0, 0.01),
                Arbitraries.longs().between(0, 1L << 53).map(Long::doubleValue),
                Arbitraries.longs().between(1L << 53, Long.MAX_VALUE).map(Long::doubleValue),
                Arbitraries.doubles().between(10_000_000, 1e11).ofScale(4),
                Arbitraries.doubles().between(0.00001, 0.001).ofScale(7));
    }
}
