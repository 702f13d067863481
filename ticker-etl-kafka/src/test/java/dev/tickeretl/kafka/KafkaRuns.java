package dev.tickeretl.kafka;

import dev.tickeretl.Bar;
import dev.tickeretl.Store;
import dev.tickeretl.TickerEtl;
import dev.tickeretl.simulator.PolygonSimulator;
import java.net.URI;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Runs from the Polygon simulator (through the real Polygon source) into a file store with a Kafka sink. */
final class KafkaRuns {

    private KafkaRuns() {
    }

    static TickerEtl.Builder ingest(PolygonSimulator simulator, Path store, List<String> tickers, LocalDate from,
                                    LocalDate to) {
        return TickerEtl.builder().tickers(tickers).from(from).to(to)
                .source("polygon", Map.of("base-url", simulator.baseUrl(), "require-key", "false"))
                .store(store.toUri()).shutdownHook(false);
    }

    static URI sink(String bootstrap, String topic) {
        return URI.create("kafka://" + bootstrap + "/" + topic);
    }

    /** Every stored bar of {@code tickers} in [from, to] (and any adjusted flag), by its Kafka key. */
    static Map<String, String> stored(Path store, List<String> tickers, boolean adjusted, LocalDate from,
                                      LocalDate to) {
        Map<String, String> byKey = new LinkedHashMap<>();
        try (Store s = Store.open(store.toUri())) {
            for (String t : tickers) {
                for (Bar b : s.bars(t, dev.tickeretl.Timespan.DAY, adjusted, from, to)) {
                    byKey.put(KafkaSink.key(b), b.toJson());
                }
            }
        }
        return byKey;
    }

    /** The last value of every key: what a compacted topic keeps. */
    static Map<String, String> lastValues(List<ConsumerRecord<String, String>> records) {
        Map<String, String> last = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            last.put(r.key(), r.value());
        }
        return last;
    }

    static String header(ConsumerRecord<String, String> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Counts what the pipeline and the sink report, by metric name. */
    static class Counters implements dev.tickeretl.spi.Observer {
        final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
        final Map<String, AtomicLong> timings = new ConcurrentHashMap<>();

        @Override
        public void count(String name, long amount, String... tags) {
            counts.computeIfAbsent(name, k -> new AtomicLong()).addAndGet(amount);
        }

        @Override
        public void time(String name, java.time.Duration duration, String... tags) {
            timings.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
        }

        long count(String name) {
            AtomicLong n = counts.get(name);
            return n == null ? 0 : n.get();
        }

        long timings(String name) {
            AtomicLong n = timings.get(name);
            return n == null ? 0 : n.get();
        }
    }
}
