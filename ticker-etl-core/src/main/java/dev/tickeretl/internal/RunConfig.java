package dev.tickeretl.internal;

import dev.tickeretl.QualityRules;
import dev.tickeretl.RunListener;
import dev.tickeretl.Timespan;
import dev.tickeretl.TradingCalendar;
import dev.tickeretl.spi.Observer;
import dev.tickeretl.spi.PhaseTagger;
import dev.tickeretl.spi.ProviderContext;
import dev.tickeretl.spi.Sink;
import dev.tickeretl.spi.Source;
import dev.tickeretl.spi.Storage;
import dev.tickeretl.spi.Transformer;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Function;

/**
 * The validated settings of one run, as {@link dev.tickeretl.TickerEtl.Builder} made them. {@code from}/{@code to}
 * are null for an unbounded run. Providers are opened with a context built at run time (the run's clock and
 * observer). {@code qualityRules}: the thresholds of the data-quality checks on written bars.
 */
public record RunConfig(
        List<String> tickers,
        LocalDate from,
        LocalDate to,
        Timespan timespan,
        boolean adjusted,
        boolean incremental,
        boolean unbounded,
        String sourceName,
        Function<ProviderContext, Source> source,
        String storeName,
        Function<ProviderContext, Storage> store,
        List<String> sinkNames,
        List<Function<ProviderContext, Sink>> sinks,
        Transformer transformer,
        PhaseTagger phaseTagger,
        TradingCalendar calendar,
        RunListener listener,
        Clock clock,
        Observer observer,
        Tuning tuning,
        QualityRules qualityRules) {

    public RunConfig {
        tickers = List.copyOf(tickers);
        sinkNames = List.copyOf(sinkNames);
        sinks = List.copyOf(sinks);
    }

    /**
     * How the loop batches and reports.
     *
     * @param flushInterval     how long bars may wait in memory before they are written (null: until their
     *                          partition is done; bounded runs write each ticker whole)
     * @param maxBatchBars      a partition's buffer is written once it holds this many bars
     * @param maxBufferedBars   the source is not polled while this many bars wait in buffers and writes
     * @param commitInterval    how often committable offsets are written to the store
     * @param heartbeatInterval how often the RUNNING record is rewritten with the totals so far
     * @param deadline          the whole run's time limit (null: none)
     * @param writerThreads     partitions written in parallel
     * @param shutdownHook      record CANCELLED (bounded) or stop cleanly (unbounded) when the JVM shuts down
     * @param compactInterval   a stream of minute bars folds its segments into partitions this often
     */
    public record Tuning(Duration flushInterval, int maxBatchBars, int maxBufferedBars, Duration commitInterval,
                         Duration heartbeatInterval, Duration deadline, int writerThreads, boolean shutdownHook,
                         Duration compactInterval) {
    }
}
