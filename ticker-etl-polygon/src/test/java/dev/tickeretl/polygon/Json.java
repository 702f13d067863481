package dev.tickeretl.polygon;

import dev.tickeretl.MarketTime;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Locale;
import mockwebserver3.MockResponse;

/** Polygon-shaped bodies and responses for tests, written out as the OpenAPI excerpt shows them. */
final class Json {

    private Json() {
    }

    /** A complete daily bar at 00:00 New York of {@code date}. */
    static String bar(LocalDate date, double close) {
        return String.format(Locale.ROOT,
                "{\"c\":%s,\"h\":%s,\"l\":%s,\"n\":12,\"o\":%s,\"t\":%d,\"v\":135647456,\"vw\":%s}",
                close, close + 1, close - 1, close - 0.5, MarketTime.startOfDayMs(date), close);
    }

    /** A grouped-daily result: a bar with its ticker in {@code T}. */
    static String groupedBar(String ticker, LocalDate date, double close) {
        return "{\"T\":\"" + ticker + "\"," + bar(date, close).substring(1);
    }

    static String page(String ticker, String status, String nextUrl, String... bars) {
        return "{\"ticker\":\"" + ticker + "\",\"queryCount\":" + bars.length + ",\"resultsCount\":" + bars.length
                + ",\"adjusted\":true,\"results\":[" + String.join(",", bars) + "],\"status\":\"" + status
                + "\",\"request_id\":\"6a7e466379af0a71039d60cc78e72282\""
                + (nextUrl == null ? "" : ",\"next_url\":\"" + nextUrl + "\"") + "}";
    }

    static String grouped(String... bars) {
        return "{\"adjusted\":true,\"queryCount\":" + bars.length + ",\"resultsCount\":" + bars.length
                + ",\"results\":[" + String.join(",", bars) + "],\"status\":\"OK\"}";
    }

    /** A one-page OK answer with a bar for each date. */
    static MockResponse ok(String ticker, LocalDate... dates) {
        String[] bars = Arrays.stream(dates).map(d -> bar(d, 100 + d.getDayOfMonth())).toArray(String[]::new);
        return json(200, page(ticker, "OK", null, bars));
    }

    static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }
}
