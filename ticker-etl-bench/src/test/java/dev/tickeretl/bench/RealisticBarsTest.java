package dev.tickeretl.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.internal.Providers;
import dev.tickeretl.spi.RawBar;
import dev.tickeretl.spi.Transformer;
import java.time.LocalDate;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark data has the magnitudes of real data (issue 10, point 7), and the pipeline accepts every bar. */
class RealisticBarsTest {

    private final List<RawBar> bars = RealisticBars.days(20, LocalDate.of(2024, 1, 2), LocalDate.of(2024, 12, 31),
            7L);

    @Test
    void pricesSpanASubPennyStockToBrkAAndVolumesTenToThePower5To10() {
        DoubleSummaryStatistics prices = bars.stream()
                .flatMapToDouble(b -> java.util.stream.DoubleStream.of(b.open(), b.high(), b.low(), b.close()))
                .summaryStatistics();
        DoubleSummaryStatistics volumes = bars.stream().mapToDouble(RawBar::volume).summaryStatistics();

        assertThat(bars).hasSize(20 * 252);
        assertThat(prices.getMin()).isEqualTo(0.0001);
        assertThat(prices.getMax()).isBetween(500_000.0, 2_000_000.0);
        assertThat(volumes.getMin()).isGreaterThanOrEqualTo(1e5).isLessThan(2e5);
        assertThat(volumes.getMax()).isLessThanOrEqualTo(1e10).isGreaterThan(5e9);
        assertThat(bars.stream().filter(b -> b.volume() >= 1e7).count()).as("volumes of ten million and more")
                .isGreaterThan(bars.size() / 3);
        assertThat(bars.stream().filter(b -> b.volume() != Math.rint(b.volume())).count()).as("fractional volumes")
                .isGreaterThan(bars.size() / 5);
    }

    @Test
    void everyBarIsValidForThePipeline() throws Exception {
        Transformer transformer = Providers.transformer("market-time");
        for (RawBar raw : bars) {
            transformer.transform(raw);
        }
        assertThat(RealisticBars.days(2, LocalDate.of(2024, 1, 2), LocalDate.of(2024, 1, 31), 7L))
                .isEqualTo(RealisticBars.days(2, LocalDate.of(2024, 1, 2), LocalDate.of(2024, 1, 31), 7L));
    }
}
