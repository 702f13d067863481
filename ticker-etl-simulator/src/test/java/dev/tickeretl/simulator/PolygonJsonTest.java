package dev.tickeretl.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Scale;
import org.junit.jupiter.api.Test;

class PolygonJsonTest {

    @Test
    void numbersArePlainDecimalsWithoutExponentOrTrailingPointZero() {
        assertThat(PolygonJson.plain(135_647_456.0)).isEqualTo("135647456");
        assertThat(PolygonJson.plain(123_456_789.1)).isEqualTo("123456789.1");
        assertThat(PolygonJson.plain(25_933.6)).isEqualTo("25933.6");
        assertThat(PolygonJson.plain(0.0001)).isEqualTo("0.0001");
        assertThat(PolygonJson.plain(712_345.67)).isEqualTo("712345.67");
        assertThat(PolygonJson.plain(1.5e16)).isEqualTo("15000000000000000");
    }

    @Property(tries = 500)
    void theFastPathWritesWhatBigDecimalWouldAndParsesBackExactly(
            @ForAll @DoubleRange(min = 1e-6, max = 1e12) @Scale(8) double value) {
        String plain = PolygonJson.plain(value);

        assertThat(plain).doesNotContain("E");
        assertThat(Double.parseDouble(plain)).isEqualTo(value);
        if (value != Math.rint(value)) {
            assertThat(plain).isEqualTo(BigDecimal.valueOf(value).stripTrailingZeros().toPlainString());
        }
    }
}
