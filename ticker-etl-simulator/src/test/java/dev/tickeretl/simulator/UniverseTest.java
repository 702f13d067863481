package dev.tickeretl.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tickeretl.MarketTime;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 9 point 3: one universe behind every endpoint, with listings, delistings and unknown symbols. */
class UniverseTest {

    private static List<String> groupedSymbols(PolygonSimulator sim, LocalDate day) {
        JsonNode body = Http.get(sim.baseUrl() + "/v2/aggs/grouped/locale/us/market/stocks/" + day).json();
        List<String> symbols = new ArrayList<>();
        if (body.has("results")) {
            body.get("results").forEach(bar -> symbols.add(bar.get("T").asText()));
        }
        return symbols;
    }

    private static List<LocalDate> rangeDates(PolygonSimulator sim, String ticker, LocalDate from, LocalDate to) {
        List<LocalDate> dates = new ArrayList<>();
        for (JsonNode bar : Http.results(Http.pages(sim.baseUrl() + "/v2/aggs/ticker/" + ticker + "/range/1/day/"
                + from + "/" + to))) {
            dates.add(MarketTime.tradingDate(bar.get("t").asLong()));
        }
        return dates;
    }

    @Test
    void aDelistedTickerHasNoBarsAfterItsLastTradingDayOnEitherEndpoint() {
        LocalDate last = LocalDate.of(2024, 3, 6);
        try (PolygonSimulator sim = PolygonSimulator.builder().universe(List.of("AAPL", "OLDCO"))
                .delistedAfter("OLDCO", last).start()) {
            assertThat(groupedSymbols(sim, last)).containsExactly("AAPL", "OLDCO");
            assertThat(groupedSymbols(sim, last.plusDays(1))).containsExactly("AAPL");
            assertThat(rangeDates(sim, "OLDCO", LocalDate.of(2024, 3, 4), LocalDate.of(2024, 3, 8)))
                    .containsExactly(LocalDate.of(2024, 3, 4), LocalDate.of(2024, 3, 5), last);
            assertThat(sim.dailyBar("OLDCO", last.plusDays(1), true)).isEmpty();
        }
    }

    @Test
    void anUnknownSymbolHasNoBarsFromEitherEndpointWhileItsNeighbourInTheUniverseHas() {
        try (PolygonSimulator sim = PolygonSimulator.builder().start()) {
            LocalDate day = LocalDate.of(2024, 3, 5);
            assertThat(groupedSymbols(sim, day)).contains("AAPL").doesNotContain("APPL");
            assertThat(rangeDates(sim, "APPL", day, day)).isEmpty();
            assertThat(rangeDates(sim, "AAPL", day, day)).containsExactly(day);
            assertThat(sim.dailyBar("APPL", day, true)).isEmpty();
        }
    }

    @Test
    void realSymbolsTradeFromTheirRealFirstDayUnlessTheTestListsThemOtherwise() {
        LocalDate ipo = LocalDate.of(2004, 8, 19);
        try (PolygonSimulator sim = PolygonSimulator.builder().start();
             PolygonSimulator relisted = PolygonSimulator.builder().listedSince("GOOGL", LocalDate.of(2000, 1, 3))
                     .start()) {
            assertThat(rangeDates(sim, "GOOGL", ipo.minusDays(3), ipo.plusDays(1))).containsExactly(ipo, ipo.plusDays(1));
            assertThat(groupedSymbols(sim, ipo.minusDays(1))).doesNotContain("GOOGL").contains("AAPL");
            assertThat(rangeDates(relisted, "GOOGL", ipo.minusDays(3), ipo.minusDays(1))).hasSize(3);
        }
    }

    @Test
    void aDelistingBeforeTheListingIsRefusedNamingTheTicker() {
        PolygonSimulator.Builder builder = PolygonSimulator.builder()
                .listedSince("NEWCO", LocalDate.of(2024, 6, 3)).delistedAfter("NEWCO", LocalDate.of(2024, 5, 31));

        assertThatThrownBy(builder::start).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NEWCO").hasMessageContaining("delistedAfter");
    }
}
