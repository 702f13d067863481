package dev.tickeretl.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tickeretl.MarketTime;
import dev.tickeretl.TradingCalendar;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RangeEndpointTest {

    private static final TradingCalendar NYSE = TradingCalendar.nyse();
    private static PolygonSimulator sim;

    @BeforeAll
    static void start() {
        sim = PolygonSimulator.builder().seed(7).start();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static String range(String ticker, String timespan, String from, String to, String query) {
        return sim.baseUrl() + "/v2/aggs/ticker/" + ticker + "/range/1/" + timespan + "/" + from + "/" + to
                + (query.isEmpty() ? "" : "?" + query);
    }

    private static List<Long> expectedDailyStarts(LocalDate from, LocalDate to) {
        return NYSE.tradingDays(from, to).stream().map(MarketTime::startOfDayMs).toList();
    }

    private static List<Long> starts(List<JsonNode> results) {
        List<Long> t = new ArrayList<>();
        results.forEach(r -> t.add(r.get("t").asLong()));
        return t;
    }

    @Test
    void responseCarriesTheOpenApiFieldsAndBarFields() {
        Http.Answer answer = Http.get(range("AAPL", "day", "2024-03-04", "2024-03-08", "adjusted=true&sort=asc"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode body = answer.json();
        assertThat(body.get("ticker").asText()).isEqualTo("AAPL");
        assertThat(body.get("adjusted").isBoolean()).isTrue();
        assertThat(body.get("status").asText()).isEqualTo("OK");
        assertThat(body.get("request_id").asText()).matches("[0-9a-f]{32}");
        int n = NYSE.tradingDays(LocalDate.of(2024, 3, 4), LocalDate.of(2024, 3, 8)).size();
        assertThat(body.get("queryCount").asInt()).isEqualTo(n);
        assertThat(body.get("resultsCount").asInt()).isEqualTo(n);
        assertThat(body.get("count").asInt()).isEqualTo(n);
        assertThat(body.has("next_url")).isFalse();
        for (JsonNode bar : body.get("results")) {
            assertThat(bar.fieldNames()).toIterable().containsExactlyInAnyOrder("o", "h", "l", "c", "v", "vw", "n", "t");
            assertThat(bar.get("t").isIntegralNumber()).isTrue();
            assertThat(bar.get("n").isIntegralNumber()).isTrue();
            for (String price : List.of("o", "h", "l", "c", "vw", "v")) {
                assertThat(bar.get(price).isNumber()).as(price).isTrue();
            }
        }
    }

    @Test
    void dailyBarsFallOnTradingDaysAtMidnightNewYork() {
        LocalDate from = LocalDate.of(2023, 11, 1);
        LocalDate to = LocalDate.of(2024, 1, 31);
        List<JsonNode> results = Http.results(Http.pages(range("MSFT", "day", from.toString(), to.toString(), "")));

        assertThat(starts(results)).containsExactlyElementsOf(expectedDailyStarts(from, to));
        for (JsonNode bar : results) {
            var eastern = MarketTime.eastern(bar.get("t").asLong());
            assertThat(eastern.toLocalTime()).hasToString("00:00");
            assertThat(NYSE.isTradingDay(eastern.toLocalDate())).isTrue();
        }
    }

    @Test
    void paginationCoversTheRangeExactlyOnceInOrder() {
        try (PolygonSimulator paged = PolygonSimulator.builder().seed(7).pageSize(50).start()) {
            String first = paged.baseUrl() + "/v2/aggs/ticker/NVDA/range/1/day/2024-01-01/2024-12-31?limit=50000";
            List<JsonNode> pages = Http.pages(first);
            List<Long> expected = expectedDailyStarts(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31));

            assertThat(pages).hasSize((expected.size() + 49) / 50);
            for (int i = 0; i < pages.size(); i++) {
                JsonNode page = pages.get(i);
                assertThat(page.get("resultsCount").asInt()).isEqualTo(page.get("results").size())
                        .isLessThanOrEqualTo(50);
                if (i < pages.size() - 1) {
                    String next = page.get("next_url").asText();
                    assertThat(next).startsWith(paged.baseUrl() + "/v2/aggs/ticker/NVDA/range/1/day/")
                            .contains("?cursor=").doesNotContainIgnoringCase("apikey");
                }
            }
            assertThat(starts(Http.results(pages))).containsExactlyElementsOf(expected);
            // Paging changes nothing about the bars themselves.
            assertThat(Http.results(pages)).containsExactlyElementsOf(Http.results(Http.pages(
                    range("NVDA", "day", "2024-01-01", "2024-12-31", "limit=50000"))));
        }
    }

    @Test
    void limitShrinksPagesAndDescendingPagesRunBackwards() {
        List<JsonNode> pages = Http.pages(range("AMZN", "day", "2024-01-01", "2024-03-31", "limit=7&sort=desc"));
        List<Long> expected = new ArrayList<>(expectedDailyStarts(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 3, 31)));
        java.util.Collections.reverse(expected);

        assertThat(pages).allSatisfy(page -> assertThat(page.get("resultsCount").asInt()).isLessThanOrEqualTo(7));
        assertThat(pages).hasSize((expected.size() + 6) / 7);
        assertThat(starts(Http.results(pages))).containsExactlyElementsOf(expected);
    }

    @Test
    void sameSeedGivesTheSameBarsWhateverTheQueryRange() {
        List<JsonNode> january = Http.results(Http.pages(range("GOOGL", "day", "2025-01-02", "2025-01-31", "")));
        List<JsonNode> twoYears = Http.results(Http.pages(range("GOOGL", "day", "2024-01-01", "2025-12-31", "")));
        List<JsonNode> byMillis = Http.results(Http.pages(range("GOOGL", "day",
                Long.toString(MarketTime.startOfDayMs(LocalDate.of(2025, 1, 2))),
                Long.toString(MarketTime.startOfDayMs(LocalDate.of(2025, 1, 31))), "")));

        assertThat(january).isNotEmpty();
        assertThat(twoYears).containsAll(january);
        assertThat(byMillis).containsExactlyElementsOf(january);
    }

    @Test
    void sameSeedGivesTheSameBarsAcrossInstancesAndAnotherSeedDiffers() {
        String path = "/v2/aggs/ticker/AAPL/range/1/day/2024-06-01/2024-06-30";
        try (PolygonSimulator twin = PolygonSimulator.builder().seed(7).start();
             PolygonSimulator other = PolygonSimulator.builder().seed(8).start()) {
            JsonNode mine = Http.get(sim.baseUrl() + path).json().get("results");
            assertThat(Http.get(twin.baseUrl() + path).json().get("results")).isEqualTo(mine);
            assertThat(Http.get(other.baseUrl() + path).json().get("results")).isNotEqualTo(mine);
        }
    }

    @Test
    void unadjustedPricesDifferBeforeTheSimulatedSplit() {
        JsonNode adjusted = Http.get(range("AAPL", "day", "2024-05-06", "2024-05-06", "adjusted=true")).json();
        JsonNode raw = Http.get(range("AAPL", "day", "2024-05-06", "2024-05-06", "adjusted=false")).json();

        assertThat(raw.get("adjusted").asBoolean()).isFalse();
        double ratio = raw.get("results").get(0).get("c").asDouble() / adjusted.get("results").get(0).get("c").asDouble();
        assertThat(ratio).isBetween(1.99, 4.01);
        assertThat(raw.get("results").get(0).get("v").asDouble())
                .isLessThan(adjusted.get("results").get(0).get("v").asDouble());
        assertThat(raw.get("results").get(0).get("t")).isEqualTo(adjusted.get("results").get(0).get("t"));
    }

    @Test
    void minuteBarsAreTheTradedRegularSessionMinutesEachOnceOpeningAndClosingMinuteAlways() {
        LocalDate from = LocalDate.of(2024, 7, 1);
        LocalDate to = LocalDate.of(2024, 7, 8);
        List<JsonNode> results = Http.results(Http.pages(
                range("MSFT", "minute", from.toString(), to.toString(), "limit=500")));

        List<Long> sessionMinutes = new ArrayList<>();
        List<Long> openingAndClosing = new ArrayList<>();
        for (LocalDate day : NYSE.tradingDays(from, to)) {
            TradingCalendar.Session session = NYSE.session(day).orElseThrow();
            for (var m = session.open(); m.isBefore(session.close()); m = m.plusMinutes(1)) {
                sessionMinutes.add(m.toInstant().toEpochMilli());
            }
            openingAndClosing.add(session.open().toInstant().toEpochMilli());
            openingAndClosing.add(session.close().toInstant().toEpochMilli() - 60_000L);
        }
        List<Long> starts = starts(results);
        assertThat(starts).isSorted().doesNotHaveDuplicates().containsAll(openingAndClosing);
        assertThat(sessionMinutes).containsAll(starts);
        assertThat(starts).hasSizeGreaterThan(sessionMinutes.size() / 2);
        // Exactly the minutes the simulator's truth says traded (REST serves them whatever the clock, here).
        List<Long> truth = sim.minuteBars("MSFT", MarketTime.instant(sessionMinutes.get(0)),
                MarketTime.instant(sessionMinutes.get(sessionMinutes.size() - 1) + 60_000L)).stream()
                .map(SimulatedBar::t).toList();
        assertThat(starts).isEqualTo(truth);
        JsonNode firstBar = results.get(0);
        assertThat(MarketTime.eastern(firstBar.get("t").asLong()).toLocalTime()).hasToString("09:30");
        for (JsonNode bar : results) {
            double o = bar.get("o").asDouble(), h = bar.get("h").asDouble(), l = bar.get("l").asDouble();
            double c = bar.get("c").asDouble(), vw = bar.get("vw").asDouble();
            assertThat(l).isPositive().isLessThanOrEqualTo(Math.min(o, c));
            assertThat(h).isGreaterThanOrEqualTo(Math.max(o, c));
            assertThat(vw).isBetween(l, h);
            assertThat(bar.get("v").asDouble()).isPositive();
        }
    }

    @Test
    void someMinutesHaveNoTradesAndThusNoBar() {
        LocalDate day = LocalDate.of(2024, 7, 2);
        TradingCalendar.Session session = NYSE.session(day).orElseThrow();
        int sessionMinutes = (int) java.time.Duration.between(session.open(), session.close()).toMinutes();
        int missing = 0;
        for (String ticker : PolygonSimulator.defaultUniverse().subList(0, 20)) {
            int served = Http.results(Http.pages(range(ticker, "minute", day.toString(), day.toString(), ""))).size();
            assertThat(served).isBetween(2, sessionMinutes);
            missing += sessionMinutes - served;
        }
        assertThat(missing).isPositive();
    }

    @Test
    void minuteBarsHonourMillisecondBounds() {
        LocalDate day = LocalDate.of(2024, 7, 2);
        long open = NYSE.session(day).orElseThrow().open().toInstant().toEpochMilli();
        long first = open + 10 * 60_000L;
        long last = open + 14 * 60_000L;
        List<Long> traded = sim.minuteBars("MSFT", MarketTime.instant(first - 60_000L),
                MarketTime.instant(last + 120_000L)).stream().map(SimulatedBar::t).toList();
        assertThat(traded).as("precondition: MSFT traded around these minutes").contains(first, last)
                .contains(first - 60_000L, last + 60_000L);

        JsonNode body = Http.get(range("MSFT", "minute", Long.toString(first), Long.toString(last), "")).json();

        assertThat(starts(Http.results(List.of(body)))).first().isEqualTo(first);
        assertThat(starts(Http.results(List.of(body)))).last().isEqualTo(last);
        assertThat(starts(Http.results(List.of(body)))).isEqualTo(
                traded.stream().filter(t -> t >= first && t <= last).toList());
    }

    @Test
    void overrideChangesExactlyOneBarAndRemoveBarDropsOne() {
        try (PolygonSimulator mutable = PolygonSimulator.builder().seed(7).start()) {
            String url = mutable.baseUrl() + "/v2/aggs/ticker/AAPL/range/1/day/2024-04-01/2024-04-30";
            List<JsonNode> before = Http.results(Http.pages(url));
            LocalDate changed = LocalDate.of(2024, 4, 16);
            mutable.override("AAPL", changed, bar -> bar.withClose(bar.close() + 1.0).withVolume(bar.volume() + 100));

            List<JsonNode> after = Http.results(Http.pages(url));

            assertThat(after).hasSameSizeAs(before);
            List<Integer> differing = new ArrayList<>();
            for (int i = 0; i < before.size(); i++) {
                if (!before.get(i).equals(after.get(i))) {
                    differing.add(i);
                }
            }
            assertThat(differing).hasSize(1);
            JsonNode was = before.get(differing.get(0));
            JsonNode now = after.get(differing.get(0));
            assertThat(now.get("t").asLong()).isEqualTo(MarketTime.startOfDayMs(changed));
            assertThat(now.get("c").asDouble()).isEqualTo(was.get("c").asDouble() + 1.0);
            assertThat(now.get("v").asDouble()).isEqualTo(was.get("v").asDouble() + 100);
            assertThat(mutable.dailyBar("AAPL", changed, true).orElseThrow().close())
                    .isEqualTo(now.get("c").asDouble());

            LocalDate missing = LocalDate.of(2024, 4, 17);
            mutable.removeBar("AAPL", missing);
            assertThat(starts(Http.results(Http.pages(url)))).hasSize(before.size() - 1)
                    .doesNotContain(MarketTime.startOfDayMs(missing));

            mutable.clearOverrides();
            assertThat(Http.results(Http.pages(url))).containsExactlyElementsOf(before);
        }
    }

    @Test
    void listedSinceMeansNoBarsBeforeTheListing() {
        LocalDate ipo = LocalDate.of(2024, 5, 15);
        try (PolygonSimulator ipoSim = PolygonSimulator.builder().listedSince("NEWCO", ipo).start()) {
            List<JsonNode> results = Http.results(Http.pages(
                    ipoSim.baseUrl() + "/v2/aggs/ticker/NEWCO/range/1/day/2024-05-01/2024-05-31"));
            assertThat(starts(results)).containsExactlyElementsOf(
                    expectedDailyStarts(ipo, LocalDate.of(2024, 5, 31)));
        }
    }

    @Test
    void universeSymbolsHaveDataAndAnyOtherSymbolAnswersEmpty() {
        JsonNode listed = Http.get(range("BRK.A", "day", "2024-01-02", "2024-01-05", "")).json();
        assertThat(listed.get("resultsCount").asInt()).isPositive();

        for (String unknown : List.of("APPL", "ZZZZZ")) {
            for (String timespan : List.of("day", "minute")) {
                JsonNode answer = Http.get(range(unknown, timespan, "2024-01-02", "2024-01-05", "")).json();
                assertThat(answer.get("status").asText()).isEqualTo("OK");
                assertThat(answer.get("resultsCount").asInt()).as(unknown + " " + timespan).isZero();
            }
        }

        JsonNode unknown = Http.get(range("aapl", "day", "2024-01-02", "2024-01-05", "")).json();
        assertThat(unknown.get("status").asText()).isEqualTo("OK");
        assertThat(unknown.get("resultsCount").asInt()).isZero();
        assertThat(unknown.has("results")).isFalse();
    }

    @Test
    void delayedSimulatorAnswersStatusDelayed() {
        try (PolygonSimulator delayed = PolygonSimulator.builder().delayed(true).start()) {
            JsonNode body = Http.get(delayed.baseUrl() + "/v2/aggs/ticker/AAPL/range/1/day/2024-01-02/2024-01-05")
                    .json();
            assertThat(body.get("status").asText()).isEqualTo("DELAYED");
        }
    }

    @Test
    void badParametersAnswer400AndUnknownPaths404WithPolygonErrorJson() {
        for (String url : List.of(
                range("AAPL", "day", "2024-13-01", "2024-12-31", ""),
                range("AAPL", "day", "yesterday", "2024-12-31", ""),
                range("AAPL", "day", "2024-12-31", "2024-01-01", ""),
                range("AAPL", "hour", "2024-01-01", "2024-01-31", ""),
                range("AAPL", "fortnight", "2024-01-01", "2024-01-31", ""),
                sim.baseUrl() + "/v2/aggs/ticker/AAPL/range/5/minute/2024-01-02/2024-01-02",
                range("AAPL", "day", "2024-01-01", "2024-01-31", "sort=up"),
                range("AAPL", "day", "2024-01-01", "2024-01-31", "limit=0"),
                range("AAPL", "day", "2024-01-01", "2024-01-31", "adjusted=maybe"),
                range("AAPL", "day", "2024-01-01", "2024-01-31", "cursor=%21%21"),
                sim.baseUrl() + "/v2/aggs/grouped/locale/us/market/stocks/2024-02-30")) {
            Http.Answer answer = Http.get(url);
            assertThat(answer.status()).as(url).isEqualTo(400);
            assertThat(answer.json().get("status").asText()).isEqualTo("ERROR");
            assertThat(answer.json().get("error").asText()).isNotBlank();
            assertThat(answer.json().get("request_id").asText()).isNotBlank();
        }
        for (String path : List.of("/v2/aggs/ticker/AAPL", "/v3/reference/tickers", "/",
                "/v2/aggs/ticker/AAPL/range/1/day/2024-01-01/2024-01-31/extra")) {
            Http.Answer answer = Http.get(sim.baseUrl() + path);
            assertThat(answer.status()).as(path).isEqualTo(404);
            assertThat(answer.json().get("status").asText()).isEqualTo("NOT_FOUND");
            assertThat(answer.json().fieldNames()).toIterable().containsAll(Set.of("request_id", "message"));
        }
    }
}
