package dev.tickeretl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickeretl.Bar;
import dev.tickeretl.Phase;
import dev.tickeretl.Timespan;
import dev.tickeretl.spi.InvalidBarException;
import dev.tickeretl.spi.RawBar;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MarketTimeTransformerTest {

    private final MarketTimeTransformer transformer = new MarketTimeTransformer();

    @Test
    void polygonDailyStartIsMidnightNewYorkInStandardTime() throws InvalidBarException {
        Bar bar = transformer.transform(raw("AAPL", 1112331600000L, 10, 11, 9, 10.5, 1000));
        assertThat(bar.tradingDate()).isEqualTo(LocalDate.of(2005, 4, 1));
        assertThat(bar.startEt()).isEqualTo(OffsetDateTime.parse("2005-04-01T00:00-05:00"));
        assertThat(bar.startUtc()).isEqualTo(Instant.parse("2005-04-01T05:00:00Z"));
    }

    @Test
    void polygonDailyStartAfterTheSpringSwitchIsMidnightNewYorkInDaylightTime() throws InvalidBarException {
        Bar bar = transformer.transform(raw("AAPL", 1112587200000L, 10, 11, 9, 10.5, 1000));
        assertThat(bar.tradingDate()).isEqualTo(LocalDate.of(2005, 4, 4));
        assertThat(bar.startEt()).isEqualTo(OffsetDateTime.parse("2005-04-04T00:00-04:00"));
        assertThat(bar.startUtc()).isEqualTo(Instant.parse("2005-04-04T04:00:00Z"));
    }

    @Test
    void storedJsonCarriesBothOffsetsAsTheContractShowsThem() throws InvalidBarException {
        String json = JsonCodec.toJson(transformer.transform(raw("AAPL", 1112331600000L, 10, 11, 9, 10.5, 1000)));
        assertThat(json).contains("\"trading_date\":\"2005-04-01\"", "\"start_ms\":1112331600000",
                "\"start_et\":\"2005-04-01T00:00:00-05:00\"", "\"start_utc\":\"2005-04-01T05:00:00Z\"",
                "\"phase\":null", "\"prior_volume\":null", "\"schema_version\":1");
    }

    @Test
    void passesThroughOptionalFieldsAndLeavesThePhaseToTheTagger() throws InvalidBarException {
        RawBar raw = new RawBar("BRK.B", Timespan.MINUTE, 1710163800000L, 400.1, 401.5, 399.75, 400.0,
                12_345.678, 400.42, 321L, false);
        Bar bar = transformer.transform(raw);
        assertThat(bar.ticker()).isEqualTo("BRK.B");
        assertThat(bar.timespan()).isEqualTo(Timespan.MINUTE);
        assertThat(bar.startEt()).isEqualTo(OffsetDateTime.parse("2024-03-11T09:30-04:00"));
        assertThat(bar.volume()).isEqualTo(12_345.678);
        assertThat(bar.vwap()).isEqualTo(400.42);
        assertThat(bar.transactions()).isEqualTo(321L);
        assertThat(bar.adjusted()).isFalse();
        assertThat(bar.phase()).as("the tagger decides, when the bar is stored").isNull();
        assertThat(bar.priorVolume()).isNull();
        assertThat(bar.schemaVersion()).isEqualTo(Bar.SCHEMA_VERSION);
    }

    @Test
    void zeroVolumeAndZeroPricesAreValid() throws InvalidBarException {
        Bar bar = transformer.transform(new RawBar("ZERO", Timespan.DAY, 1112331600000L, 0, 0, 0, 0, 0, 0.0, 0L,
                true));
        assertThat(bar.volume()).isZero();
        assertThat(bar.open()).isZero();
        assertThat(bar.vwap()).isZero();
        assertThat(bar.transactions()).isZero();
    }

    @Test
    void negativeZeroIsStoredAsZeroSoEqualBarsSerialiseIdentically() throws InvalidBarException {
        Bar negative = transformer.transform(new RawBar("AAPL", Timespan.DAY, 1112331600000L, -0.0, 1, -0.0, 1,
                -0.0, -0.0, null, true));
        Bar positive = transformer.transform(new RawBar("AAPL", Timespan.DAY, 1112331600000L, 0.0, 1, 0.0, 1,
                0.0, 0.0, null, true));
        assertThat(negative).isEqualTo(positive);
        assertThat(JsonCodec.toJson(negative)).isEqualTo(JsonCodec.toJson(positive)).doesNotContain("-0.0");
    }

    @ParameterizedTest(name = "{0}={1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            open   | NaN       | open is NaN
            high   | Infinity  | high is Infinity
            low    | -Infinity | low is -Infinity
            close  | -0.01     | close -0.01 is negative
            volume | -3.0      | volume -3.0 is negative
            volume | NaN       | volume is NaN
            vwap   | -1.5      | vwap -1.5 is negative
            vwap   | NaN       | vwap is NaN
            """)
    void invalidValuesAreRejectedNamingFieldAndValue(String field, double value, String message) {
        RawBar valid = raw("AAPL", 1112331600000L, 10, 11, 9, 10.5, 1000);
        assertThatThrownBy(() -> transformer.transform(BarArbitraries.with(valid, field, value)))
                .isInstanceOf(InvalidBarException.class)
                .hasMessage(message);
    }

    @Test
    void highBelowLowIsRejected() {
        assertThatThrownBy(() -> transformer.transform(raw("AAPL", 1112331600000L, 10, 9.5, 10.0, 9.8, 100)))
                .isInstanceOf(InvalidBarException.class)
                .hasMessage("high 9.5 < low 10.0");
    }

    @Test
    void negativeTransactionCountIsRejected() {
        RawBar raw = new RawBar("AAPL", Timespan.DAY, 1112331600000L, 10, 11, 9, 10, 100, null, -3L, true);
        assertThatThrownBy(() -> transformer.transform(raw))
                .isInstanceOf(InvalidBarException.class)
                .hasMessage("transactions -3 is negative");
    }

    @ParameterizedTest(name = "ticker \"{0}\"")
    @ValueSource(strings = {"", "aapl", "1ABC", "AAPL/../X", "BRK.", "TOOLONGSYMBOL", "A B"})
    void malformedTickerIsRejected(String ticker) {
        assertThatThrownBy(() -> transformer.transform(raw(ticker, 1112331600000L, 10, 11, 9, 10, 100)))
                .isInstanceOf(InvalidBarException.class)
                .hasMessage("ticker '" + ticker + "' is not a valid symbol");
    }

    @Test
    void isFoundByItsNameThroughServiceLoader() {
        assertThat(Providers.transformer("market-time")).isInstanceOf(MarketTimeTransformer.class)
                .extracting(t -> t.name()).isEqualTo("market-time");
    }

    private static RawBar raw(String ticker, long ms, double o, double h, double l, double c, double v) {
        return new RawBar(ticker, Timespan.DAY, ms, o, h, l, c, v, null, null, true);
    }
}
