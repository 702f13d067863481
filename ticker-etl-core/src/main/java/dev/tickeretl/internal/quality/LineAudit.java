package dev.tickeretl.internal.quality;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tickeretl.Bar;
import dev.tickeretl.MarketTime;
import dev.tickeretl.Timespan;
import dev.tickeretl.internal.BarLineParser;
import dev.tickeretl.internal.JsonCodec;
import dev.tickeretl.internal.PartitionFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads one partition (or segment) line by line and reports every line that breaks the data contract, where the
 * store's reader would silently skip it, stop at it, or pass it on: a line that is not JSON or not a bar, a field
 * missing, another schema version, times that disagree with {@code start_ms}, values the transformer refuses, a line
 * of another partition, a repeated key, lines out of order, and bytes other than the library's own encoding.
 */
public final class LineAudit {

    /** Every field of a data-contract line (Bar's JSON properties). */
    private static final List<String> FIELDS = List.of("ticker", "timespan", "trading_date", "start_ms", "start_et",
            "start_utc", "open", "high", "low", "close", "volume", "vwap", "transactions", "adjusted",
            "prior_volume", "phase", "schema_version");

    private LineAudit() {
    }

    /** A bar and the 1-based line it is on (null: not from an audited file). */
    public record Located(Bar bar, Integer line) {
    }

    /** Where a line's finding goes. */
    public interface Findings {
        void add(QualityCheck check, int line, Bar bar, String message);
    }

    /** What one file held: the bars a reader sees and how many lines were bars. */
    public record Result(List<Located> bars, int lines) {
    }

