package dev.tickeretl.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tickeretl.MarketTime;
import dev.tickeretl.Tickers;
import dev.tickeretl.TradingCalendar;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GroupedDailyTest {

    private static PolygonSimulator sim;

    @BeforeAll
    static void start() {
        sim = PolygonSimulator.builder().seed(11).start();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static JsonNode grouped(PolygonSimulator simulator, LocalDate date, String query) {
        Http.Answer answer = Http.get(simulator.baseUrl() + "/v2/aggs/grouped/locale/us/market/stocks/" + date
                + (query.isEmpty() ? "" : "?" + query));
        assertThat(answer.status()).isEqualTo(200);
        return answer.json();
    }

    @Test
    void defaultUniverseHoldsTheDefaultTickersAndEnoughForThreeThousandTickerBenchmarks() {
        List<String> universe = PolygonSimulator.defaultUniverse();

        assertThat(universe).startsWith(Tickers.DEFAULTS.toArray(String[]::new)).endsWith("BRK.A", "BRK.B");
        assertThat(universe).hasSize(Tickers.DEFAULTS.size() + PolygonSimulator.SYNTHETIC_UNIVERSE_SIZE + 2)
                .doesNotHaveDuplicates().allMatch(Tickers::isValid);
        assertThat(universe.subList(Tickers.DEFAULTS.size(), universe.size() - 2))
                .allMatch(symbol -> symbol.matches("[BCDFGHJKLMNP-TV-XZ]{4}"));
        // The bench's N-ticker sets are the first N symbols: those it recorded numbers with must not move.
        assertThat(universe.subList(5, 10)).containsExactly("RCVM", "SCQL", "TCLK", "VCGJ", "WCBH");
        assertThat(universe.get(499)).isEqualTo("DCTT");
        assertThat(universe.get(604)).isEqualTo("JBNN");
        assertThat(sim.universe()).isEqualTo(universe);
    }

    @Test
    void generatedUniversesOfAnySizeExtendTheDefaultOneStably() {
        List<String> wide = PolygonSimulator.generatedUniverse(10_000);

        assertThat(wide).hasSize(10_000).doesNotHaveDuplicates().allMatch(Tickers::isValid);
        assertThat(wide.subList(0, 3_005)).isEqualTo(PolygonSimulator.defaultUniverse().subList(0, 3_005));
        assertThat(PolygonSimulator.generatedUniverse(3)).containsExactly("AAPL", "MSFT", "NVDA");
        assertThat(PolygonSimulator.generatedUniverse(20_000).subList(0, 10_000)).isEqualTo(wide);
    }

    @Test
    void tradingDayAnswersOneBarPerUniverseTickerStampedAtFourPmNewYork() {
        LocalDate day = LocalDate.of(2024, 3, 5);
        JsonNode body = grouped(sim, day, "adjusted=true");

        assertThat(body.get("status").asText()).isEqualTo("OK");
        assertThat(body.get("adjusted").asBoolean()).isTrue();
        assertThat(body.get("request_id").asText()).isNotBlank();
        assertThat(body.get("resultsCount").asInt()).isEqualTo(sim.universe().size());
        assertThat(body.get("queryCount").asInt()).isEqualTo(sim.universe().size());
        List<String> symbols = new ArrayList<>();
        for (JsonNode bar : body.get("results")) {
            symbols.add(bar.get("T").asText());
            assertThat(MarketTime.eastern(bar.get("t").asLong()).toLocalDate()).isEqualTo(day);
            assertThat(MarketTime.eastern(bar.get("t").asLong()).toLocalTime()).isEqualTo(LocalTime.of(16, 0));
        }
        assertThat(symbols).containsExactlyElementsOf(sim.universe());
    }

    @Test
    void numbersArePlainDecimalsAndVolumesMostlyWhole() {
        Http.Answer answer = Http.get(sim.baseUrl() + "/v2/aggs/grouped/locale/us/market/stocks/2024-03-05");

        // A number value in exponent notation, e.g. "v":3.94691642E7.
        assertThat(answer.body().matches("(?s).*:-?\\d+(\\.\\d+)?[eE][-+]?\\d.*")).isFalse();
        List<JsonNode> volumes = new ArrayList<>();
        answer.json().get("results").forEach(bar -> volumes.add(bar.get("v")));
        long whole = volumes.stream().filter(JsonNode::isIntegralNumber).count();
        assertThat(whole).isGreaterThan(volumes.size() * 8L / 10).isLessThan(volumes.size());
        assertThat(volumes).allMatch(v -> v.asDouble() > 0);
    }

    @Test
    void groupedBarsEqualTheRangeEndpointsBarsForTheSameDay() {
        LocalDate day = LocalDate.of(2024, 3, 5);
        JsonNode groupedAapl = null;
        for (JsonNode bar : grouped(sim, day, "adjusted=false").get("results")) {
            if (bar.get("T").asText().equals("AAPL")) {
                groupedAapl = bar;
            }
        }
        JsonNode rangeAapl = Http.get(sim.baseUrl() + "/v2/aggs/ticker/AAPL/range/1/day/" + day + "/" + day
                + "?adjusted=false").json().get("results").get(0);

        assertThat(groupedAapl).isNotNull();
        for (String field : List.of("o", "h", "l", "c", "v", "vw", "n")) {
            assertThat(groupedAapl.get(field)).as(field).isEqualTo(rangeAapl.get(field));
        }
    }

    @Test
    void everyNonTradingDayAnswersZeroResultsWithoutAResultsField() {
        TradingCalendar nyse = TradingCalendar.nyse();
        List<LocalDate> closed = new ArrayList<>();
        for (LocalDate d = LocalDate.of(2024, 1, 1); d.getYear() == 2024; d = d.plusDays(1)) {
            if (!nyse.isTradingDay(d)) {
                closed.add(d);
            }
        }
        assertThat(closed).contains(LocalDate.of(2024, 7, 6), LocalDate.of(2024, 7, 7)); // a weekend at least

        for (LocalDate day : closed) {
            JsonNode body = grouped(sim, day, "");
            assertThat(body.get("resultsCount").asInt()).as(day.toString()).isZero();
            assertThat(body.has("results")).isFalse();
            assertThat(body.get("status").asText()).isEqualTo("OK");
        }
    }

    @Test
    void configuredUniverseListingsAndRemovalsShapeTheAnswer() {
        LocalDate day = LocalDate.of(2024, 3, 5);
        try (PolygonSimulator small = PolygonSimulator.builder()
                .universe(List.of("AAPL", "MSFT", "NEWCO", "TSLA"))
                .listedSince("NEWCO", day.plusDays(1))
                .removeBar("TSLA", day)
                .start()) {
            List<String> symbols = new ArrayList<>();
            grouped(small, day, "").get("results").forEach(bar -> symbols.add(bar.get("T").asText()));
            assertThat(symbols).containsExactly("AAPL", "MSFT");
        }
    }
}
