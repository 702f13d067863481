package dev.tickeretl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.Bar;
import dev.tickeretl.MarketTime;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The fast line parser is an optimisation only: on every line, ours or anyone's, it returns exactly the bar Jackson
 * reads, or leaves the line to Jackson; and a partition file decodes exactly as reading it line by line with
 * Jackson did before.
 */
class BarLineParserProperties {

    private static final BarLinesProperties BARS = new BarLinesProperties();

    /** Raw JSON values a field could hold: odd numbers, nulls, escapes, near-miss dates and times, wrong types. */
    private static final List<String> ODD_VALUES = List.of(
            "-0", "0", "-0.0", "0.0", "0.00", "1e400", "-1e400", "1E22", "1e23", "1e-22", "1e-23", "4.9e-324",
            "2.2250738585072014E-308", "1.7976931348623157E308", "9007199254740991", "9007199254740992",
            "9007199254740993", "9007199254740993.0", "123456789012345678901234567890", "-9223372036854775808",
            "9223372036854775807", "9223372036854775808", "99999999999999999", "2147483648", "-2147483649", "00",
            "01", "1.", ".5", "+1", "1e", "1e+", "-", "1.0e-0", "1E+2", "0.30000000000000004", "178.06",
            "1.2345678E7", "2962205", "2962205.0", "1.0E-4", "12.0", "1e2", "NaN", "Infinity", "null", "nul",
            "true", "false", "True", "\"1.5\"", "\"12\"", "\"AAPL\"", "\"A\\u0041PL\"", "\"\\/\"", "\"\"",
            "\"\u00c4\"", "\"BRK.A\"", "\"Bull\"", "\"bull\"", "\"Bear\"", "\"Neutral\"", "\"day\"", "\"minute\"",
            "\"hour\"", "\"2025-02-30\"", "\"2025-01-02\"", "\"+12025-01-02\"", "\"2025-1-2\"", "\"0000-01-01\"",
            "\"2025-01-02T00:00:00-05:00\"", "\"2025-01-02T00:00-05:00\"", "\"2025-01-02T00:00:00.5-05:00\"",
            "\"2025-01-02T00:00:00+00:00\"", "\"2025-01-02T00:00:00-00:00\"", "\"2025-01-02T00:00:00Z\"",
            "\"2025-01-02T24:00:00Z\"", "\"2025-01-02T23:59:60Z\"", "\"2025-01-02T00:00:00+18:00\"",
            "\"2025-01-02T00:00:00+19:00\"", "\"2025-01-02T00:00:00-0500\"", "\"2025-01-02T00:00:00.000Z\"",
            "\"2025-01-02t00:00:00z\"", "\"2025-01-02T05:00:00+01:00\"", "\"2025-01-02T00:00:00-05:00:30\"",
            "{}", "[]", "[1]");

    @Property(tries = 1000)
    void everyLineOurWriterMakesTakesTheFastPathAndEqualsJackson(@ForAll("realisticBars") Bar bar) {
        String line = JsonCodec.toJson(bar);
        Bar fast = parseFast(line);
        assertThat(fast).isNotNull().isEqualTo(JsonCodec.parseBar(line)).isEqualTo(bar);
    }

    @Property(tries = 1000)
    void anyBarsLineIsReadAsJacksonReadsItOrLeftToJackson(@ForAll("anyBars") Bar bar) {
        assertSameAsJackson(JsonCodec.toJson(bar));
    }

    @Property(tries = 3000)
    void oddLinesAreReadAsJacksonReadsThemOrLeftToJackson(@ForAll("oddLines") String line) {
        assertSameAsJackson(line);
    }

    @Property(tries = 3000)
    void numbersOfAnyLengthAreReadExactlyAsJacksonReadsThem(@ForAll("realisticBars") Bar bar,
            @ForAll("numbers") String high, @ForAll("numbers") String vwap) {
        String line = JsonCodec.toJson(bar).replaceFirst("\"high\":[^,]*,", "\"high\":" + high + ",")
                .replaceFirst("\"vwap\":[^,]*,", "\"vwap\":" + vwap + ",");
        Bar fast = parseFast(line);

        assertThat(fast).as(line).isNotNull().isEqualTo(JsonCodec.parseBar(line));
    }

