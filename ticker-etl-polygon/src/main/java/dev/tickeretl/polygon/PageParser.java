package dev.tickeretl.polygon;

import dev.tickeretl.MarketTime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tickeretl.Timespan;
import dev.tickeretl.spi.RawBar;
import dev.tickeretl.spi.SourceEvent;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads one aggregates response body with Jackson's streaming parser (no tree, no per-bar maps: a grouped-daily
 * page has ~12,000 results and a backfill parses many pages).
 */
final class PageParser {

    private static final JsonFactory JSON = new JsonFactory();

    private static final int O = 1;
    private static final int H = 2;
    private static final int L = 4;
    private static final int C = 8;
    private static final int V = 16;
    private static final int T = 32;
    private static final int REQUIRED = O | H | L | C | V | T;

    private PageParser() {
    }

    /**
     * Which results become bars.
     *
     * @param ticker  the ticker of a per-ticker request (its results carry no {@code T}); null for grouped daily
     * @param wanted  for grouped daily, the tickers to keep (results carry {@code T}); ignored otherwise
     */
    record Target(String ticker, Set<String> wanted, Timespan timespan, boolean adjusted) {
        static Target ticker(String ticker, Timespan timespan, boolean adjusted) {
            return new Target(ticker, Set.of(), timespan, adjusted);
        }

        static Target grouped(Set<String> wanted, boolean adjusted) {
            return new Target(null, Set.copyOf(wanted), Timespan.DAY, adjusted);
        }
    }

    /**
     * One parsed page.
     *
     * @param status        Polygon's {@code status}; null when absent
     * @param resultsCount  null when absent
     * @param hasResults    whether a {@code results} array was present (possibly empty)
     * @param message       the body's {@code error} or {@code message} text, for error answers; null when absent
     */
    record Page(String status, String nextUrl, Long resultsCount, boolean hasResults, List<RawBar> bars,
                List<SourceEvent.Invalid> invalid, String message) {
    }

    /** The body is JSON, but not the shape of an aggregates response. */
    static final class MalformedPage extends Exception {
        MalformedPage(String message) {
            super(message);
        }
    }

    static Page parse(byte[] body, Target target) throws IOException, MalformedPage {
        try (JsonParser p = JSON.createParser(body)) {
            return parse(p, target);
        }
    }

    static Page parse(InputStream body, Target target) throws IOException, MalformedPage {
        try (JsonParser p = JSON.createParser(body)) {
            return parse(p, target);
        }
    }

    private static Page parse(JsonParser p, Target target) throws IOException, MalformedPage {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new MalformedPage("the body is not a JSON object");
        }
        String status = null;
        String nextUrl = null;
        Long resultsCount = null;
        boolean hasResults = false;
        String message = null;
        List<RawBar> bars = new ArrayList<>();
        List<SourceEvent.Invalid> invalid = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "status" -> status = value == JsonToken.VALUE_STRING ? p.getText() : null;
                case "next_url" -> nextUrl = value == JsonToken.VALUE_STRING && !p.getText().isBlank() ? p.getText() : null;
                case "resultsCount" -> resultsCount = value.isNumeric() ? p.getLongValue() : null;
                case "error", "message" -> {
                    if (value == JsonToken.VALUE_STRING && message == null) {
                        message = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
                case "results" -> {
                    if (value == JsonToken.START_ARRAY) {
                        hasResults = true;
                        readResults(p, target, bars, invalid);
                    } else if (value != JsonToken.VALUE_NULL) {
                        throw new MalformedPage("'results' is not an array");
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw new MalformedPage("the body is not a complete JSON object");
        }
        if (p.nextToken() != null) {
            throw new MalformedPage("unexpected content after the JSON object");
        }
        return new Page(status, nextUrl, resultsCount, hasResults, bars, invalid, message);
    }

    private static void readResults(JsonParser p, Target target, List<RawBar> bars,
                                    List<SourceEvent.Invalid> invalid) throws IOException {
        int index = 0;
        JsonToken token;
        while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
            if (token == null) {
                return; // truncated: the caller sees the parser fail at the next read
            }
            index++;
            if (token != JsonToken.START_OBJECT) {
                p.skipChildren();
                if (target.ticker() != null) {
                    invalid.add(new SourceEvent.Invalid(target.ticker(), "result #" + index + " is not an object"));
                }
                continue;
            }
            readBar(p, target, index, bars, invalid);
        }
    }

    private static void readBar(JsonParser p, Target target, int index, List<RawBar> bars,
                                List<SourceEvent.Invalid> invalid) throws IOException {
        int present = 0;
        double o = 0;
        double h = 0;
        double l = 0;
        double c = 0;
        double v = 0;
        long t = 0;
        Double vw = null;
        Long n = null;
        String symbol = target.ticker();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            boolean number = value.isNumeric();
            switch (field) {
                case "o" -> {
                    if (number) {
                        o = p.getDoubleValue();
                        present |= O;
                    }
                }
                case "h" -> {
                    if (number) {
                        h = p.getDoubleValue();
                        present |= H;
                    }
                }
                case "l" -> {
                    if (number) {
                        l = p.getDoubleValue();
                        present |= L;
                    }
                }
                case "c" -> {
                    if (number) {
                        c = p.getDoubleValue();
                        present |= C;
                    }
                }
                case "v" -> {
                    // Polygon sends fractional volumes for some instruments and for adjusted splits.
                    if (number) {
                        v = p.getDoubleValue();
                        present |= V;
                    }
                }
                case "t" -> {
                    if (value == JsonToken.VALUE_NUMBER_INT) {
                        t = p.getLongValue();
                        present |= T;
                    } else if (number && p.getDoubleValue() == Math.rint(p.getDoubleValue())) {
                        t = (long) p.getDoubleValue();
                        present |= T;
                    }
                }
                case "vw" -> vw = number ? p.getDoubleValue() : null;
                case "n" -> n = number ? (value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue()
                        : (long) p.getDoubleValue()) : null;
                case "T" -> {
                    if (target.ticker() == null && value == JsonToken.VALUE_STRING) {
                        symbol = p.getText();
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (symbol == null || (target.ticker() == null && !target.wanted().contains(symbol))) {
            return; // grouped daily: a ticker nobody asked for (or one without a symbol, which nobody can ask for)
        }
        if ((present & REQUIRED) != REQUIRED) {
            invalid.add(new SourceEvent.Invalid(symbol, describe(index, present, t)));
            return;
        }
        if (target.ticker() == null) {
            // Grouped daily stamps a day at 16:00 New York where the range endpoint says 00:00; key both the same,
            // or one trading day would be stored twice.
            t = MarketTime.startOfDayMs(MarketTime.tradingDate(t));
        }
        bars.add(new RawBar(symbol, target.timespan(), t, o, h, l, c, v, vw, n, target.adjusted()));
    }

    private static String describe(int index, int present, long t) {
        StringBuilder missing = new StringBuilder();
        String[] names = {"o", "h", "l", "c", "v", "t"};
        for (int i = 0; i < names.length; i++) {
            if ((present & (1 << i)) == 0) {
                missing.append(missing.length() == 0 ? "" : ", ").append(names[i]);
            }
        }
        String where = (present & T) != 0 ? "bar at t=" + t : "result #" + index;
        return where + " lacks required field(s) " + missing + " (or they are not numbers)";
    }
}
