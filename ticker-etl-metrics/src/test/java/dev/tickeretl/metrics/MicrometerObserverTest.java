package dev.tickeretl.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickeretl.spi.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The observer on a Prometheus registry: names, units, help, tags and histograms as Prometheus sees them. */
class MicrometerObserverTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MicrometerObserver observer = MicrometerObserver.builder(registry).tickers(Set.of("AAPL")).build();

    private PrometheusText scrape() {
        return PrometheusText.parse(registry.scrape());
    }

    @Test
    void countersAreScrapedWithTotalSuffixTheirTagsAndTheHelpOfTheVocabulary() {
        observer.count(Metrics.BARS_WRITTEN, 20, Metrics.TICKER, "AAPL");
        observer.count(Metrics.BARS_WRITTEN, 1, Metrics.TICKER, "AAPL");
        observer.count(Metrics.RUNS, 1, Metrics.STATUS, "SUCCEEDED");

        String text = registry.scrape();
        PrometheusText p = PrometheusText.parse(text);
        assertThat(p.value("ticker_etl_bars_written_total", "ticker", "AAPL")).isEqualTo(21.0);
        assertThat(p.value("ticker_etl_runs_total", "status", "SUCCEEDED")).isEqualTo(1.0);
        assertThat(p.types).containsEntry("ticker_etl_bars_written_total", "counter");
        assertThat(text).contains("# HELP ticker_etl_bars_written_total Bars stored that were new");
    }

    @Test
    void timersAreHistogramsInSecondsWithBucketsUpToTheMetricsLongestExpectedDuration() {
        observer.time(Metrics.PARTITION_WRITE_DURATION, Duration.ofMillis(30));
        observer.time(Metrics.PARTITION_WRITE_DURATION, Duration.ofMillis(700));

        PrometheusText p = scrape();
        assertThat(p.types).containsEntry("ticker_etl_partition_write_duration_seconds", "histogram");
        assertThat(p.value("ticker_etl_partition_write_duration_seconds_count")).isEqualTo(2.0);
        assertThat(p.value("ticker_etl_partition_write_duration_seconds_sum")).isCloseTo(0.73,
                org.assertj.core.data.Offset.offset(1e-9));
        List<PrometheusText.Sample> buckets = p.find("ticker_etl_partition_write_duration_seconds_bucket");
        List<Double> bounds = new ArrayList<>();
        for (PrometheusText.Sample b : buckets) {
            String le = b.labels().get("le");
            bounds.add(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le));
        }
        assertThat(bounds).as("bucket bounds, seconds").hasSizeGreaterThan(10).isSorted()
                .contains(Double.POSITIVE_INFINITY);
        assertThat(bounds.get(0)).isLessThanOrEqualTo(0.001);
        double largestFinite = bounds.get(bounds.size() - 2);
        assertThat(largestFinite).as("largest finite bucket: the definition's 1 min").isEqualTo(60.0);
        // Cumulative: 30 ms is below 0.05 s, 700 ms is not.
        assertThat(p.value("ticker_etl_partition_write_duration_seconds_bucket", "le", "+Inf")).isEqualTo(2.0);
        assertThat(buckets).filteredOn(b -> !b.labels().get("le").equals("+Inf")
                        && Double.parseDouble(b.labels().get("le")) >= 0.03
                        && Double.parseDouble(b.labels().get("le")) < 0.7)
                .isNotEmpty().allSatisfy(b -> assertThat(b.value()).isEqualTo(1.0));
    }

    @Test
    void gaugesCanBeSetUpAndDownAndKeepTheirLastValue() {
        observer.gauge(Metrics.STREAM_CONNECTED, 1);
        assertThat(scrape().value("ticker_etl_stream_connected")).isEqualTo(1.0);
        observer.gauge(Metrics.STREAM_CONNECTED, 0);
        observer.gauge(Metrics.OFFSET_LAG, 2.5);
        System.gc(); // the gauge's state must not be only weakly held

        PrometheusText p = scrape();
        assertThat(p.value("ticker_etl_stream_connected")).isEqualTo(0.0);
        assertThat(p.value("ticker_etl_offset_lag_seconds")).isEqualTo(2.5);
    }

    @Test
    void distributionsCarryTheirBaseUnitAndReportCountSumAndMax() {
        observer.record(Metrics.PARTITION_WRITE_BYTES, 1000);
        observer.record(Metrics.PARTITION_WRITE_BYTES, 3000);

        PrometheusText p = scrape();
        assertThat(p.value("ticker_etl_partition_write_bytes_count")).isEqualTo(2.0);
        assertThat(p.value("ticker_etl_partition_write_bytes_sum")).isEqualTo(4000.0);
        assertThat(p.value("ticker_etl_partition_write_bytes_max")).isEqualTo(3000.0);
    }

    @Test
    void tickersOutsideTheConfiguredSetShareOneSeriesCountersAddingUpGaugesShowingTheWorst() {
        observer.count(Metrics.BARS_FETCHED, 5, Metrics.TICKER, "AAPL");
        observer.count(Metrics.BARS_FETCHED, 7, Metrics.TICKER, "MSFT");
        observer.count(Metrics.BARS_FETCHED, 11, Metrics.TICKER, "NVDA");
        observer.gauge(Metrics.LAST_BAR_AGE, 60, Metrics.TICKER, "MSFT");
        observer.gauge(Metrics.LAST_BAR_AGE, 900, Metrics.TICKER, "NVDA");
        observer.gauge(Metrics.LAST_BAR_AGE, 30, Metrics.TICKER, "AAPL");
        observer.gauge(Metrics.LAST_BAR_AGE, 120, Metrics.TICKER, "NVDA"); // NVDA caught up: MSFT is now worst

        PrometheusText p = scrape();
        assertThat(p.find("ticker_etl_bars_fetched_total")).extracting(s -> s.labels().get("ticker"))
                .containsExactlyInAnyOrder("AAPL", "other");
        assertThat(p.value("ticker_etl_bars_fetched_total", "ticker", "other")).isEqualTo(18.0);
        assertThat(p.value("ticker_etl_last_bar_age_seconds", "ticker", "AAPL")).isEqualTo(30.0);
        assertThat(p.value("ticker_etl_last_bar_age_seconds", "ticker", "other")).isEqualTo(120.0);
    }

    @Test
    void withoutConfiguredTickersEveryTickerIsOther() {
        MicrometerObserver plain = MicrometerObserver.of(registry);
        plain.count(Metrics.BARS_WRITTEN, 3, Metrics.TICKER, "AAPL");

        assertThat(scrape().find("ticker_etl_bars_written_total")).extracting(s -> s.labels().get("ticker"))
                .containsExactly("other");
    }

    @Test
    void everyMetricOfTheVocabularyIsScrapedUnderTheNameItsDocumentationPromises() {
        for (Metrics.Definition d : Metrics.all()) {
            String[] tags = d.tags().stream().flatMap(k -> java.util.stream.Stream.of(k, "x")).toArray(String[]::new);
            switch (d.kind()) {
                case COUNTER -> observer.count(d.name(), 1, tags);
                case GAUGE -> observer.gauge(d.name(), 1, tags);
                case TIMER -> observer.time(d.name(), Duration.ofMillis(5), tags);
                case DISTRIBUTION -> observer.record(d.name(), 5, tags);
            }
        }
        PrometheusText p = scrape();
        for (Metrics.Definition d : Metrics.all()) {
            String scraped = switch (d.kind()) {
                case COUNTER -> d.name() + "_total";
                case GAUGE -> d.name();
                case TIMER -> d.name() + "_seconds_count";
                case DISTRIBUTION -> d.name() + "_count";
            };
            assertThat(p.find(scraped)).as("%s scraped as %s", d.name(), scraped).hasSize(1);
            assertThat(p.find(scraped).get(0).labels().keySet()).as("labels of %s", scraped)
                    .containsExactlyInAnyOrderElementsOf(d.tags());
            assertThat(d.name()).startsWith("ticker_etl_");
            if (d.kind() == Metrics.Kind.TIMER) {
                assertThat(p.find(d.name() + "_seconds_bucket")).as("histogram of %s", d.name()).isNotEmpty();
            }
        }
    }

    @Test
    void tagsThatAreNotKeyValuePairsAreRefusedNamingTheMetric() {
        assertThatThrownBy(() -> observer.count(Metrics.RUNS, 1, Metrics.STATUS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ticker_etl_runs");
    }
}
