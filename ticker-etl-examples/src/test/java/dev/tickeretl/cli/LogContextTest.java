package dev.tickeretl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.RequestStats;
import dev.tickeretl.RunListener;
import dev.tickeretl.RunRecord;
import dev.tickeretl.TickerEtl;
import dev.tickeretl.spi.Metrics;
import dev.tickeretl.spi.Observer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.MDC;

/**
 * The library puts the run id (and the ticker around per-ticker work) into the slf4j MDC on every thread it runs
 * work on, so any binding's log lines carry them. Checked here, where a binding with a real MDC (logback) is on the
 * class path.
 */
class LogContextTest {

    @TempDir
    Path dir;

    /** Where and with what MDC each measurement was taken: the writer threads report partition writes. */
    record Seen(String name, String thread, Map<String, String> mdc) {
    }

    @Test
    void theRunIdIsInTheMdcOnTheRunsAndTheWritersThreadsAndTheTickerAroundEachTickersWork() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        Observer observer = new Observer() {
            @Override
            public void time(String name, Duration duration, String... tags) {
                seen.add(new Seen(name, Thread.currentThread().getName(), mdc()));
            }

            @Override
            public void count(String name, long amount, String... tags) {
                seen.add(new Seen(name, Thread.currentThread().getName(), mdc()));
            }
        };
        Map<String, Map<String, String>> atTickerFinished = new ConcurrentHashMap<>();
        RunListener listener = new RunListener() {
            @Override
            public void tickerFinished(String ticker, RunRecord.TickerOutcome outcome, int done, int total,
                                       RequestStats requests) {
                atTickerFinished.put(ticker, mdc());
            }
        };

        RunRecord run = TickerEtl.builder().tickers("AAPL", "MSFT").from(LocalDate.of(2025, 1, 2))
                .to(LocalDate.of(2025, 1, 31)).source("simulator").store(dir.resolve("data").toUri())
                .shutdownHook(false).observer(observer).listener(listener).build().start().result();

        // The pipeline's own threads (a source's threads are the source's business).
        List<Seen> pipeline = seen.stream().filter(s -> s.thread().startsWith("ticker-etl-")).toList();
        assertThat(pipeline).hasSizeGreaterThan(5).allSatisfy(s -> assertThat(s.mdc())
                .as("MDC at %s on %s", s.name(), s.thread()).containsEntry("run_id", run.runId()));
        List<Seen> writes = seen.stream().filter(s -> s.name().equals(Metrics.PARTITION_WRITE_DURATION)).toList();
        assertThat(writes).hasSize(2).allSatisfy(s -> assertThat(s.thread()).startsWith("ticker-etl-write-"));
        assertThat(writes).extracting(s -> s.mdc().get("ticker")).containsExactlyInAnyOrder("AAPL", "MSFT");
        assertThat(atTickerFinished).containsOnlyKeys("AAPL", "MSFT");
        atTickerFinished.forEach((ticker, mdc) -> assertThat(mdc).containsEntry("ticker", ticker)
                .containsEntry("run_id", run.runId()));
        List<Seen> runLevel = seen.stream().filter(s -> s.name().equals(Metrics.RUNS)).toList();
        assertThat(runLevel).hasSize(1).allSatisfy(s -> assertThat(s.mdc()).doesNotContainKey("ticker"));
        assertThat(pipeline).anyMatch(s -> s.thread().startsWith("ticker-etl-run-"));
    }

    private static Map<String, String> mdc() {
        Map<String, String> m = MDC.getCopyOfContextMap();
        return m == null ? Map.of() : Map.copyOf(m);
    }
}
