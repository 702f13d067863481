package dev.tickeretl.bench;

import dev.tickeretl.metrics.MicrometerObserver;
import dev.tickeretl.spi.Metrics;
import dev.tickeretl.spi.Observer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one observer call on the pipeline's hot paths (a counter per source event, a timer per write), on
 * one thread: {@link MicrometerObserver} (meters cached per series) against building the meter through
 * Micrometer's builder on every call, and against {@link Observer#NONE}. Nanoseconds per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ObserverBenchmark {

    private static final String[] TICKERS = {"AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "T1", "T2", "T3"};

    private PrometheusMeterRegistry registry;
    private Observer cached;
    private int i;

    @Setup
    public void setup() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        cached = MicrometerObserver.builder(registry).tickers(List.of("AAPL", "MSFT", "NVDA", "AMZN", "GOOGL"))
                .build();
    }

    private String ticker() {
        return TICKERS[i++ & 7];
    }

    @Benchmark
    public void countCached() {
        cached.count(Metrics.BARS_FETCHED, 3, Metrics.TICKER, ticker());
    }

    @Benchmark
    public void countBuilderPerCall() {
        Counter.builder(Metrics.BARS_FETCHED).tags(Metrics.TICKER, ticker()).register(registry).increment(3);
    }

    @Benchmark
    public void countNone() {
        Observer.NONE.count(Metrics.BARS_FETCHED, 3, Metrics.TICKER, ticker());
    }

    @Benchmark
    public void timeCached() {
        cached.time(Metrics.PARTITION_WRITE_DURATION, Duration.ofNanos(1_500_000 + (i++ & 1023)));
    }

    @Benchmark
    public void timeBuilderPerCall() {
        Timer.builder(Metrics.PARTITION_WRITE_DURATION).publishPercentileHistogram(true)
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(1))
                .register(registry).record(Duration.ofNanos(1_500_000 + (i++ & 1023)));
    }

    /** Prometheus scrape of what the calls made: what a busy /metrics costs. */
    public String scrape() {
        return registry.scrape();
    }
}
