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
    void pricesWithUpToFourDecimalsTakeTheFastPath(@ForAll @LongRange(min = 10, max = 999_999_999) long m,
            @ForAll @IntRange(min = 0, max = 4) int k) {
        double value = m / Math.pow(10, k);
        Assume.that(value < 10_000_000.0);
        AsciiBuffer out = new AsciiBuffer(4);
        assertThat(out.shortDecimal(value)).isTrue();
        assertThat(out.toAsciiString()).isEqualTo(Double.toString(value));
    }

    @Property(tries = 2000)
    void longsAreWrittenAsLongToStringWritesThem(@ForAll long value) {
        assertThat(new AsciiBuffer(1).decimal(value).toAsciiString()).isEqualTo(Long.toString(value));
    }

    @Test
    void boundariesOfTheFastDomainMatchTheJdk() {
        double[] values = {0.0, -0.0, 0.001, 0.0009999, 0.0011, 9_999_999.9, 9_999_999.0, 10_000_000.0, 1.0E7 - 0.5,
                99_999.9999, 100_000.0001, 0.1, 0.2, 0.3, 1.005, 2.675, 248.28, 4498266.0, 4824656.8, 1.0E-4,
                Double.MIN_VALUE, Double.MAX_VALUE, Double.NaN, Double.POSITIVE_INFINITY, -1.5, 123456.78901};
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
                Arbitraries.longs().between(0, 1L << 53).map(Long::doubleValue));
    }
}
