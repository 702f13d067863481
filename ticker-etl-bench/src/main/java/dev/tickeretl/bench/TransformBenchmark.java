package dev.tickeretl.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.tickeretl.Bar;
import dev.tickeretl.TradingCalendar;
import dev.tickeretl.internal.Providers;
import dev.tickeretl.spi.InvalidBarException;
import dev.tickeretl.spi.PhaseTagger;
import dev.tickeretl.spi.RawBar;
import dev.tickeretl.spi.Transformer;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The per-bar CPU path, on one thread: convert a raw bar (time zones, validation), tag its phase against the previous
 * trading session, and serialise it to its JSON line. Scores are bars per second; the three parts are also measured
 * alone to show where the time goes.
 *
 * <p>{@code data=realistic} ({@link RealisticBars}: prices 0.0001 to 700,000, volumes 10^5 to 10^10, some
 * fractional) is what real tickers look like; {@code data=simulator} is the simulator's synthetic bars (prices near
 * 100, volumes near 3 million), kept to compare with earlier numbers. Each method returns what it produced (bars or
 * characters) so that the smoke test can check the work was done, and JMH consumes it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 1)
public class TransformBenchmark {

    /** About 20 years of one ticker's daily bars. */
    public static final int BARS = 5_000;

    private final Transformer transformer = Providers.transformer("market-time");
    private final PhaseTagger tagger = Providers.phaseTagger("brief");
    private final TradingCalendar calendar = TradingCalendar.nyse();
    /** Jackson configured as the core's codec is for writing bars (the core no longer hands out its mapper). */
    private final ObjectWriter jackson = jacksonWriter();

    static ObjectWriter jacksonWriter() {
        return new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).writerFor(Bar.class);
    }

    @Param({"realistic", "simulator"})
    public String data;

    private RawBar[] raw;
    private Bar[] converted;
    private Bar[] tagged;

    @Setup
    public void setup() throws InvalidBarException {
        List<RawBar> days = switch (data) {
            // 20 profiles x 252 trading days
            case "realistic" -> RealisticBars.days(20, LocalDate.of(2024, 1, 2), LocalDate.of(2024, 12, 31), 7L);
            case "simulator" -> BenchData.rawDays("AAPL", BenchData.firstDay(21), BenchData.LAST_DAY);
            default -> throw new IllegalArgumentException("data: realistic or simulator, got " + data);
        };
        raw = days.subList(days.size() - BARS, days.size()).toArray(new RawBar[0]);
        converted = new Bar[BARS];
        tagged = new Bar[BARS];
        for (int i = 0; i < BARS; i++) {
            converted[i] = transformer.transform(raw[i]);
        }
        for (int i = 0; i < BARS; i++) {
            tagged[i] = tag(converted[i], i == 0 ? null : converted[i - 1]);
        }
        // The baseline only compares if it writes the very bytes the store writes.
        for (Bar bar : new Bar[] {tagged[0], tagged[BARS - 1]}) {
            String viaJackson;
            try {
                viaJackson = jackson.writeValueAsString(bar);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            if (!viaJackson.equals(bar.toJson())) {
                throw new IllegalStateException("the Jackson baseline writes other bytes than the store:\n"
                        + viaJackson + "\n" + bar.toJson());
            }
        }
    }

    /** The whole per-bar path, as the pipeline runs it for one ticker. */
    @Benchmark
    @OperationsPerInvocation(BARS)
    public long transformTagSerialize(Blackhole bh) throws InvalidBarException {
        long chars = 0;
        Bar previous = null;
        for (RawBar r : raw) {
            Bar bar = transformer.transform(r);
            String line = tag(bar, previous).toJson();
            chars += line.length();
            bh.consume(line);
            previous = bar;
        }
        return chars;
    }

    @Benchmark
    @OperationsPerInvocation(BARS)
    public long transformOnly(Blackhole bh) throws InvalidBarException {
        long bars = 0;
        for (RawBar r : raw) {
            bh.consume(transformer.transform(r));
            bars++;
        }
        return bars;
    }

    @Benchmark
    @OperationsPerInvocation(BARS)
    public long tagOnly(Blackhole bh) {
        long compared = 0;
        Bar previous = null;
        for (Bar bar : converted) {
            Bar tagged = tag(bar, previous);
            if (tagged.priorVolume() != null) {
                compared++;
            }
            bh.consume(tagged);
            previous = bar;
        }
        return compared;
    }

    @Benchmark
    @OperationsPerInvocation(BARS)
    public long serializeOnly(Blackhole bh) {
        long chars = 0;
        for (Bar bar : tagged) {
            String line = bar.toJson();
            chars += line.length();
            bh.consume(line);
        }
        return chars;
    }

    /**
     * The baseline: the same lines through Jackson's databind writer, which is what {@link Bar#toJson} did before
     * the core got its own line writer (and still does for bars outside the common shape).
     */
    @Benchmark
    @OperationsPerInvocation(BARS)
    public long serializeJackson(Blackhole bh) throws JsonProcessingException {
        long chars = 0;
        for (Bar bar : tagged) {
            String line = jackson.writeValueAsString(bar);
            chars += line.length();
            bh.consume(line);
        }
        return chars;
    }

    /** The tagged bars the serialising methods write (for the smoke test). */
    Bar[] tagged() {
        return tagged.clone();
    }

    /** The pipeline's rule: compare with the previous bar only when it is the previous trading session's. */
    private Bar tag(Bar bar, Bar previous) {
        Bar prior = previous != null && previous.tradingDate().equals(calendar.previousTradingDay(bar.tradingDate()))
                ? previous : null;
        return bar.withPhase(tagger.phaseOf(bar, BenchData.previousSession(prior)),
                prior == null ? null : prior.volume());
    }
}