    @Property(tries = 500)
    void aLineCutInsideANumberIsNotReadWhateverFollowsInTheArray(@ForAll("realisticBars") Bar bar,
            @ForAll("numbers") String high) {
        String line = JsonCodec.toJson(bar).replaceFirst("\"high\":[^,]*,", "\"high\":" + high + ",");
        int cut = line.indexOf("\"high\":") + "\"high\":".length() + high.length() / 2;
        byte[] bytes = (line + "\n" + line).getBytes(StandardCharsets.US_ASCII);

        // The digits after the cut belong to no line this parse may read: the bar ends early.
        assertThat(new BarLineParser().parse(bytes, 0, cut)).isNull();
    }

    /** Plain JSON numbers of 1 to 20 integer digits, 0 to 20 fraction digits and an optional exponent. */
    @Provide
    Arbitrary<String> numbers() {
        Arbitrary<String> integer = Arbitraries.oneOf(Arbitraries.just("0"),
                Combinators.combine(Arbitraries.chars().range('1', '9'), Arbitraries.strings().numeric()
                        .ofMaxLength(19)).as((first, rest) -> first + rest));
        Arbitrary<String> fraction = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(20).map(f -> "." + f)
                .injectNull(0.3).map(f -> f == null ? "" : f);
        Arbitrary<String> exponent = Arbitraries.integers().between(-30, 30).map(x -> "e" + x).injectNull(0.8)
                .map(x -> x == null ? "" : x);
        return Combinators.combine(integer, fraction, exponent).as((i, f, x) -> i + f + x);
    }

    @Property(tries = 1000)
    void aPartitionFileDecodesExactlyAsJacksonReadingLineByLine(@ForAll("files") byte[] file) {
        Object expected = outcome(() -> decodeWithJackson(file));
        Object actual = outcome(() -> PartitionFile.decode("test", "x.jsonl", file).bars());
        if (expected instanceof String) {
            assertThat(actual).as("a line Jackson cannot read is an error").asString()
                    .startsWith(dev.tickeretl.StoreException.class.getName());
        } else {
            assertThat(actual).isEqualTo(expected);
        }
    }

