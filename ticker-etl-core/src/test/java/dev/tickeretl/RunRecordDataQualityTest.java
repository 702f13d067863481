package dev.tickeretl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.internal.JsonCodec;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Severity and counts in run records, including those written before either existed. */
class RunRecordDataQualityTest {

    @Test
    void aRecordWrittenBeforeSeveritiesAndCountsGetsThemFromItsWarnings() {
        String old = """
                {"run_id":"20250131T210000000Z-aaaaaa","status":"SUCCEEDED","warnings":[
                  {"kind":"INVALID_BAR","ticker":"AAPL","trading_date":"2025-01-03","message":"high 1.0 < low 2.0"},
                  {"kind":"INVALID_BAR","ticker":"AAPL","trading_date":"2025-01-06","message":"high 1.0 < low 2.0"},
                  {"kind":"MISSING_PREVIOUS_BAR","ticker":"MSFT","trading_date":"2025-01-08","message":"gap"},
                  {"kind":"SOMETHING_NEWER","ticker":null,"trading_date":null,"message":"?"}]}""";

        RunRecord r = JsonCodec.parseRun(old.getBytes(StandardCharsets.UTF_8));

        assertThat(r.warnings()).extracting(RunRecord.DataQualityWarning::severity)
                .containsExactly(Severity.ERROR, Severity.ERROR, Severity.INFO, Severity.WARN);
        assertThat(r.dataQuality()).isEqualTo(Map.of(
                "INVALID_BAR", new RunRecord.CheckCount(Severity.ERROR, 2),
                "MISSING_PREVIOUS_BAR", new RunRecord.CheckCount(Severity.INFO, 1),
                "SOMETHING_NEWER", new RunRecord.CheckCount(Severity.WARN, 1)));
    }

    @Test
    void severitiesAndCountsSurviveTheRoundTripAndShowInTheSummary() {
        RunRecord r = new RunRecord("20250131T210000000Z-aaaaaa", RunStatus.SUCCEEDED, null, null, null, null, null,
                null, null, null, null, null, Map.of("PRICE_JUMP", new RunRecord.CheckCount(Severity.WARN, 250),
                "DUPLICATE_KEY", new RunRecord.CheckCount(Severity.ERROR, 1)), java.util.List.of(
                new RunRecord.DataQualityWarning("PRICE_JUMP", "AAPL", null, "a jump")), null);

        String json = new String(JsonCodec.toJson(r), StandardCharsets.UTF_8);

        assertThat(JsonCodec.parseRun(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(r);
        assertThat(json).contains("\"severity\" : \"WARN\"").contains("\"data_quality\" : {");
        assertThat(r.toString()).contains("data quality: 1 ERROR (DUPLICATE_KEY 1), 250 WARN (PRICE_JUMP 250)");
    }
}
