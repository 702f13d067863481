package dev.tickeretl.polygon;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tickeretl.Timespan;
import dev.tickeretl.spi.RawBar;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the stocks WebSocket's messages. Every server message is a JSON array of events, often many at once
 * (reading only the first loses bars: client-js#88): {@code status} events and {@code AM} minute aggregates. Fields
 * are read leniently, as the feed adds some over time: unknown keys are skipped, volumes may be fractional, and the
 * newer string volume {@code dv} wins over {@code v} when both are there.
 */
final class StreamMessages {

    private static final JsonFactory JSON = new JsonFactory();

    private StreamMessages() {
    }

    /** What one message held. */
    record Frame(List<RawBar> bars, List<Status> statuses, List<String> invalid) {
    }

    /** A {@code status} event: {@code connected}, {@code auth_success}, {@code auth_failed}, {@code success}, ... */
    record Status(String status, String message) {
    }

    /** Parses one complete message; a malformed one is reported whole in {@link Frame#invalid()}. */
    static Frame parse(String text) {
        List<RawBar> bars = new ArrayList<>();
        List<Status> statuses = new ArrayList<>(0);
        List<String> invalid = new ArrayList<>(0);
        try (JsonParser p = JSON.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_OBJECT) {
                readEvent(p, bars, statuses, invalid); // tolerate a bare object
                return new Frame(bars, statuses, invalid);
            }
            if (first != JsonToken.START_ARRAY) {
                invalid.add("a message that is not a JSON array: " + preview(text));
                return new Frame(bars, statuses, invalid);
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                readEvent(p, bars, statuses, invalid);
            }
        } catch (IOException | RuntimeException e) {
            invalid.add("a message that is not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + "): "
                    + preview(text));
        }
        return new Frame(bars, statuses, invalid);
    }

    private static void readEvent(JsonParser p, List<RawBar> bars, List<Status> statuses, List<String> invalid)
            throws IOException {
        String ev = null;
        String sym = null;
        String status = null;
        String message = null;
        double o = Double.NaN;
        double h = Double.NaN;
        double l = Double.NaN;
        double c = Double.NaN;
        double v = Double.NaN;
        double dv = Double.NaN;
        Double vw = null;
        long s = Long.MIN_VALUE;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "ev" -> ev = p.getValueAsString();
                case "sym" -> sym = p.getValueAsString();
                case "status" -> status = p.getValueAsString();
                case "message" -> message = p.getValueAsString();
                case "o" -> o = number(p, value);
                case "h" -> h = number(p, value);
                case "l" -> l = number(p, value);
                case "c" -> c = number(p, value);
                case "v" -> v = number(p, value);
                case "dv" -> dv = number(p, value);
                case "vw" -> {
                    double w = number(p, value);
                    vw = Double.isNaN(w) ? null : w;
                }
                case "s" -> s = value.isNumeric() ? p.getLongValue() : Long.MIN_VALUE;
                default -> p.skipChildren();
            }
        }
        if ("status".equals(ev)) {
            statuses.add(new Status(status, message));
        } else if ("AM".equals(ev)) {
            double volume = Double.isNaN(dv) ? v : dv;
            if (sym == null || s == Long.MIN_VALUE || Double.isNaN(o) || Double.isNaN(h) || Double.isNaN(l)
                    || Double.isNaN(c) || Double.isNaN(volume)) {
                invalid.add("an AM event of " + (sym == null ? "an unnamed symbol" : sym) + " without "
                        + missing(sym, s, o, h, l, c, volume));
                return;
            }
            // The feed has no trade count; repair from REST fills it in where it is known.
            bars.add(new RawBar(sym, Timespan.MINUTE, s, o, h, l, c, volume, vw, null, false));
        }
        // Other event types (A, T, Q) are not subscribed to; ignored if they come.
    }

    private static double number(JsonParser p, JsonToken value) throws IOException {
        if (value.isNumeric()) {
            return p.getDoubleValue();
        }
        if (value == JsonToken.VALUE_STRING) {
            try {
                return Double.parseDouble(p.getText().trim());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        p.skipChildren();
        return Double.NaN;
    }

    private static String missing(String sym, long s, double o, double h, double l, double c, double v) {
        List<String> m = new ArrayList<>();
        if (sym == null) {
            m.add("sym");
        }
        if (s == Long.MIN_VALUE) {
            m.add("s");
        }
        if (Double.isNaN(o)) {
            m.add("o");
        }
        if (Double.isNaN(h)) {
            m.add("h");
        }
        if (Double.isNaN(l)) {
            m.add("l");
        }
        if (Double.isNaN(c)) {
            m.add("c");
        }
        if (Double.isNaN(v)) {
            m.add("v");
        }
        return String.join(", ", m);
    }

    private static String preview(String text) {
        String t = text.replaceAll("\\s+", " ");
        return t.length() <= 120 ? t : t.substring(0, 120) + "...";
    }
}