    /**
     * Field names are compared in 8-byte (or 4-byte) chunks, the last overlapping: a wrong byte anywhere in a line,
     * in any chunk of any name, leaves the line to Jackson unless Jackson reads the same bar.
     */
    @Property(tries = 40)
    void aLineWithAnyOneByteChangedIsReadAsJacksonReadsItOrLeftToJackson(@ForAll("realisticBars") Bar bar) {
        byte[] line = JsonCodec.toJson(bar).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < line.length; i++) {
            for (byte replacement : new byte[]{(byte) (line[i] ^ 0x01), (byte) (line[i] ^ 0x20), 'x', ' ', '"'}) {
                if (replacement == line[i]) {
                    continue;
                }
                byte[] changed = line.clone();
                changed[i] = replacement;
                assertSameAsJackson(new String(changed, StandardCharsets.ISO_8859_1));
            }
        }
    }

    @Example
    void aChangedByteInEachChunkOfEveryFieldNameLeavesTheLineToJackson() {
        String line = JsonCodec.toJson(BARS.realisticBars().filter(b -> b.vwap() != null && b.transactions() != null
                && b.priorVolume() != null).sample());
        for (String name : List.of("ticker", "timespan", "trading_date", "start_ms", "start_et", "start_utc", "open",
                "high", "low", "close", "volume", "vwap", "transactions", "adjusted", "prior_volume", "phase",
                "schema_version")) {
            int at = line.indexOf("\"" + name + "\":");
            assertThat(at).as(name).isPositive();
            // The first and the last byte of the name with its quotes and colon, and one in the middle.
            for (int offset : new int[]{0, (name.length() + 3) / 2, name.length() + 2}) {
                StringBuilder changed = new StringBuilder(line);
                changed.setCharAt(at + offset, changed.charAt(at + offset) == 'q' ? 'r' : 'q');
                assertThat(parseFast(changed.toString())).as(changed.toString()).isNull();
            }
        }
    }

    /**
     * One parser reads line after line and reuses the last ticker, date and offset it read: a ticker that is a
     * prefix or an extension of the last one, or a date or offset that differs in one digit, is still read as
     * Jackson reads it.
     */
    @Property(tries = 300)
    void aParserReadingLineAfterLineReadsEachAsJackson(@ForAll("similarBars") List<Bar> bars) {
        BarLineParser parser = new BarLineParser();
        for (Bar bar : bars) {
            String line = JsonCodec.toJson(bar);
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            assertThat(parser.parse(bytes, 0, bytes.length)).as(line).isEqualTo(JsonCodec.parseBar(line))
                    .isEqualTo(bar);
        }
    }

    /** Bars whose tickers, dates and offsets come from small sets of near neighbours, so lines repeat them. */
    @Provide
    Arbitrary<List<Bar>> similarBars() {
        Arbitrary<String> tickers = Arbitraries.of("", "A", "AA", "AAP", "AAPL", "AAPLX", "BAPL", "AAPM", "BRK.A");
        Arbitrary<Long> starts = Arbitraries.of(LocalDate.of(2024, 3, 8), LocalDate.of(2024, 3, 9),
                        LocalDate.of(2024, 3, 11), LocalDate.of(2024, 11, 1), LocalDate.of(2014, 3, 11),
                        LocalDate.of(2024, 2, 29), LocalDate.of(2023, 3, 11))
                .flatMap(day -> Arbitraries.of(0L, 4 * 3_600_000L, 9 * 3_600_000L + 30 * 60_000L)
                        .map(t -> MarketTime.startOfDayMs(day) + t));
        return Combinators.combine(BARS.realisticBars(), tickers, starts)
                .as((b, ticker, start) -> new Bar(ticker, b.timespan(), MarketTime.tradingDate(start), start,
                        MarketTime.easternOffset(start), MarketTime.instant(start), b.open(), b.high(), b.low(),
                        b.close(), b.volume(), b.vwap(), b.transactions(), b.adjusted(), b.priorVolume(),
                        b.phase(), b.schemaVersion()))
                .list().ofMaxSize(12);
    }

    @Example
    void theIntegerMinusZeroIsLeftToJacksonWhichReadsPositiveZero() {
        String line = JsonCodec.toJson(BARS.realisticBars().sample()).replaceFirst("\"open\":[^,]*", "\"open\":-0");
        assertThat(parseFast(line)).isNull();
        assertThat(Double.doubleToRawLongBits(JsonCodec.parseBar(line).open())).isZero();
    }

    @Example
    void anEmptyTickerIsReadAsJacksonReadsIt() {
        String line = JsonCodec.toJson(BARS.realisticBars().sample()).replaceFirst("\"ticker\":\"[^\"]*\"",
                "\"ticker\":\"\"");
        assertThat(parseFast(line)).isEqualTo(JsonCodec.parseBar(line));
    }

    @Example
    void aNullPhaseIsReadAsJacksonReadsItWhateverBarAllows() {
        // Minute bars carry no phase in the data contract; whether Bar accepts that, the parser agrees with Jackson.
        String line = JsonCodec.toJson(BARS.realisticBars().sample()).replaceFirst("\"phase\":\"[A-Za-z]+\"",
                "\"phase\":null");
        assertThat(line).contains("\"phase\":null");
        assertSameAsJackson(line);
    }

    @Provide
    Arbitrary<Bar> realisticBars() {
        return BARS.realisticBars();
    }

    @Provide
    Arbitrary<Bar> anyBars() {
        return BARS.anyBars();
    }

    /** A line our writer made, then changed one to three times in ways a person, a tool or a bug might. */
    @Provide
    Arbitrary<String> oddLines() {
        return Combinators.combine(BARS.realisticBars(), Arbitraries.longs())
                .as((bar, seed) -> mutate(JsonCodec.toJson(bar), new Random(seed)));
    }

    /** Files of ours, odd, blank and broken lines, with \n, \r\n or \r endings and any trailing newline. */
    @Provide
    Arbitrary<byte[]> files() {
        Arbitrary<String> line = Arbitraries.oneOf(BARS.realisticBars().map(JsonCodec::toJson), oddLines(),
                Arbitraries.of("", " ", "\t", "  \u2003", "{", "not json", "\u00ff\u00fe"));
        Arbitrary<byte[]> bytes = line.map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> garbage = Arbitraries.bytes().array(byte[].class).ofMaxSize(6);
        return Combinators.combine(Arbitraries.oneOf(bytes, bytes, bytes, garbage).list().ofMaxSize(8),
                        Arbitraries.of("\n", "\n", "\n", "\r\n", "\r"), Arbitraries.of(true, false))
                .as((lines, separator, trailing) -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    for (int i = 0; i < lines.size(); i++) {
                        out.writeBytes(lines.get(i));
                        if (i < lines.size() - 1 || trailing) {
                            out.writeBytes(separator.getBytes(StandardCharsets.US_ASCII));
                        }
                    }
                    return out.toByteArray();
                });
    }

    private static void assertSameAsJackson(String line) {
        Bar fast = parseFast(line);
        if (fast == null) {
            return; // left to Jackson: whatever Jackson says is the answer
        }
        Object jackson = outcome(() -> JsonCodec.parseBar(line));
        assertThat(jackson).as(line).isInstanceOf(Bar.class);
        assertThat(fast).as(line).isEqualTo(jackson);
        // Bar.equals compares doubles by value bits except NaN; make -0.0 / 0.0 explicit.
        Bar j = (Bar) jackson;
        assertThat(Double.doubleToRawLongBits(fast.open())).as(line).isEqualTo(Double.doubleToRawLongBits(j.open()));
        assertThat(Double.doubleToRawLongBits(fast.volume())).as(line)
                .isEqualTo(Double.doubleToRawLongBits(j.volume()));
    }

    private static Bar parseFast(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return new BarLineParser().parse(bytes, 0, bytes.length);
    }

    /**
     * What decoding did before the fast parser: each '\n'-separated line, trimmed, read by Jackson; blank lines
     * skipped; one bar per key (the last), in time order.
     */
    private static List<Bar> decodeWithJackson(byte[] file) throws IOException {
        java.util.TreeMap<Long, Bar> bars = new java.util.TreeMap<>();
        for (String line : new String(file, StandardCharsets.UTF_8).split("\n", -1)) {
            if (!line.isBlank()) {
                Bar b = JsonCodec.parseBar(line.strip());
                bars.put(b.startMs(), b);
            }
        }
        return new ArrayList<>(bars.values());
    }

    interface Attempt {
        Object get() throws Exception;
    }

    /** The value, or the exception's class and message, so that two outcomes compare with equals. */
    static Object outcome(Attempt attempt) {
        try {
            return attempt.get();
        } catch (Exception e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    static String mutate(String line, Random random) {
        String body = line.substring(1, line.length() - 1);
        List<String[]> fields = new ArrayList<>();
        for (String part : body.split(",(?=\")")) {
            int colon = part.indexOf("\":");
            fields.add(new String[]{part.substring(0, colon + 1), part.substring(colon + 2)});
        }
        int structural = random.nextInt(4);
        for (int i = 0; i <= structural % 3; i++) {
            int f = random.nextInt(fields.size());
            switch (random.nextInt(6)) {
                case 0, 1, 2 -> fields.get(f)[1] = ODD_VALUES.get(random.nextInt(ODD_VALUES.size()));
                case 3 -> fields.remove(f);
                case 4 -> java.util.Collections.swap(fields, f, random.nextInt(fields.size()));
                default -> fields.add(random.nextInt(fields.size() + 1),
                        new String[]{random.nextBoolean() ? "\"extra\"" : fields.get(f)[0],
                                ODD_VALUES.get(random.nextInt(ODD_VALUES.size()))});
            }
            if (fields.isEmpty()) {
                break;
            }
        }
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < fields.size(); i++) {
            out.append(i == 0 ? "" : ",").append(fields.get(i)[0]).append(':').append(fields.get(i)[1]);
        }
        out.append('}');
        if (structural == 3) {
            int at = random.nextInt(out.length() + 1);
            switch (random.nextInt(5)) {
                case 0 -> out.insert(at, ' ');
                case 1 -> out.insert(at, random.nextBoolean() ? "\t" : "\u00a0");
                case 2 -> out.deleteCharAt(Math.min(at, out.length() - 1));
                case 3 -> out.append(random.nextBoolean() ? " " : " x");
                default -> {
                    int c = Math.min(at, out.length() - 1);
                    char ch = out.charAt(c);
                    out.setCharAt(c, Character.isUpperCase(ch) ? Character.toLowerCase(ch)
                            : Character.toUpperCase(ch));
                }
            }
        }
        return out.toString();
    }
}
