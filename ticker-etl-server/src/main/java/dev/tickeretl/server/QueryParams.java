package dev.tickeretl.server;

import dev.tickeretl.Tickers;
import dev.tickeretl.Timespan;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A request's query parameters, checked strictly: an unknown or repeated parameter is an error (a typo such as
 * {@code tickr=} must not silently mean "no ticker"), and every value that reaches the store is a validated ticker
 * or date. Every error is a 400 naming the parameter.
 */
final class QueryParams {

    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final int MAX_ECHO = 40;
    static final int MAX_TICKERS = 100;

    private final Map<String, String> values;

    private QueryParams(Map<String, String> values) {
        this.values = values;
    }

    /** Parses a raw (still percent-encoded) query string, allowing only {@code allowed} names. */
    static QueryParams parse(String rawQuery, Set<String> allowed) {
        Map<String, String> values = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return new QueryParams(values);
        }
        for (String pair : rawQuery.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode("query", eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(name, pair.substring(eq + 1));
            if (!allowed.contains(name)) {
                throw ApiException.badRequest(echo(name), "unknown parameter; this endpoint takes "
                        + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
            if (values.put(name, value) != null) {
                throw ApiException.badRequest(name, "given more than once");
            }
        }
        return new QueryParams(values);
    }

    private static String decode(String field, String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(echo(field), "bad percent-encoding");
        }
    }

    /** A value for an error message: user text, cut short. */
    static String echo(String value) {
        String printable = value.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() <= MAX_ECHO ? printable : printable.substring(0, MAX_ECHO) + "...";
    }

    private String required(String name) {
        String value = values.get(name);
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest(name, "required");
        }
        return value;
    }

    /** One ticker symbol (case and surrounding blanks forgiven, as the CLI does). */
    String ticker(String name) {
        return symbol(name, required(name));
    }

    /** A comma-separated list of 1 to {@value #MAX_TICKERS} distinct symbols, in the order given. */
    List<String> tickers(String name) {
        Set<String> tickers = new LinkedHashSet<>();
        for (String part : required(name).split(",", -1)) {
            tickers.add(symbol(name, part));
        }
        if (tickers.size() > MAX_TICKERS) {
            throw ApiException.badRequest(name, "at most " + MAX_TICKERS + " tickers, got " + tickers.size());
        }
        return new ArrayList<>(tickers);
    }

    private static String symbol(String name, String value) {
        String symbol = value.trim().toUpperCase(Locale.ROOT);
        if (!Tickers.isValid(symbol)) {
            throw ApiException.badRequest(name, "'" + echo(value) + "' is not a valid symbol (upper-case letters and"
                    + " digits, optional .CLASS suffix, e.g. BRK.A)");
        }
        return symbol;
    }

    /** A required date, YYYY-MM-DD, within the dates the server serves. */
    LocalDate date(String name) {
        return parseDate(name, required(name));
    }

    /** An optional date; {@code fallback} when absent. */
    LocalDate date(String name, LocalDate fallback) {
        String value = values.get(name);
        return value == null ? fallback : parseDate(name, value);
    }

    private static LocalDate parseDate(String name, String value) {
        LocalDate date;
        try {
            if (!DATE.matcher(value).matches()) {
                throw new DateTimeParseException("shape", value, 0);
            }
            date = LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name, "'" + echo(value) + "' is not a date (YYYY-MM-DD)");
        }
        if (date.isBefore(StoreReads.FIRST_DATE) || date.isAfter(StoreReads.LAST_DATE)) {
            throw ApiException.badRequest(name, date + " is outside " + StoreReads.FIRST_DATE + ".."
                    + StoreReads.LAST_DATE);
        }
        return date;
    }

    Timespan timespan(String name, Timespan fallback) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        for (Timespan t : Timespan.values()) {
            if (t.wireName().equals(value)) {
                return t;
            }
        }
        throw ApiException.badRequest(name, "'" + echo(value) + "' is not day or minute");
    }

    boolean bool(String name, boolean fallback) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        if (value.equals("true") || value.equals("false")) {
            return Boolean.parseBoolean(value);
        }
        throw ApiException.badRequest(name, "'" + echo(value) + "' is not true or false");
    }

    BarFormat format(String name, BarFormat fallback) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        for (BarFormat f : BarFormat.values()) {
            if (f.wireName().equals(value)) {
                return f;
            }
        }
        throw ApiException.badRequest(name, "'" + echo(value) + "' is not ndjson, json or csv");
    }

    int integer(String name, int fallback, int min, int max) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest(name, "'" + echo(value) + "' is not a whole number in " + min + ".." + max);
    }
}
