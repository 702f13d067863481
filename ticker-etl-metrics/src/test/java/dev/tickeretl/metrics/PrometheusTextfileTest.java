package dev.tickeretl.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickeretl.spi.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The node_exporter textfile: valid Prometheus text, replaced atomically, refreshed during a long run. */
class PrometheusTextfileTest {

    @TempDir
    Path dir;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MicrometerObserver observer = MicrometerObserver.builder(registry)
            .tickers(List.of("AAPL", "MSFT")).build();

    @Test
    void theFileIsPrometheusTextThatParsesBackToTheSameSeriesAsAScrape() throws Exception {
        observer.count(Metrics.BARS_WRITTEN, 252, Metrics.TICKER, "AAPL");
        observer.count(Metrics.RUNS, 1, Metrics.STATUS, "SUCCEEDED");
        observer.time(Metrics.RUN_DURATION, Duration.ofSeconds(7), Metrics.MODE, "batch");
        observer.gauge(Metrics.LAST_BAR_AGE, 3600, Metrics.TICKER, "MSFT");
        Path file = dir.resolve("ticker_etl.prom");

        PrometheusTextfile.write(registry, file);

        PrometheusText parsed = PrometheusText.parse(Files.readString(file));
        assertThat(parsed.samples).isEqualTo(PrometheusText.parse(registry.scrape()).samples);
        assertThat(parsed.value("ticker_etl_bars_written_total", "ticker", "AAPL")).isEqualTo(252.0);
        assertThat(parsed.value("ticker_etl_run_duration_seconds_sum", "mode", "batch")).isEqualTo(7.0);
        assertThat(parsed.value("ticker_etl_last_bar_age_seconds", "ticker", "MSFT")).isEqualTo(3600.0);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("no temporary file left").containsExactly(file);
        }
    }

    @Test
    @Timeout(60)
    void aReaderNeverSeesAPartialFileWhileItIsRewritten() throws Exception {
        Path file = dir.resolve("ticker_etl.prom");
        // Enough series that one write takes many syscalls: a reader of a file written in place would see a prefix.
        for (int i = 0; i < 300; i++) {
            observer.count(Metrics.DATA_QUALITY_WARNINGS, i, Metrics.KIND, "KIND_" + i);
        }
        PrometheusTextfile.write(registry, file);
        int families = PrometheusText.parse(Files.readString(file)).types.size();
        AtomicBoolean writing = new AtomicBoolean(true);
        List<String> broken = new CopyOnWriteArrayList<>();
        AtomicInteger reads = new AtomicInteger();
        Thread reader = new Thread(() -> {
            while (writing.get() && reads.get() < 100_000) {
                try {
                    String text = Files.readString(file);
                    PrometheusText p = PrometheusText.parse(text);
                    if (p.find("ticker_etl_data_quality_warnings_total").size() != 300
                            || p.types.size() != families) {
                        broken.add("incomplete: " + p.samples.size() + " samples");
                    }
                } catch (NoSuchFileException e) {
                    broken.add("the file was missing for a moment");
                } catch (Exception e) {
                    broken.add(e.toString());
                }
                reads.incrementAndGet();
            }
        });
        reader.start();
        for (int i = 0; i < 200; i++) {
            observer.count(Metrics.DATA_QUALITY_WARNINGS, 1, Metrics.KIND, "KIND_" + (i % 300));
            PrometheusTextfile.write(registry, file);
        }
        writing.set(false);
        reader.join(10_000);

        assertThat(reads.get()).as("reads done while writing").isPositive();
        assertThat(broken).isEmpty();
    }

    @Test
    @Timeout(30)
    void aLongRunRewritesTheFilePeriodicallyAndOnceMoreAtTheEndAndLeavesThePreviousOneUntilThen() throws Exception {
        Path file = dir.resolve("ticker_etl.prom");
        Files.writeString(file, "# TYPE ticker_etl_runs_total counter\nticker_etl_runs_total{status=\"SUCCEEDED\"} 1.0\n");
        observer.count(Metrics.BARS_FETCHED, 1, Metrics.TICKER, "AAPL");
        try (PrometheusTextfile periodic = PrometheusTextfile.every(registry, file, Duration.ofMillis(300))) {
            assertThat(Files.readString(file)).as("the previous run's file, until the first period")
                    .contains("ticker_etl_runs_total");
            observer.count(Metrics.BARS_FETCHED, 9, Metrics.TICKER, "AAPL");
            long giveUp = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while ((!Files.readString(file).contains("ticker_etl_bars_fetched_total") || fetched(file) != 10.0)
                    && System.nanoTime() - giveUp < 0) {
                Thread.sleep(20);
            }
            assertThat(fetched(file)).as("rewritten without being asked").isEqualTo(10.0);
            observer.count(Metrics.BARS_FETCHED, 5, Metrics.TICKER, "AAPL");
            observer.count(Metrics.RUNS, 1, Metrics.STATUS, "SUCCEEDED");
        }
        assertThat(fetched(file)).as("the final values at close").isEqualTo(15.0);
        assertThat(PrometheusText.parse(Files.readString(file)).value("ticker_etl_runs_total", "status",
                "SUCCEEDED")).isEqualTo(1.0);
    }

    private static double fetched(Path file) throws Exception {
        return PrometheusText.parse(Files.readString(file)).value("ticker_etl_bars_fetched_total", "ticker", "AAPL");
    }

    @Test
    void aFileNodeExporterWouldIgnoreOrCannotWriteIsAnErrorNamingTheOption() {
        assertThatThrownBy(() -> PrometheusTextfile.write(registry, dir.resolve("metrics.txt")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metrics-file")
                .hasMessageContaining(".prom");
        assertThatThrownBy(() -> PrometheusTextfile.every(registry, dir.resolve("no/such/dir/x.prom"),
                Duration.ofSeconds(15)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metrics-file")
                .hasMessageContaining("does not exist");
    }
}
