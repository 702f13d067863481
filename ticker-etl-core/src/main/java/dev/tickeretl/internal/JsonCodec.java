package dev.tickeretl.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.tickeretl.Bar;
import dev.tickeretl.RunRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The one JSON configuration for the data contract and run records, shared by every store so that all of them
 * write byte-identical lines for the same bar.
 */
public final class JsonCodec {

    // Made on first use: constructing an ObjectMapper costs tens of ms of a fresh JVM (its default date format loads
    // locale and time-zone data), and `runs` reads run records without it (RunRecordDecoder).
    private static final class Mapper {
        static final ObjectMapper INSTANCE = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                // Keep -04:00 / -05:00 as written: the default would rewrite offsets to UTC on read.
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    // Each reader and writer introspects its type when made (tens of ms in a fresh JVM), so each is made on first
    // use: an ingest whose bars all take BarLines never needs the bar writer.
    private static final class BarWriter {
        static final ObjectWriter INSTANCE = Mapper.INSTANCE.writerFor(Bar.class);
    }

    private static final class BarReader {
        static final ObjectReader INSTANCE = Mapper.INSTANCE.readerFor(Bar.class);
    }

    private static final class RunWriter {
        static final ObjectWriter INSTANCE = Mapper.INSTANCE.writerFor(RunRecord.class).withDefaultPrettyPrinter();
    }

    /** Only for records that are not of the written form: the others take {@link RunRecordDecoder}. */
    private static final class RunReader {
        static final ObjectReader INSTANCE = Mapper.INSTANCE.readerFor(RunRecord.class);
    }

    /** A daily bar's line is about 330 characters. */
    static final int LINE_CAPACITY = PartitionFile.LINE_CAPACITY;

    private JsonCodec() {
    }

    /** Any value (the offsets file) as compact JSON. */
    static byte[] toJsonBytes(Object value) {
        try {
            return Mapper.INSTANCE.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /** Reads {@code json} as a {@code type}. */
    public static <T> T read(byte[] json, Class<T> type) throws IOException {
        return Mapper.INSTANCE.readValue(json, type);
    }

    /**
     * Each thread's buffer for {@link #toJson(Bar)}: a new one per line cost as much as writing the line (the
     * allocation, its zeroing, and growing it to the writer's worst-case room).
     */
    private static final ThreadLocal<AsciiBuffer> LINE = ThreadLocal.withInitial(() -> new AsciiBuffer(1024));
    /** Longer tickers get a buffer of their own, so that no thread keeps a large one. */
    private static final int SHARED_LINE_MAX_TICKER = 64;

    /** One bar as a single JSON line, without the newline. */
    public static String toJson(Bar bar) {
        AsciiBuffer line;
        if (bar.ticker().length() <= SHARED_LINE_MAX_TICKER) {
            line = LINE.get();
            line.truncate(0);
        } else {
            line = new AsciiBuffer(LINE_CAPACITY + bar.ticker().length() * 2);
        }
        if (BarLines.append(bar, line)) {
            return line.toAsciiString();
        }
        return toJsonWithJackson(bar);
    }

    /** Appends one bar's JSON line in UTF-8, without the newline. */
    static void appendJson(Bar bar, AsciiBuffer out) {
        if (!BarLines.append(bar, out)) {
            out.utf8(toJsonWithJackson(bar));
        }
    }

    /** The reference serialisation; {@link BarLines} reproduces its bytes for every bar it accepts. */
    static String toJsonWithJackson(Bar bar) {
        try {
            return BarWriter.INSTANCE.writeValueAsString(bar);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise bar " + bar.key(), e);
        }
    }

    /** Parses one data-contract line. */
    public static Bar parseBar(String line) {
        try {
            return BarReader.INSTANCE.readValue(line);
        } catch (IOException e) {
            throw new UncheckedIOException("not a data-contract bar: " + e.getMessage(), e);
        }
    }

    /**
     * Parses one data-contract line.
     *
     * @throws IOException with Jackson's own message, or {@link RuntimeException} for a value no bar can hold
     */
    static Bar readBar(String line) throws IOException {
        return BarReader.INSTANCE.readValue(line);
    }

    /** Any value (a check report) as compact JSON text. */
    public static String toJsonText(Object value) {
        return new String(toJsonBytes(value), StandardCharsets.UTF_8);
    }

    /** One line as a JSON tree. @throws IOException when it is not JSON */
    public static com.fasterxml.jackson.databind.JsonNode readTree(String line) throws IOException {
        return Mapper.INSTANCE.readTree(line);
    }

    /** A JSON object as a bar. @throws IOException when it is not one */
    public static Bar treeToBar(com.fasterxml.jackson.databind.JsonNode tree) throws IOException {
        return Mapper.INSTANCE.treeToValue(tree, Bar.class);
    }

    /** Run records as one compact JSON array, for APIs. */
    public static byte[] toJsonArray(java.util.List<RunRecord> runs) {
        try {
            ObjectMapper mapper = Mapper.INSTANCE;
            return mapper.writerFor(mapper.getTypeFactory().constructCollectionType(java.util.List.class,
                    RunRecord.class)).writeValueAsBytes(runs);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise run records", e);
        }
    }

    public static byte[] toJson(RunRecord run) {
        try {
            return RunWriter.INSTANCE.writeValueAsString(run).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise run " + run.runId(), e);
        }
    }

    /**
     * Parses a run record.
     *
     * @throws UncheckedIOException "not a run record: ..." when it is not JSON or not a run record
     */
    public static RunRecord parseRun(byte[] json) {
        try {
            return RunRecordDecoder.decode(RunRecordDecoder.readTree(json));
        } catch (IOException | RuntimeException e) {
            // Not of the written form (a coercible value, damaged JSON, no run record at all): the databind reader
            // decides, so such a record reads, or fails, exactly as it always did. Only this path pays for the
            // mapper and its introspection of RunRecord.
            return parseRunWithDatabind(json);
        }
    }

    /** The reference decoding of a run record, which {@link RunRecordDecoder} reproduces for what we write. */
    static RunRecord parseRunWithDatabind(byte[] json) {
        try {
            return RunReader.INSTANCE.readValue(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not a run record: " + e.getMessage(), e);
        }
    }
}
