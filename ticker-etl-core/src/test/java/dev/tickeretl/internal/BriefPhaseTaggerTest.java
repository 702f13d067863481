package dev.tickeretl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.Bar;
import dev.tickeretl.Phase;
import dev.tickeretl.Timespan;
import dev.tickeretl.spi.InvalidBarException;
import dev.tickeretl.spi.RawBar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BriefPhaseTaggerTest {

    private final BriefPhaseTagger tagger = new BriefPhaseTagger();

    @ParameterizedTest(name = "open {0} close {1} volume {2} vs {3} -> {4}")
    @CsvSource(textBlock = """
            100.0, 105.0, 2000, 1000, BULL
            100.0,  95.0, 2000, 1000, BEAR
            100.0, 105.0, 1000, 2000, NEUTRAL
            100.0,  95.0, 1000, 2000, NEUTRAL
            100.0, 100.0, 2000, 1000, NEUTRAL
            100.0, 105.0, 1000, 1000, NEUTRAL
            100.0,  95.0, 1000, 1000, NEUTRAL
            100.0, 100.0, 1000, 1000, NEUTRAL
            100.0, 105.0,    0,    0, NEUTRAL
            100.0, 105.0,  0.5,    0, BULL
            0.0,     0.0, 2000, 1000, NEUTRAL
            """)
    void theBriefsRuleOnPlainDays(double open, double close, double volume, double previousVolume,
                                  Phase expected) throws InvalidBarException {
        assertThat(tagger.phaseOf(bar(open, close, volume), TestPriors.previous(bar(50, 50, previousVolume)))).isEqualTo(expected);
    }

    @Test
    void aTickersFirstBarIsNeutral() throws InvalidBarException {
        assertThat(tagger.phaseOf(bar(100, 200, 1_000_000), TestPriors.previous(null))).isEqualTo(Phase.NEUTRAL);
    }

    @Test
    void onlyThePreviousBarsVolumeMatters() throws InvalidBarException {
        // The previous day fell hard; today rose on more volume: Bull, whatever yesterday's direction.
        assertThat(tagger.phaseOf(bar(10, 11, 200), TestPriors.previous(bar(20, 5, 100)))).isEqualTo(Phase.BULL);
    }

    @Test
    void isFoundByItsNameThroughServiceLoader() {
        assertThat(Providers.phaseTagger("brief")).isInstanceOf(BriefPhaseTagger.class)
                .extracting(t -> t.name()).isEqualTo("brief");
    }

    static Bar bar(double open, double close, double volume) throws InvalidBarException {
        double high = Math.max(open, close);
        double low = Math.min(open, close);
        return new MarketTimeTransformer().transform(
                new RawBar("AAPL", Timespan.DAY, 1112331600000L, open, high, low, close, volume, null, null, true));
    }
}
