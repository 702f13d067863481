package dev.tickeretl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.RunHandle;
import dev.tickeretl.TickerEtl;
import dev.tickeretl.Timespan;
import dev.tickeretl.metrics.MicrometerObserver;
import dev.tickeretl.metrics.PrometheusText;
import dev.tickeretl.spi.Metrics;
import dev.tickeretl.spi.Observer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live stream (the simulator's WebSocket, ten market minutes a second) through the whole pipeline: everything the
 * Polygon stream and the pipeline measure is in the one vocabulary, with its kind and tags, and reaches Prometheus.
 */
class StreamMetricsTest {

    @TempDir
    Path dir;

    record Call(String kind, String name, List<String> tagKeys) {
    }

    @Test
    @Timeout(120)
    void everyMeasurementOfALiveStreamIsDefinedInTheVocabularyAndScraped() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Observer micrometer = MicrometerObserver.builder(registry).tickers(List.of("AAPL", "MSFT")).build();
        List<Call> calls = new CopyOnWriteArrayList<>();
        Observer recording = new Observer() {
            @Override
            public void count(String name, long amount, String... tags) {
                calls.add(new Call("COUNTER", name, keys(tags)));
                micrometer.count(name, amount, tags);
            }

            @Override
            public void gauge(String name, double value, String... tags) {
                calls.add(new Call("GAUGE", name, keys(tags)));
                micrometer.gauge(name, value, tags);
            }

            @Override
            public void time(String name, Duration duration, String... tags) {
                calls.add(new Call("TIMER", name, keys(tags)));
                micrometer.time(name, duration, tags);
            }

            @Override
            public void record(String name, double amount, String... tags) {
                calls.add(new Call("DISTRIBUTION", name, keys(tags)));
                micrometer.record(name, amount, tags);
            }
        };

        RunHandle handle = TickerEtl.builder().streaming().timespan(Timespan.MINUTE).tickers("AAPL", "MSFT")
                .source("simulator", Map.of("speed", "600")).store(dir.resolve("data").toUri())
                .flushInterval(Duration.ofMillis(200)).shutdownHook(false).observer(recording).build().start();
        try {
            long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() - giveUp < 0 && !(seen(calls, Metrics.STREAM_BARS_RECEIVED)
                    && seen(calls, Metrics.RECEIVE_TO_DURABLE) && seen(calls, Metrics.WATERMARK_LAG))) {
                Thread.sleep(100);
            }
        } finally {
            handle.stop();
            handle.result();
        }

        assertThat(calls).extracting(Call::name).contains(Metrics.STREAM_CONNECTED, Metrics.STREAM_BARS_RECEIVED,
                Metrics.STREAM_TIME, Metrics.WATERMARK_LAG, Metrics.RECEIVE_TO_DURABLE, Metrics.BARS_FETCHED,
                Metrics.BARS_WRITTEN, Metrics.OFFSET_LAG, Metrics.RUNS);
        for (Call call : calls) {
            Metrics.Definition d = Metrics.definition(call.name()).orElse(null);
            assertThat(d).as("%s is in dev.tickeretl.spi.Metrics", call.name()).isNotNull();
            assertThat(call.kind()).as("kind of %s", call.name()).isEqualTo(d.kind().name());
            assertThat(call.tagKeys()).as("tag keys of %s", call.name()).isEqualTo(d.tags());
        }
        PrometheusText scraped = PrometheusText.parse(registry.scrape());
        assertThat(scraped.find("ticker_etl_stream_bars_received_total")).hasSize(1);
        assertThat(scraped.find("ticker_etl_receive_to_durable_seconds_bucket")).isNotEmpty();
        assertThat(scraped.find("ticker_etl_bars_written_total", "ticker", "AAPL")).hasSize(1);
    }

    private static boolean seen(List<Call> calls, String name) {
        return calls.stream().anyMatch(c -> c.name().equals(name));
    }

    private static List<String> keys(String... tags) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < tags.length; i += 2) {
            keys.add(tags[i]);
        }
        return keys;
    }
}
