package dev.tickeretl.kafka;

import static dev.tickeretl.kafka.KafkaRuns.header;
import static dev.tickeretl.kafka.KafkaRuns.ingest;
import static dev.tickeretl.kafka.KafkaRuns.sink;
import static dev.tickeretl.kafka.KafkaRuns.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickeretl.Bar;
import dev.tickeretl.RunRecord;
import dev.tickeretl.RunStatus;
import dev.tickeretl.TickerEtlException;
import dev.tickeretl.Tickers;
import dev.tickeretl.testkit.kafka.KafkaBroker;
import dev.tickeretl.simulator.PolygonSimulator;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka sink against a real broker: what is stored is what is on the topic, keyed, ordered, once. */
@Timeout(120)
class KafkaSinkTest {

    private static final LocalDate FROM = LocalDate.of(2024, 1, 2);
    private static final LocalDate TO = LocalDate.of(2024, 6, 28);
    private static final LocalDate LOOKBACK = LocalDate.of(2023, 12, 29);
    private static final int PARTITIONS = 3;

    @TempDir
    static Path brokerDir;
    static KafkaBroker broker;
    static PolygonSimulator simulator;

    @TempDir
    Path store;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start(brokerDir);
        simulator = PolygonSimulator.builder().start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
        if (simulator != null) {
            simulator.close();
        }
    }

    private static List<String> tickers() {
        List<String> tickers = new ArrayList<>(Tickers.DEFAULTS);
        tickers.addAll(simulator.universe().stream().filter(t -> !Tickers.DEFAULTS.contains(t)).limit(5).toList());
        return tickers;
    }

    private static String topic(String name) {
        broker.createTopic(name, PARTITIONS, Map.of("cleanup.policy", "compact"));
        return name;
    }

    @Test
    void whatIsPublishedIsExactlyWhatIsStoredOnceAndAnIdenticalRerunPublishesNothing() {
        String topic = topic("bars-equal");
        List<String> tickers = tickers();
        KafkaRuns.Counters counters = new KafkaRuns.Counters();

        RunRecord first = ingest(simulator, store, tickers, FROM, TO).sink(sink(broker.bootstrap(), topic))
                .observer(counters).build().run();
        List<ConsumerRecord<String, String>> afterFirst = broker.records(topic);
        RunRecord second = ingest(simulator, store, tickers, FROM, TO).sink(sink(broker.bootstrap(), topic))
                .build().run();
        List<ConsumerRecord<String, String>> afterSecond = broker.records(topic);

        Map<String, String> stored = stored(store, tickers, true, LOOKBACK, TO);
        assertThat(first.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(stored).hasSize(tickers.size() * 125);
        assertThat(afterFirst).hasSize(stored.size());
        assertThat(afterFirst.stream().collect(Collectors.toMap(ConsumerRecord::key, ConsumerRecord::value)))
                .isEqualTo(stored);
        assertThat(counters.count(KafkaSink.RECORDS_SENT)).isEqualTo(stored.size());
        assertThat(counters.timings(KafkaSink.SEND_DURATION)).isEqualTo(tickers.size());
        assertThat(counters.count(KafkaSink.ERRORS)).isZero();
        assertThat(second.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(second.sinks().get(sink(broker.bootstrap(), topic).toString()).delivered()).isZero();
        assertThat(afterSecond).as("an identical re-run publishes 0 records").hasSameSizeAs(afterFirst);
    }

    @Test
    void eachTickerSitsInOnePartitionInTimeOrderWithDataContractValuesAndRunHeaders() {
        String topic = topic("bars-order");
        List<String> tickers = tickers();

        RunRecord run = ingest(simulator, store, tickers, FROM, TO).sink(sink(broker.bootstrap(), topic))
                .build().run();
        List<ConsumerRecord<String, String>> records = broker.records(topic);

        Map<String, Set<Integer>> partitionsOf = new HashMap<>();
        Map<String, List<Long>> startsOf = new HashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            Bar bar = Bar.parse(r.value());
            assertThat(r.key()).isEqualTo(bar.ticker() + "|day|" + bar.startMs());
            partitionsOf.computeIfAbsent(bar.ticker(), t -> new HashSet<>()).add(r.partition());
            startsOf.computeIfAbsent(bar.ticker(), t -> new ArrayList<>()).add(bar.startMs());
            assertThat(header(r, "schema_version")).isEqualTo("1");
            assertThat(header(r, "run_id")).isEqualTo(run.runId());
            assertThat(header(r, "source")).isEqualTo("polygon");
            assertThat(Instant.parse(header(r, "ingested_at"))).isBetween(run.startedAt(), run.finishedAt());
        }
        assertThat(partitionsOf.keySet()).containsExactlyInAnyOrderElementsOf(tickers);
        partitionsOf.forEach((ticker, partitions) -> assertThat(partitions).as(ticker)
                .containsExactly(KafkaSink.partition(ticker, PARTITIONS)));
        assertThat(partitionsOf.values().stream().flatMap(Set::stream).distinct().count())
                .as("ten tickers spread over the partitions").isGreaterThan(1);
        startsOf.forEach((ticker, starts) -> assertThat(starts).as(ticker).isSorted().doesNotHaveDuplicates());
    }

    @Test
    void aCorrectedBarIsPublishedAgainAndTheLastRevisionOfEveryKeyIsTheStoredOne() {
        String topic = topic("bars-revision");
        List<String> tickers = List.of("AAPL", "MSFT");
        LocalDate corrected = LocalDate.of(2024, 3, 15);
        ingest(simulator, store, tickers, FROM, TO).sink(sink(broker.bootstrap(), topic)).build().run();

        simulator.override("AAPL", corrected, b -> b.withVolume(b.volume() + 1_000));
        RunRecord correction;
        try {
            correction = ingest(simulator, store, tickers, FROM, TO).sink(sink(broker.bootstrap(), topic))
                    .build().run();
        } finally {
            simulator.clearOverrides();
        }
        List<ConsumerRecord<String, String>> records = broker.records(topic);

        // The volume change re-tags the next session too (its prior_volume and maybe its phase).
        assertThat(correction.sinks().values().iterator().next().delivered()).isBetween(1L, 2L);
        assertThat(records).hasSize(stored(store, tickers, true, LOOKBACK, TO).size()
                + (int) correction.sinks().values().iterator().next().delivered());
        assertThat(KafkaRuns.lastValues(records)).isEqualTo(stored(store, tickers, true, LOOKBACK, TO));
    }

    @Test
    void unadjustedBarsCarryTheirDatasetInTheKeyAndShareTheTickersPartition() {
        String topic = topic("bars-datasets");
        List<String> tickers = List.of("NVDA");
        ingest(simulator, store, tickers, FROM, FROM.plusDays(7)).sink(sink(broker.bootstrap(), topic)).build().run();
        ingest(simulator, store, tickers, FROM, FROM.plusDays(7)).adjusted(false)
                .sink(sink(broker.bootstrap(), topic)).build().run();

        List<ConsumerRecord<String, String>> records = broker.records(topic);
        Map<String, String> expected = new HashMap<>(stored(store, tickers, true, LOOKBACK, TO));
        expected.putAll(stored(store, tickers, false, LOOKBACK, TO));

        assertThat(records.stream().collect(Collectors.toMap(ConsumerRecord::key, ConsumerRecord::value)))
                .isEqualTo(expected);
        assertThat(records).filteredOn(r -> r.key().endsWith("|unadjusted")).hasSize(expected.size() / 2)
                .allSatisfy(r -> assertThat(Bar.parse(r.value()).adjusted()).isFalse());
        assertThat(records).extracting(ConsumerRecord::partition).containsOnly(KafkaSink.partition("NVDA",
                PARTITIONS));
    }

    @Test
    void aMissingTopicIsOneClearErrorThatSaysHowToCreateIt() {
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> ingest(simulator, store, List.of("AAPL"), FROM, FROM)
                .sink(sink(broker.bootstrap(), "no-such-topic")).build().run())
                .isInstanceOf(TickerEtlException.class)
                .hasMessageContaining("topic no-such-topic does not exist at " + broker.bootstrap())
                .hasMessageContaining("kafka-topics.sh --bootstrap-server " + broker.bootstrap()
                        + " --create --topic no-such-topic")
                .hasMessageNotContaining("\n");
        assertThat(System.nanoTime() - t0).as("answered by the broker, not a time-out").isLessThan(5_000_000_000L);
        assertThat(store.resolve("runs")).as("no run was recorded").doesNotExist();
    }
}
