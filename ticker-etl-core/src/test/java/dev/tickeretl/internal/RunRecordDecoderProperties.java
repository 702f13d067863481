package dev.tickeretl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tickeretl.RequestStats;
import dev.tickeretl.RunRecord;
import dev.tickeretl.RunStatus;
import dev.tickeretl.Severity;
import dev.tickeretl.Timespan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The hand decoder of run records is an optimisation only: for every record the writer writes, and for those written
 * by older versions, with fields missing, null or unknown, it gives exactly what the databind reader gives; what it
 * does not read {@link JsonCodec#parseRun} leaves to that reader, so such input reads or fails as before.
 */
class RunRecordDecoderProperties {

    private static final ObjectMapper PLAIN = new ObjectMapper();

    @Property(tries = 1500)
    void theHandDecoderReadsEveryWrittenRecordAsDatabindDoesAndAsItWas(@ForAll("runs") RunRecord run)
            throws IOException {
        byte[] json = JsonCodec.toJson(run);
        JsonNode tree = RunRecordDecoder.readTree(json);

        RunRecord hand = RunRecordDecoder.decode(tree);

        assertThat(hand).isEqualTo(JsonCodec.parseRunWithDatabind(json)).isEqualTo(run);
        assertThat(JsonCodec.parseRun(json)).isEqualTo(run);
        assertThat(tree).isEqualTo(JsonCodec.readTree(new String(json, StandardCharsets.UTF_8)));
        // Order matters to readers of the record (the `runs` table, toString): kept as written.
        assertThat(hand.tickers().keySet()).containsExactlyElementsOf(run.tickers().keySet());
        assertThat(hand.sinks().keySet()).containsExactlyElementsOf(run.sinks().keySet());
    }

    @Property(tries = 20)
    void aRecordOfThousandsOfTickersReadsAsItWas(@ForAll("manyTickers") RunRecord run) throws IOException {
        byte[] json = JsonCodec.toJson(run);
        assertThat(RunRecordDecoder.decode(RunRecordDecoder.readTree(json)))
                .isEqualTo(JsonCodec.parseRunWithDatabind(json)).isEqualTo(run);
    }

    /**
     * Older and newer writers: any field at any depth left out, written as null, or joined by an unknown field. The
     * hand decoder reads every such record databind reads, to the same value, and where databind fails (e.g. a
     * run's parameters without tickers) parseRun fails with databind's message.
     */
    @Property(tries = 1500)
    void missingNullAndUnknownFieldsReadAsDatabindReadsThem(@ForAll("runs") RunRecord run, @ForAll long seed)
            throws IOException {
        JsonNode tree = JsonCodec.readTree(new String(JsonCodec.toJson(run), StandardCharsets.UTF_8));
        mutate(tree, new Random(seed));
        byte[] json = PLAIN.writeValueAsBytes(tree);

        Object expected = outcome(() -> JsonCodec.parseRunWithDatabind(json));
        assertThat(outcome(() -> JsonCodec.parseRun(json))).isEqualTo(expected);
        JsonNode handTree = RunRecordDecoder.readTree(json);
        assertThat(handTree).isEqualTo(tree);
        if (expected instanceof RunRecord) {
            assertThat(RunRecordDecoder.decode(handTree)).isEqualTo(expected);
        }
    }

    @Example
    void aRecordOfTheFirstVersionReadsAsDatabindReadsIt() throws IOException {
        // As the first writer wrote it: no process, mode, sinks, metrics, data_quality or severities.
        String old = """
                {
                  "run_id" : "20251126T120000000Z-1a2b3c",
                  "status" : "PARTIAL",
                  "started_at" : "2025-11-26T12:00:00.123456Z",
                  "finished_at" : "2025-11-26T12:00:04Z",
                  "duration_ms" : 3877,
                  "parameters" : {
                    "tickers" : [ "AAPL", "NOPE" ],
                    "from" : "2025-01-02",
                    "to" : "2025-01-31",
                    "timespan" : "day",
                    "adjusted" : true,
                    "incremental" : false,
                    "source" : "polygon",
                    "store" : "file:///data",
                    "phase_tagger" : "brief"
                  },
                  "totals" : { "tickers" : 2, "failed_tickers" : 1, "fetched" : 20, "written" : 20, "updated" : 0,
                    "unchanged" : 0, "invalid" : 1, "files_written" : 1, "bytes_written" : 6600 },
                  "requests" : { "requests" : 3, "data_requests" : 2, "retries" : 1, "rate_limited" : 1,
                    "rate_limit_wait_ms" : 12000, "failed_requests" : 1 },
                  "tickers" : {
                    "NOPE" : { "status" : "FAILED", "fetched" : 0, "written" : 0, "updated" : 0, "unchanged" : 0,
                      "invalid" : 0, "error" : "HTTP 404" },
                    "AAPL" : { "status" : "PARTIAL", "fetched" : 20, "written" : 20, "updated" : 0, "unchanged" : 0,
                      "invalid" : 1, "error" : null }
                  },
                  "warnings" : [ { "kind" : "INVALID_BAR", "ticker" : "AAPL", "trading_date" : "2025-01-03",
                    "message" : "high 1.0 < low 2.0" } ],
                  "error" : null
                }""";
        byte[] json = old.getBytes(StandardCharsets.UTF_8);

        RunRecord hand = RunRecordDecoder.decode(RunRecordDecoder.readTree(json));

        assertThat(hand).isEqualTo(JsonCodec.parseRunWithDatabind(json)).isEqualTo(JsonCodec.parseRun(json));
        assertThat(hand.parameters().mode()).isEqualTo(RunRecord.RunParameters.BATCH);
        assertThat(hand.parameters().sinks()).isEmpty();
        assertThat(hand.process()).isNull();
        assertThat(hand.metrics()).isEmpty();
        assertThat(hand.tickers().keySet()).containsExactly("NOPE", "AAPL");
        assertThat(hand.warnings().get(0).severity()).isEqualTo(Severity.ERROR);
        assertThat(hand.dataQuality()).isEqualTo(Map.of("INVALID_BAR", new RunRecord.CheckCount(Severity.ERROR, 1)));
    }

    @Example
    void unknownFieldsAreIgnoredAsTheMapperIgnoresThem() throws IOException {
        String json = """
                {"run_id":"r","status":"SUCCEEDED","future":{"a":[1,2,{"b":null}]},"totals":{"tickers":1,"new":"x"},
                 "process":{"host":"h","pid":7,"cpu":0.5},"parameters":{"tickers":["A"],"timespan":"minute",
                 "extra":true},"sinks":{"kafka://k":{"delivered":3,"lag":1}},"warnings":[{"kind":"ZERO_VOLUME",
                 "ticker":"A","trading_date":null,"message":"m","code":9}],"data_quality":{"ZERO_VOLUME":
                 {"severity":"WARN","count":1,"first":"2025-01-02"}},"error":null}""";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);

        RunRecord hand = RunRecordDecoder.decode(RunRecordDecoder.readTree(json.getBytes(StandardCharsets.UTF_8)));

        assertThat(hand).isEqualTo(JsonCodec.parseRunWithDatabind(bytes));
        assertThat(hand.process()).isEqualTo(new RunRecord.RunProcess("h", 7, null, null, 0));
        assertThat(hand.sinks()).isEqualTo(Map.of("kafka://k", new RunRecord.SinkOutcome(3, 0, 0, null)));
        assertThat(hand.parameters().timespan()).isEqualTo(Timespan.MINUTE);
    }

    @Example
    void nullPrimitivesAndNullMapValuesReadAsDatabindReadsThem() throws IOException {
        String json = """
                {"run_id":null,"status":null,"duration_ms":null,"process":{"pid":null,"heartbeat_interval_ms":null},
                 "parameters":{"mode":null,"tickers":[],"adjusted":null,"sinks":null,"timespan":null},
                 "totals":{"tickers":null},"metrics":{"m":null,"n":"NaN","i":"-Infinity","k":3},
                 "tickers":{"A":null},"sinks":{"s":null},"data_quality":{"X":null},"warnings":null}""";

        assertThat(RunRecordDecoder.decode(RunRecordDecoder.readTree(json.getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(JsonCodec.parseRunWithDatabind(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Example
    void valuesDatabindCoercesStillReadAsBeforeThroughTheDatabindReader() throws IOException {
        // Never written by us, but read so far: a number as a string, a float for a long, an enum by index.
        String json = """
                {"run_id":"r","status":1,"duration_ms":"12","process":{"pid":"42","heartbeat_interval_ms":1.9},
                 "totals":{"tickers":"3"}}""";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> RunRecordDecoder.decode(RunRecordDecoder.readTree(bytes)))
                .isInstanceOf(RunRecordDecoder.NotPlain.class);
        RunRecord read = JsonCodec.parseRun(bytes);
        assertThat(read).isEqualTo(JsonCodec.parseRunWithDatabind(bytes));
        assertThat(read.durationMs()).isEqualTo(12L);
        assertThat(read.process().pid()).isEqualTo(42L);
    }

    @Example
    void damagedRecordsFailAsBeforeWithTheReasonNamed() {
        for (String damaged : List.of("{not json", "{\"run_id\":\"r\",", "", "[1]", "\"r\"",
                "{\"status\":\"DONE\"}", "{\"parameters\":{\"from\":\"2025-13-01\",\"tickers\":[]}}",
                "{\"parameters\":{\"source\":\"x\"}}", "{\"parameters\":{\"timespan\":\"week\",\"tickers\":[]}}",
                "{\"warnings\":[null]}", "{\"totals\":{\"tickers\":3000000000}}", "{\"tickers\":[]}")) {
            byte[] bytes = damaged.getBytes(StandardCharsets.UTF_8);
            Object expected = outcome(() -> JsonCodec.parseRunWithDatabind(bytes));
            assertThat(expected).as(damaged).isInstanceOf(String.class).asString().startsWith("not a run record: ");
            assertThat(outcome(() -> JsonCodec.parseRun(bytes))).as(damaged).isEqualTo(expected);
        }
        assertThat(outcome(() -> JsonCodec.parseRun("{\"status\":\"DONE\"}".getBytes(StandardCharsets.UTF_8))))
                .asString().contains("RunStatus").contains("DONE");
    }

    /** The record, or the message of the {@link UncheckedIOException} the reader threw. */
    private static Object outcome(java.util.function.Supplier<RunRecord> read) {
        try {
            return read.get();
        } catch (UncheckedIOException e) {
            return e.getMessage();
        }
    }

    /** Leaves out, nulls, or adds an unknown field next to, fields at every depth. */
    private static void mutate(JsonNode node, Random random) {
        if (node instanceof ObjectNode o) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                int dice = random.nextInt(20);
                if (dice == 0) {
                    o.remove(name);
                } else if (dice == 1) {
                    o.putNull(name);
                } else {
                    mutate(o.get(name), random);
                }
            }
            if (random.nextInt(8) == 0) {
                o.set("unknown_" + random.nextInt(3), unknownValue(random));
            }
        } else if (node instanceof ArrayNode a) {
            a.forEach(element -> mutate(element, random));
        }
    }

    private static JsonNode unknownValue(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> PLAIN.getNodeFactory().nullNode();
            case 1 -> PLAIN.getNodeFactory().textNode("x");
            case 2 -> PLAIN.getNodeFactory().numberNode(random.nextLong());
            case 3 -> PLAIN.createArrayNode().add(1).add("two").addNull();
            default -> PLAIN.createObjectNode().put("status", "NOT_A_STATUS").set("tickers", PLAIN.createArrayNode());
        };
    }

    // ------------------------------------------------------------------------------------------------ records

    @Provide
    Arbitrary<RunRecord> runs() {
        return runs(Arbitraries.integers().between(0, 6));
    }

    @Provide
    Arbitrary<RunRecord> manyTickers() {
        return runs(Arbitraries.integers().between(1000, 3000));
    }

    private static Arbitrary<RunRecord> runs(Arbitrary<Integer> tickerCount) {
        Arbitrary<List<Object>> head = Combinators.combine(strings().injectNull(0.05),
                Arbitraries.of(RunStatus.class).injectNull(0.05), instants().injectNull(0.2),
                instants().injectNull(0.3), Arbitraries.longs().injectNull(0.3)).as(java.util.Arrays::<Object>asList);
        Arbitrary<RunRecord.RunProcess> process = Combinators.combine(strings().injectNull(0.1), Arbitraries.longs(),
                        instants().injectNull(0.1), instants().injectNull(0.1), Arbitraries.longs())
                .as(RunRecord.RunProcess::new).injectNull(0.3);
        Arbitrary<RunRecord.TickerOutcome> tickerOutcome = Combinators.combine(
                        Arbitraries.of(RunStatus.class).injectNull(0.05), Arbitraries.longs(), Arbitraries.longs(),
                        Arbitraries.longs(), Arbitraries.longs(), Arbitraries.longs(), strings().injectNull(0.7))
                .as(RunRecord.TickerOutcome::new);
        Arbitrary<Map<String, RunRecord.TickerOutcome>> tickers = tickerCount.flatMap(n ->
                Arbitraries.maps(strings(), tickerOutcome.injectNull(0.02)).ofSize(n));
        Arbitrary<List<Object>> body = Combinators.combine(parameters().injectNull(0.1), totals().injectNull(0.1),
                        requests().injectNull(0.1), sinks().injectNull(0.1), metrics().injectNull(0.1),
                        tickers.injectNull(0.05))
                .as(java.util.Arrays::<Object>asList);
        Arbitrary<List<RunRecord.DataQualityWarning>> warnings = Combinators.combine(
                        // A null kind only with data_quality given (counting needs a key); see mutate for the rest.
                        Arbitraries.of("PRICE_JUMP", "INVALID_BAR", "WARNINGS_DROPPED", "SOMETHING_NEWER", ""),
                        Arbitraries.of(Severity.class).injectNull(0.3),
                        strings().injectNull(0.2), dates().injectNull(0.2), strings().injectNull(0.1))
                .as(RunRecord.DataQualityWarning::new).list().ofMaxSize(8).injectNull(0.1);
        Arbitrary<Map<String, RunRecord.CheckCount>> dataQuality = Arbitraries.maps(strings(),
                        Combinators.combine(Arbitraries.of(Severity.class).injectNull(0.1), Arbitraries.longs())
                                .as(RunRecord.CheckCount::new).injectNull(0.05))
                .ofMaxSize(5).injectNull(0.3);
        return Combinators.combine(head, process, body, dataQuality, warnings, strings().injectNull(0.6))
                .as((h, p, b, dq, w, error) -> new RunRecord((String) h.get(0), (RunStatus) h.get(1),
                        (Instant) h.get(2), (Instant) h.get(3), (Long) h.get(4), p,
                        (RunRecord.RunParameters) b.get(0), (RunRecord.Totals) b.get(1), (RequestStats) b.get(2),
                        cast(b.get(3)), cast(b.get(4)), cast(b.get(5)), dq, w, error));
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }

    private static Arbitrary<RunRecord.RunParameters> parameters() {
        Arbitrary<List<Object>> what = Combinators.combine(Arbitraries.of("batch", "stream", "").injectNull(0.1),
                strings().list().ofMaxSize(6), dates().injectNull(0.3), dates().injectNull(0.3),
                Arbitraries.of(Timespan.class).injectNull(0.05)).as(java.util.Arrays::<Object>asList);
        return Combinators.combine(what, Arbitraries.of(true, false), Arbitraries.of(true, false),
                        strings().injectNull(0.1), strings().injectNull(0.1),
                        strings().list().ofMaxSize(3).injectNull(0.2), strings().injectNull(0.3))
                .as((w, adjusted, incremental, source, store, sinks, tagger) -> new RunRecord.RunParameters(
                        (String) w.get(0), cast(w.get(1)), (LocalDate) w.get(2), (LocalDate) w.get(3),
                        (Timespan) w.get(4), adjusted, incremental, source, store, sinks, tagger));
    }

    private static Arbitrary<RunRecord.Totals> totals() {
        return Combinators.combine(Arbitraries.integers().list().ofSize(2), Arbitraries.longs().list().ofSize(7))
                .as((i, l) -> new RunRecord.Totals(i.get(0), i.get(1), l.get(0), l.get(1), l.get(2), l.get(3),
                        l.get(4), l.get(5), l.get(6)));
    }

    private static Arbitrary<RequestStats> requests() {
        return Arbitraries.longs().list().ofSize(6).map(l -> new RequestStats(l.get(0), l.get(1), l.get(2),
                l.get(3), l.get(4), l.get(5)));
    }

    private static Arbitrary<Map<String, RunRecord.SinkOutcome>> sinks() {
        return Arbitraries.maps(strings(), Combinators.combine(Arbitraries.longs(), Arbitraries.longs(),
                        Arbitraries.longs(), strings().injectNull(0.5)).as(RunRecord.SinkOutcome::new)
                .injectNull(0.05)).ofMaxSize(4);
    }

    private static Arbitrary<Map<String, Double>> metrics() {
        Arbitrary<Double> values = Arbitraries.oneOf(
                Arbitraries.doubles().between(0, 1e6).ofScale(6),
                Arbitraries.longs().map(Long::doubleValue),
                Arbitraries.longs().map(Double::longBitsToDouble),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0,
                        Double.MIN_VALUE, Double.MAX_VALUE, 1.795925806785E9));
        return Arbitraries.maps(strings(), values.injectNull(0.02)).ofMaxSize(40);
    }

    /** Any text JSON can carry: quotes, escapes, controls, non-ASCII, characters outside the BMP. */
    private static Arbitrary<String> strings() {
        Arbitrary<String> bmp = Arbitraries.strings().withCharRange('\u0000', '\uD7FF')
                .withCharRange('\uE000', '\uFFFF').ofMaxLength(12);
        return Arbitraries.oneOf(bmp, bmp.map(s -> s + "\uD83D\uDE00"),
                Arbitraries.strings().withCharRange('A', 'Z').ofMinLength(1).ofMaxLength(5),
                Arbitraries.of("", "ticker_etl_runs_total{status=\"SUCCEEDED\"}", "a\\b\"c\n\u2028"));
    }

    private static Arbitrary<Instant> instants() {
        return Arbitraries.oneOf(
                Combinators.combine(Arbitraries.longs().between(-62_135_596_800L, 253_402_300_799L),
                        Arbitraries.integers().between(0, 999_999_999)).as(Instant::ofEpochSecond),
                Arbitraries.longs().between(0, 4_000_000_000_000L).map(Instant::ofEpochMilli),
                Arbitraries.longs().between(-3_000_000_000_000L, 3_000_000_000_000L).map(Instant::ofEpochSecond));
    }

    private static Arbitrary<LocalDate> dates() {
        return Arbitraries.longs().between(LocalDate.of(-20000, 1, 1).toEpochDay(),
                LocalDate.of(20000, 12, 31).toEpochDay()).map(LocalDate::ofEpochDay);
    }
}
