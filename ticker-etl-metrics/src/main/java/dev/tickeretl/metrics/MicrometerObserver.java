package dev.tickeretl.metrics;

import dev.tickeretl.spi.Metrics;
import dev.tickeretl.spi.Observer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pipeline's {@link Observer} on a Micrometer {@link MeterRegistry}: counters, settable gauges, timers with
 * percentile histograms, distribution summaries, each with the unit and help text that {@link Metrics} defines. An
 * embedding service passes its own registry ({@code TickerEtl.builder().observer(MicrometerObserver.of(registry))});
 * with a {@code PrometheusMeterRegistry}, {@link Metrics#BARS_WRITTEN} is scraped as
 * {@code ticker_etl_bars_written_total} and {@link Metrics#PARTITION_WRITE_DURATION} as
 * {@code ticker_etl_partition_write_duration_seconds_bucket} etc.
 *
 * <p>Meters are built once per series and cached, so a call on a hot path is one map lookup. A {@code ticker} tag
 * keeps its value only for the tickers given to {@link Builder#tickers}; every other ticker is reported as
 * {@value Metrics#OTHER_TICKERS} (counters add up, gauges show the largest value among those tickers), so the
 * number of series stays bounded whatever the universe.
 */
public final class MicrometerObserver implements Observer {

    private static final Duration DEFAULT_MAX_EXPECTED = Duration.ofMinutes(1);

    private final MeterRegistry registry;
    private final Set<String> tickers;
    private final Map<Series, Counter> counters = new ConcurrentHashMap<>();
    private final Map<Series, AtomicLong> gauges = new ConcurrentHashMap<>();
    private final Map<Series, OtherTickers> otherGauges = new ConcurrentHashMap<>();
    private final Map<Series, Timer> timers = new ConcurrentHashMap<>();
    private final Map<Series, DistributionSummary> summaries = new ConcurrentHashMap<>();

    private MicrometerObserver(Builder b) {
        this.registry = b.registry;
        this.tickers = Set.copyOf(b.tickers);
    }

    /** Binds to {@code registry}; every ticker is reported as {@value Metrics#OTHER_TICKERS}. */
    public static MicrometerObserver of(MeterRegistry registry) {
        return builder(registry).build();
    }

    public static Builder builder(MeterRegistry registry) {
        return new Builder(registry);
    }

    /** The registry the meters are in. */
    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public void count(String name, long amount, String... tags) {
        if (amount < 0) {
            return; // counters only go up
        }
        // A zero still creates the series: Prometheus rules see 0 rather than nothing.
        lookup(counters, series(name, tags), this::newCounter).increment(amount);
    }

    @Override
    public void gauge(String name, double value, String... tags) {
        int t = tickerIndex(tags);
        if (t >= 0 && !tickers.contains(tags[t + 1])) {
            String ticker = tags[t + 1];
            lookup(otherGauges, series(name, tags), this::newOtherGauge).set(ticker, value);
            return;
        }
        lookup(gauges, new Series(name, tags), this::newGauge).set(Double.doubleToRawLongBits(value));
    }

    @Override
    public void time(String name, Duration duration, String... tags) {
        lookup(timers, series(name, tags), this::newTimer).record(duration);
    }

    @Override
    public void record(String name, double amount, String... tags) {
        lookup(summaries, series(name, tags), this::newSummary).record(amount);
    }

    /** A plain read first: once a series exists (almost always), no lock is taken. */
    private static <M> M lookup(Map<Series, M> cache, Series s, java.util.function.Function<Series, M> create) {
        M m = cache.get(s);
        return m != null ? m : cache.computeIfAbsent(s, create);
    }

    // ------------------------------------------------------------------------------------------------ meters

    private Counter newCounter(Series s) {
        Optional<Metrics.Definition> d = Metrics.definition(s.name);
        return Counter.builder(s.name).tags(s.tags()).description(d.map(Metrics.Definition::help).orElse(null))
                .baseUnit(d.map(Metrics.Definition::baseUnit).orElse(null)).register(registry);
    }

    private AtomicLong newGauge(Series s) {
        AtomicLong bits = new AtomicLong(Double.doubleToRawLongBits(Double.NaN));
        Optional<Metrics.Definition> d = Metrics.definition(s.name);
        Gauge.builder(s.name, bits, b -> Double.longBitsToDouble(b.get())).tags(s.tags())
                .description(d.map(Metrics.Definition::help).orElse(null))
                .baseUnit(d.map(Metrics.Definition::baseUnit).orElse(null))
                .strongReference(true).register(registry);
        return bits;
    }

    private OtherTickers newOtherGauge(Series s) {
        OtherTickers values = new OtherTickers();
        Optional<Metrics.Definition> d = Metrics.definition(s.name);
        Gauge.builder(s.name, values, OtherTickers::max).tags(s.tags())
                .description(d.map(Metrics.Definition::help).orElse(null))
                .baseUnit(d.map(Metrics.Definition::baseUnit).orElse(null))
                .strongReference(true).register(registry);
        return values;
    }

    private Timer newTimer(Series s) {
        Optional<Metrics.Definition> d = Metrics.definition(s.name);
        Duration max = d.map(Metrics.Definition::maxExpected).orElse(DEFAULT_MAX_EXPECTED);
        // Percentile histograms (buckets) rather than client-side percentiles: they aggregate across processes.
        return Timer.builder(s.name).tags(s.tags()).description(d.map(Metrics.Definition::help).orElse(null))
                .publishPercentileHistogram(true)
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(max)
                .register(registry);
    }

    private DistributionSummary newSummary(Series s) {
        Optional<Metrics.Definition> d = Metrics.definition(s.name);
        return DistributionSummary.builder(s.name).tags(s.tags())
                .description(d.map(Metrics.Definition::help).orElse(null))
                .baseUnit(d.map(Metrics.Definition::baseUnit).orElse(null)).register(registry);
    }

    // ------------------------------------------------------------------------------------------------ series

    /** The series a call goes to: a ticker outside the configured set becomes {@value Metrics#OTHER_TICKERS}. */
    private Series series(String name, String[] tags) {
        int t = tickerIndex(tags);
        if (t >= 0 && !tickers.contains(tags[t + 1])) {
            String[] collapsed = tags.clone();
            collapsed[t + 1] = Metrics.OTHER_TICKERS;
            return new Series(name, collapsed);
        }
        return new Series(name, tags);
    }

    private static int tickerIndex(String[] tags) {
        for (int i = 0; i + 1 < tags.length; i += 2) {
            if (Metrics.TICKER.equals(tags[i])) {
                return i;
            }
        }
        return -1;
    }

    /** A meter's name and tags; the tag array is the caller's varargs array, never changed after. */
    private static final class Series {
        final String name;
        final String[] tags;
        final int hash;

        Series(String name, String[] tags) {
            this.name = Objects.requireNonNull(name, "name");
            if (tags.length % 2 != 0) {
                throw new IllegalArgumentException(name + ": tags must be key, value pairs, got "
                        + Arrays.toString(tags));
            }
            this.tags = tags;
            this.hash = 31 * name.hashCode() + Arrays.hashCode(tags);
        }

        Tags tags() {
            return Tags.of(tags);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Series s && hash == s.hash && name.equals(s.name) && Arrays.equals(tags, s.tags);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** The gauge of the tickers outside the configured set: the largest current value among them. */
    private static final class OtherTickers {
        private final Map<String, Double> values = new ConcurrentHashMap<>();

        void set(String ticker, double value) {
            values.put(ticker, value);
        }

        double max() {
            return values.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        }
    }

    /** How to bind. */
    public static final class Builder {
        private final MeterRegistry registry;
        private Set<String> tickers = Set.of();

        private Builder(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /**
         * The tickers whose {@code ticker} tag keeps its value (keep it to a few dozen: each is a series per
         * metric); others are reported as {@value Metrics#OTHER_TICKERS}.
         */
        public Builder tickers(Collection<String> tickers) {
            this.tickers = Set.copyOf(tickers);
            return this;
        }

        public MicrometerObserver build() {
            return new MicrometerObserver(this);
        }
    }
}
