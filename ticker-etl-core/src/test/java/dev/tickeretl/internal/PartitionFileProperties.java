package dev.tickeretl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.Bar;
import dev.tickeretl.MarketTime;
import dev.tickeretl.Timespan;
import dev.tickeretl.internal.quality.QualityCheck;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * {@link PartitionFile#decode} reads a partition exactly as reading each line with Jackson into a map keyed by
 * {@code start_ms} does: the same bars in the same order, the same problems (foreign lines, repeated keys) at the
 * same line numbers, the same error for a line that is no bar. It takes shortcuts (lines in order go to a list, the
 * parse finds the end of a line); these properties hold it to the plain reading on files in order, out of order,
 * with repeated keys, foreign, blank and odd lines, and any line endings.
 */
class PartitionFileProperties {

    private static final BarLinesProperties BARS = new BarLinesProperties();
    private static final String HOME = StoreLayout.partitionOf("AAPL", Timespan.DAY, true, LocalDate.of(2024, 1, 1));

    @Property(tries = 1500)
    void decodingEqualsReadingEachLineWithJacksonIntoAMap(@ForAll("partitions") Sample sample) {
        Statistics.label("order").collect(sample.kind());
        Statistics.label("ending").collect(sample.ending());
        Object expected = BarLineParserProperties.outcome(() -> decodeWithJackson(sample.bytes()));
        Object actual = BarLineParserProperties.outcome(() -> PartitionFile.decode("test", HOME, sample.bytes()));
        assertThat(actual).isEqualTo(expected);
        Statistics.label("order").coverage(c -> {
            c.check("in order").percentage(p -> p > 8);
            c.check("shuffled").percentage(p -> p > 2);
            c.check("changed").percentage(p -> p > 30);
        });
    }

    @Example
    void aLineOutOfOrderAfterSeveralInOrderIsPutInItsPlaceAndARepeatedKeyKeepsTheLaterLine() {
        List<Bar> days = homeBars(4);
        Bar repeated = days.get(1).withPhase(days.get(1).phase(), 12345.0);
        byte[] file = lines(days.get(0), days.get(2), days.get(3), days.get(1), repeated);
        PartitionFile.Decoded decoded = PartitionFile.decode("test", HOME, file);
        assertThat(decoded.bars()).containsExactly(days.get(0), repeated, days.get(2), days.get(3));
        assertThat(decoded.issues()).extracting(PartitionFile.Problem::check, PartitionFile.Problem::line)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(QualityCheck.DUPLICATE_KEY, 5));
        assertThat(decoded).isEqualTo(decodeWithJackson(file));
    }

    @Example
    void aRepeatOfTheLastLineIsADuplicateNotASecondBar() {
        List<Bar> days = homeBars(2);
        byte[] file = lines(days.get(0), days.get(1), days.get(1));
        PartitionFile.Decoded decoded = PartitionFile.decode("test", HOME, file);
        assertThat(decoded.bars()).containsExactly(days.get(0), days.get(1));
        assertThat(decoded.problems()).singleElement().asString().startsWith("line 3: key AAPL/day/");
        assertThat(decoded).isEqualTo(decodeWithJackson(file));
    }

    /** A partition file with what it should decode to, and what kind of file it is (for the statistics). */
    record Sample(byte[] bytes, String kind, String ending) {
        @Override
        public String toString() {
            return kind + ", " + ending + ":\n" + new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /**
     * AAPL's 2024 day partition: its bars mostly in order (as the writer leaves them), sometimes shuffled; then
     * with some of: a line moved back, a key repeated with other values, bars of another ticker, year, dataset or
     * timespan, blank lines, an odd line; ended by \n, \r\n, \r or a mix, with or without a last newline.
     */
    @Provide
    Arbitrary<Sample> partitions() {
        return Combinators.combine(BARS.realisticBars().list().ofMaxSize(14), Arbitraries.randoms())
                .as(PartitionFileProperties::sample);
    }

    private static Sample sample(List<Bar> templates, Random random) {
        List<String> lines = new ArrayList<>();
        List<Bar> home = new ArrayList<>();
        for (Bar t : templates) {
            home.add(at(t, "AAPL", Timespan.DAY, true, LocalDate.of(2024, 1, 1).plusDays(random.nextInt(366))));
        }
        String kind;
        if (random.nextInt(4) == 0) {
            kind = "shuffled";
        } else {
            home.sort(java.util.Comparator.comparingLong(Bar::startMs));
            kind = "in order";
        }
        for (Bar b : home) {
            lines.add(JsonCodec.toJson(b));
        }
        int changes = random.nextInt(4);
        for (int i = 0; i < changes && !home.isEmpty(); i++) {
            Bar some = home.get(random.nextInt(home.size()));
            int where = random.nextInt(lines.size() + 1);
            switch (random.nextInt(6)) {
                case 0 -> {
                    if (lines.size() > 1) {
                        int from = 1 + random.nextInt(lines.size() - 1);
                        lines.add(random.nextInt(from), lines.remove(from));
                        kind += ", moved back";
                    }
                }
                case 1 -> {
                    lines.add(where, JsonCodec.toJson(new Bar(some.ticker(), some.timespan(), some.tradingDate(),
                            some.startMs(), some.startEt(), some.startUtc(), some.open() + 1, some.high(),
                            some.low(), some.close(), some.volume(), some.vwap(), some.transactions(),
                            some.adjusted(), some.priorVolume(), some.phase(), some.schemaVersion())));
                    kind += ", repeated key";
                }
                case 2 -> {
                    Bar foreign = switch (random.nextInt(4)) {
                        case 0 -> at(some, "MSFT", Timespan.DAY, true, some.tradingDate());
                        case 1 -> at(some, "AAPL", Timespan.DAY, true, some.tradingDate().minusYears(1));
                        case 2 -> at(some, "AAPL", Timespan.DAY, false, some.tradingDate());
                        default -> at(some, "AAPL", Timespan.MINUTE, true, some.tradingDate());
                    };
                    lines.add(where, JsonCodec.toJson(foreign));
                    kind += ", foreign";
                }
                case 3 -> {
                    lines.add(where, random.nextBoolean() ? "" : " \t");
                    kind += ", blank";
                }
                case 4 -> {
                    // The same bar as Jackson reads it, in another shape (spaces): the fallback path.
                    lines.add(where, " " + JsonCodec.toJson(some).replace(",\"open\":", ", \"open\" : ") + " ");
                    kind += ", other shape";
                }
                default -> {
                    if (random.nextInt(4) == 0) {
                        lines.add(where, BarLineParserProperties.mutate(JsonCodec.toJson(some), random));
                        kind += ", odd";
                    }
                }
            }
        }
        String[] endings = {"\n", "\r\n", "\r"};
        int endingKind = random.nextInt(6);
        String ending = switch (endingKind) {
            case 0 -> "\\r\\n";
            case 1 -> "\\r";
            case 2 -> "mixed";
            default -> "\\n";
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean lastNewline = random.nextInt(3) > 0;
        for (int i = 0; i < lines.size(); i++) {
            out.writeBytes(lines.get(i).getBytes(StandardCharsets.UTF_8));
            if (i < lines.size() - 1 || lastNewline) {
                String separator = switch (endingKind) {
                    case 0 -> "\r\n";
                    case 1 -> "\r";
                    case 2 -> endings[random.nextInt(3)];
                    default -> "\n";
                };
                out.writeBytes(separator.getBytes(StandardCharsets.US_ASCII));
            }
        }
        return new Sample(out.toByteArray(), kind.contains(",") ? "changed" : kind, ending);
    }

    /** {@code template}'s values as a bar of {@code ticker} on {@code date}, start of day, consistent times. */
    private static Bar at(Bar template, String ticker, Timespan timespan, boolean adjusted, LocalDate date) {
        long start = MarketTime.startOfDayMs(date);
        return new Bar(ticker, timespan, date, start, MarketTime.easternOffset(start), MarketTime.instant(start),
                template.open(), template.high(), template.low(), template.close(), template.volume(),
                template.vwap(), template.transactions(), adjusted, template.priorVolume(), template.phase(),
                template.schemaVersion());
    }

    private static List<Bar> homeBars(int n) {
        List<Bar> days = new ArrayList<>();
        Bar template = BARS.realisticBars().sample();
        for (int i = 0; i < n; i++) {
            days.add(at(template, "AAPL", Timespan.DAY, true, LocalDate.of(2024, 3, 4).plusDays(i)));
        }
        return days;
    }

    private static byte[] lines(Bar... bars) {
        StringBuilder out = new StringBuilder();
        for (Bar b : bars) {
            out.append(JsonCodec.toJson(b)).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The plain reading: the file cut at each '\n', each non-blank line stripped and read by Jackson (an error
     * naming the line when it is no bar); a bar of another partition is a foreign line; every other bar put into
     * a map by start_ms, a key already there being a repeat whose later line wins.
     */
    private static PartitionFile.Decoded decodeWithJackson(byte[] file) {
        PartitionFile.Expected expected = PartitionFile.Expected.of(HOME);
        TreeMap<Long, Bar> byStart = new TreeMap<>();
        List<PartitionFile.Problem> problems = new ArrayList<>();
        String[] lines = new String(file, StandardCharsets.UTF_8).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            Bar bar = PartitionFile.parseLine("test", HOME, i + 1, lines[i].strip());
            String mismatch = expected.mismatch(bar);
            if (mismatch != null) {
                problems.add(new PartitionFile.Problem(QualityCheck.FOREIGN_LINE, i + 1, bar, mismatch));
            } else if (byStart.put(bar.startMs(), bar) != null) {
                problems.add(new PartitionFile.Problem(QualityCheck.DUPLICATE_KEY, i + 1, bar, "key "
                        + bar.ticker() + "/day/" + bar.startMs() + " (" + bar.tradingDate()
                        + ") repeats an earlier line; the later one is kept"));
            }
        }
        return new PartitionFile.Decoded(new ArrayList<>(byStart.values()), problems);
    }
}