    /**
     * @param expected what the path says its bars are; null for a segment (any ticker, arrival order)
     * @return the bars a reader sees (member lines only, the last copy of a key winning) in {@code start_ms} order
     */
    public static Result audit(byte[] bytes, PartitionFile.Expected expected, Findings out) {
        TreeMap<Long, Located> view = new TreeMap<>();
        Map<Long, Integer> lineOfKey = new HashMap<>();
        BarLineParser fast = new BarLineParser();
        long previousStart = Long.MIN_VALUE;
        int previousLine = 0;
        int barLines = 0;
        int lineNo = 0;
        int start = 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            lineNo++;
            int from = start;
            start = end + 1;
            Bar bar = parse(bytes, from, end, fast, lineNo, out);
            if (bar == null) {
                continue;
            }
            barLines++;
            checkValues(bar, bytes, from, end, lineNo, out);
            String foreign = expected == null ? null : expected.mismatch(bar);
            if (foreign != null) {
                out.add(QualityCheck.FOREIGN_LINE, lineNo, bar, foreign + "; readers skip this line");
                continue;
            }
            Integer earlier = lineOfKey.put(bar.startMs(), lineNo);
            if (earlier != null && expected != null) {
                out.add(QualityCheck.DUPLICATE_KEY, lineNo, bar, "key " + bar.ticker() + "/" + bar.timespan()
                        .wireName() + "/" + bar.startMs() + " (" + bar.startEt() + ") repeats line " + earlier
                        + "; readers keep this later line");
            }
            if (bar.startMs() < previousStart) {
                if (expected != null) {
                    out.add(QualityCheck.LINE_ORDER, lineNo, bar, "start_ms " + bar.startMs() + " comes after "
                            + previousStart + " on line " + previousLine + "; lines must be in start_ms order");
                }
            } else {
                previousStart = bar.startMs();
                previousLine = lineNo;
            }
            view.put(bar.startMs(), new Located(bar, lineNo));
        }
        return new Result(new ArrayList<>(view.values()), barLines);
    }

    /** The bar on a line, or null (reported) when the line holds none. */
    private static Bar parse(byte[] bytes, int from, int end, BarLineParser fast, int lineNo, Findings out) {
        Bar bar = fast.parse(bytes, from, end);
        if (bar != null) {
            return bar; // our own writer's shape: JSON, complete, typed
        }
        String line = new String(bytes, from, end - from, StandardCharsets.UTF_8);
        if (line.isBlank()) {
            out.add(QualityCheck.NON_CANONICAL_LINE, lineNo, null, "blank line");
            return null;
        }
        JsonNode tree;
        try {
            tree = JsonCodec.readTree(line);
        } catch (JsonParseException e) {
            out.add(QualityCheck.INVALID_JSON, lineNo, null, "not JSON: " + firstLine(e.getOriginalMessage()));
            return null;
        } catch (IOException e) {
            out.add(QualityCheck.INVALID_JSON, lineNo, null, "not JSON: " + firstLine(e.getMessage()));
            return null;
        }
        if (tree == null || !tree.isObject()) {
            out.add(QualityCheck.NOT_A_BAR, lineNo, null, "a JSON " + (tree == null ? "nothing" : tree.getNodeType()
                    .toString().toLowerCase(java.util.Locale.ROOT)) + ", not an object");
            return null;
        }
        for (String field : FIELDS) {
            if (!tree.has(field)) {
                out.add(QualityCheck.NOT_A_BAR, lineNo, null, "field '" + field + "' is missing");
                return null;
            }
        }
        try {
            return JsonCodec.treeToBar(tree);
        } catch (JsonProcessingException e) {
            out.add(QualityCheck.NOT_A_BAR, lineNo, null, firstLine(e.getOriginalMessage()));
        } catch (IOException | RuntimeException e) {
            out.add(QualityCheck.NOT_A_BAR, lineNo, null, firstLine(e.getMessage()));
        }
        return null;
    }

    private static void checkValues(Bar bar, byte[] bytes, int from, int end, int lineNo, Findings out) {
        if (bar.schemaVersion() != Bar.SCHEMA_VERSION) {
            out.add(QualityCheck.SCHEMA_VERSION, lineNo, bar, "schema_version " + bar.schemaVersion()
                    + "; this library reads and writes " + Bar.SCHEMA_VERSION);
        }
        String times = times(bar);
        if (times != null) {
            out.add(QualityCheck.TIME_FIELDS, lineNo, bar, times);
        }
        String invalid = BarSanity.invalid(bar);
        if (invalid != null) {
            out.add(QualityCheck.INVALID_BAR, lineNo, bar, invalid);
        }
        byte[] canonical = JsonCodec.toJson(bar).getBytes(StandardCharsets.UTF_8);
        if (!java.util.Arrays.equals(canonical, 0, canonical.length, bytes, from, end)) {
            out.add(QualityCheck.NON_CANONICAL_LINE, lineNo, bar, "the bytes differ from the library's encoding of"
                    + " the same bar (field order, spacing, number form, extra fields or a \\r)");
        }
    }

    /** What disagrees with {@code start_ms}, or null. */
    static String times(Bar bar) {
        long ms = bar.startMs();
        if (!bar.tradingDate().equals(MarketTime.tradingDate(ms))) {
            return "trading_date " + bar.tradingDate() + ", but start_ms " + ms + " is on "
                    + MarketTime.tradingDate(ms) + " in New York";
        }
        if (!bar.startUtc().equals(MarketTime.instant(ms))) {
            return "start_utc " + bar.startUtc() + ", but start_ms " + ms + " is " + MarketTime.instant(ms);
        }
        if (!bar.startEt().equals(MarketTime.easternOffset(ms))) {
            return "start_et " + bar.startEt() + ", but start_ms " + ms + " is " + MarketTime.easternOffset(ms);
        }
        if (bar.timespan() == Timespan.DAY && ms != MarketTime.startOfDayMs(bar.tradingDate())) {
            return "a day bar starts at 00:00 New York, but start_ms " + ms + " is " + MarketTime.easternOffset(ms);
        }
        if (bar.timespan() == Timespan.MINUTE && ms % 60_000 != 0) {
            return "a minute bar starts on a whole minute, but start_ms " + ms + " is " + MarketTime.instant(ms);
        }
        return null;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
