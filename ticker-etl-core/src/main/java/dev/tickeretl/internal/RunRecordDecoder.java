package dev.tickeretl.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tickeretl.RequestStats;
import dev.tickeretl.RunRecord;
import dev.tickeretl.RunStatus;
import dev.tickeretl.Severity;
import dev.tickeretl.Timespan;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads a run record by hand, from a tree built with jackson-core's parser alone. The databind reader introspects
 * {@link RunRecord} and its nested records when first used, and the mapper itself is slow to make: together about
 * 100 ms of a fresh JVM that `runs` would spend on its first record. Walking the tree costs about a millisecond.
 *
 * <p>It reads exactly what the writer writes, records written before a field existed (missing and null fields get
 * what databind gives them: null, 0, false, and then the records' own defaults) and ignores unknown fields, as the
 * mapper does. Anything else (a number written as a string, an unknown enum name, a wrong type) it does not guess
 * at: it throws {@link NotPlain}, and {@link JsonCodec#parseRun} hands the bytes to the databind reader, which
 * coerces them as it always did or fails with its usual message.
 */
final class RunRecordDecoder {

    /** A value this decoder leaves to the databind reader. Cheap: no stack trace. */
    static final class NotPlain extends RuntimeException {
        NotPlain(String field) {
            super(field, null, false, false);
        }
    }

    // Only jackson-core's parser: an ObjectMapper's first construction (its default date format's locale and time
    // zone data) costs tens of ms of a fresh JVM, which `runs` would otherwise pay for its first record.
    private static final JsonFactory JSON = new JsonFactory();

    private RunRecordDecoder() {
    }

    /**
     * One JSON value as a tree, as {@code ObjectMapper.readTree} builds it for what run records hold (later copies
     * of a repeated field replace earlier ones; what follows the value is not read).
     *
     * @throws IOException when it is not JSON (parseRun then lets databind report it, in its words)
     */
    static JsonNode readTree(byte[] json) throws IOException {
        try (JsonParser p = JSON.createParser(json)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new NotPlain("(empty)");
            }
            return value(p, first);
        }
    }

    private static JsonNode value(JsonParser p, JsonToken token) throws IOException {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        switch (token) {
            case START_OBJECT: {
                ObjectNode o = nodes.objectNode();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                    String name = p.currentName();
                    o.replace(name, value(p, p.nextToken()));
                }
                return o;
            }
            case START_ARRAY: {
                ArrayNode a = nodes.arrayNode();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    a.add(value(p, t));
                }
                return a;
            }
            case VALUE_STRING:
                return nodes.textNode(p.getText());
            case VALUE_NUMBER_INT:
                switch (p.getNumberType()) {
                    case INT:
                        return nodes.numberNode(p.getIntValue());
                    case LONG:
                        return nodes.numberNode(p.getLongValue());
                    default:
                        return nodes.numberNode(p.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT:
                return nodes.numberNode(p.getDoubleValue());
            case VALUE_TRUE:
                return nodes.booleanNode(true);
            case VALUE_FALSE:
                return nodes.booleanNode(false);
            case VALUE_NULL:
                return nodes.nullNode();
            default:
                throw new NotPlain(String.valueOf(token));
        }
    }

    /**
     * The record {@code root} holds.
     *
     * @throws NotPlain for a value that is not of the written form
     * @throws RuntimeException from the records' constructors (e.g. {@code parameters.tickers} null)
     */
    static RunRecord decode(JsonNode root) {
        if (!root.isObject()) {
            throw new NotPlain("(root)");
        }
        return new RunRecord(
                text(root, "run_id"),
                runStatus(root, "status"),
                instant(root, "started_at"),
                instant(root, "finished_at"),
                boxedLong(root, "duration_ms"),
                object(root, "process", RunRecordDecoder::process),
                object(root, "parameters", RunRecordDecoder::parameters),
                object(root, "totals", RunRecordDecoder::totals),
                object(root, "requests", RunRecordDecoder::requests),
                map(root, "sinks", v -> objectValue(v, "sinks", RunRecordDecoder::sink)),
                map(root, "metrics", RunRecordDecoder::metric),
                map(root, "tickers", v -> objectValue(v, "tickers", RunRecordDecoder::ticker)),
                map(root, "data_quality", v -> objectValue(v, "data_quality", RunRecordDecoder::checkCount)),
                list(root, "warnings", v -> objectValue(v, "warnings", RunRecordDecoder::warning)),
                text(root, "error"));
    }

    private static RunRecord.RunProcess process(JsonNode o) {
        return new RunRecord.RunProcess(text(o, "host"), primitiveLong(o, "pid"), instant(o, "process_started_at"),
                instant(o, "heartbeat_at"), primitiveLong(o, "heartbeat_interval_ms"));
    }

    private static RunRecord.RunParameters parameters(JsonNode o) {
        return new RunRecord.RunParameters(text(o, "mode"), list(o, "tickers", v -> textValue(v, "tickers")),
                date(o, "from"), date(o, "to"), timespan(o, "timespan"), primitiveBoolean(o, "adjusted"),
                primitiveBoolean(o, "incremental"), text(o, "source"), text(o, "store"),
                list(o, "sinks", v -> textValue(v, "sinks")), text(o, "phase_tagger"));
    }

    private static RunRecord.Totals totals(JsonNode o) {
        return new RunRecord.Totals(primitiveInt(o, "tickers"), primitiveInt(o, "failed_tickers"),
                primitiveLong(o, "fetched"), primitiveLong(o, "written"), primitiveLong(o, "updated"),
                primitiveLong(o, "unchanged"), primitiveLong(o, "invalid"), primitiveLong(o, "files_written"),
                primitiveLong(o, "bytes_written"));
    }

    private static RequestStats requests(JsonNode o) {
        return new RequestStats(primitiveLong(o, "requests"), primitiveLong(o, "data_requests"),
                primitiveLong(o, "retries"), primitiveLong(o, "rate_limited"), primitiveLong(o, "rate_limit_wait_ms"),
                primitiveLong(o, "failed_requests"));
    }

    private static RunRecord.SinkOutcome sink(JsonNode o) {
        return new RunRecord.SinkOutcome(primitiveLong(o, "delivered"), primitiveLong(o, "queued"),
                primitiveLong(o, "pending"), text(o, "error"));
    }

    private static RunRecord.TickerOutcome ticker(JsonNode o) {
        return new RunRecord.TickerOutcome(runStatus(o, "status"), primitiveLong(o, "fetched"),
                primitiveLong(o, "written"), primitiveLong(o, "updated"), primitiveLong(o, "unchanged"),
                primitiveLong(o, "invalid"), text(o, "error"));
    }

    private static RunRecord.CheckCount checkCount(JsonNode o) {
        return new RunRecord.CheckCount(severity(o, "severity"), primitiveLong(o, "count"));
    }

    private static RunRecord.DataQualityWarning warning(JsonNode o) {
        // The canonical constructor: a null severity becomes the check's own, as when databind calls it.
        return new RunRecord.DataQualityWarning(text(o, "kind"), severity(o, "severity"), text(o, "ticker"),
                date(o, "trading_date"), text(o, "message"));
    }

    /** A metric's value: a number, or the strings the writer writes for non-finite doubles. */
    private static Double metric(JsonNode v) {
        if (v.isNumber()) {
            return v.doubleValue();
        }
        if (v.isTextual()) {
            switch (v.textValue()) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    break;
            }
        }
        throw new NotPlain("metrics");
    }

    // ------------------------------------------------------------------------------------------------ fields

    /** The field's value, or null when it is missing or JSON null (databind treats both alike here). */
    private static JsonNode value(JsonNode o, String name) {
        JsonNode v = o.get(name);
        return v == null || v.isNull() ? null : v;
    }

    private static <T> T object(JsonNode o, String name, Function<JsonNode, T> reader) {
        JsonNode v = value(o, name);
        return v == null ? null : objectValue(v, name, reader);
    }

    private static <T> T objectValue(JsonNode v, String name, Function<JsonNode, T> reader) {
        if (!v.isObject()) {
            throw new NotPlain(name);
        }
        return reader.apply(v);
    }

    /** An object's fields in their order, JSON null values kept as null (as databind's map reader keeps them). */
    private static <T> Map<String, T> map(JsonNode o, String name, Function<JsonNode, T> reader) {
        JsonNode v = value(o, name);
        if (v == null) {
            return null;
        }
        if (!v.isObject()) {
            throw new NotPlain(name);
        }
        Map<String, T> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            out.put(e.getKey(), e.getValue().isNull() ? null : reader.apply(e.getValue()));
        }
        return out;
    }

    private static <T> List<T> list(JsonNode o, String name, Function<JsonNode, T> reader) {
        JsonNode v = value(o, name);
        if (v == null) {
            return null;
        }
        if (!v.isArray()) {
            throw new NotPlain(name);
        }
        List<T> out = new ArrayList<>(v.size());
        for (JsonNode element : v) {
            out.add(element.isNull() ? null : reader.apply(element));
        }
        return out;
    }

    private static String text(JsonNode o, String name) {
        JsonNode v = value(o, name);
        return v == null ? null : textValue(v, name);
    }

    private static String textValue(JsonNode v, String name) {
        if (!v.isTextual()) {
            throw new NotPlain(name);
        }
        return v.textValue();
    }

    private static long primitiveLong(JsonNode o, String name) {
        JsonNode v = value(o, name);
        if (v == null) {
            return 0L;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new NotPlain(name);
        }
        return v.longValue();
    }

    private static Long boxedLong(JsonNode o, String name) {
        return value(o, name) == null ? null : primitiveLong(o, name);
    }

    private static int primitiveInt(JsonNode o, String name) {
        JsonNode v = value(o, name);
        if (v == null) {
            return 0;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new NotPlain(name);
        }
        return v.intValue();
    }

    private static boolean primitiveBoolean(JsonNode o, String name) {
        JsonNode v = value(o, name);
        if (v == null) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new NotPlain(name);
        }
        return v.booleanValue();
    }

    private static Instant instant(JsonNode o, String name) {
        return parsed(o, name, Instant::parse);
    }

    private static LocalDate date(JsonNode o, String name) {
        return parsed(o, name, LocalDate::parse);
    }

    private static Timespan timespan(JsonNode o, String name) {
        return parsed(o, name, Timespan::fromWireName);
    }

    private static RunStatus runStatus(JsonNode o, String name) {
        return parsed(o, name, RunStatus::valueOf);
    }

    private static Severity severity(JsonNode o, String name) {
        return parsed(o, name, Severity::valueOf);
    }

    /** A text field read with {@code parse}; null when absent or null; NotPlain when {@code parse} refuses it. */
    private static <T> T parsed(JsonNode o, String name, Function<String, T> parse) {
        String text = text(o, name);
        if (text == null) {
            return null;
        }
        try {
            return parse.apply(text);
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new NotPlain(name);
        }
    }
}
