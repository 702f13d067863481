package dev.tickeretl.kafka;

import static dev.tickeretl.kafka.KafkaRuns.ingest;
import static dev.tickeretl.kafka.KafkaRuns.sink;
import static dev.tickeretl.kafka.KafkaRuns.stored;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.Bar;
import dev.tickeretl.RunRecord;
import dev.tickeretl.RunStatus;
import dev.tickeretl.testkit.kafka.KafkaBroker;
import dev.tickeretl.simulator.PolygonSimulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker stopped in the middle of a run: nothing stored is lost for the topic, nothing is published that is not
 * stored, and each ticker's bars still arrive in order, whether the broker comes back during the run or only for
 * the next one.
 */
@Timeout(180)
class KafkaOutageTest {

    private static final LocalDate FROM = LocalDate.of(2024, 1, 2);
    private static final LocalDate TO = LocalDate.of(2024, 3, 28);
    private static final LocalDate LATER = LocalDate.of(2024, 4, 30);
    private static final LocalDate LOOKBACK = LocalDate.of(2023, 12, 29);
    private static final int PARTITIONS = 3;
    /** Short bounds, so that each attempt against the stopped broker gives up within about 1 s. */
    private static final Map<String, String> QUICK = Map.of("kafka.max.block.ms", "1000",
            "kafka.request.timeout.ms", "500", "kafka.delivery.timeout.ms", "1000");

    @TempDir
    static Path brokerDir;
    static KafkaBroker broker;
    /** Answers each request after 150 ms, so that a one-at-a-time run of 12 tickers lasts about 2 s. */
    static PolygonSimulator simulator;

    @TempDir
    Path store;

    @BeforeAll
    static void start() {
        broker = KafkaBroker.start(brokerDir);
        simulator = PolygonSimulator.builder().latency(Duration.ofMillis(150)).start();
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
        if (simulator != null) {
            simulator.close();
        }
    }

    @AfterEach
    void brokerUp() {
        if (!broker.isRunning()) {
            broker.restart();
        }
    }

    private static List<String> tickers() {
        return simulator.universe().stream().limit(12).toList();
    }

    private RunRecord run(String topic, LocalDate to, KafkaRuns.Counters observer) {
        return ingest(simulator, store, tickers(), FROM, to).source("polygon", Map.of("base-url",
                        simulator.baseUrl(), "require-key", "false", "concurrency", "1"))
                .sink(sink(broker.bootstrap(), topic), QUICK).observer(observer).build().run();
    }

    /**
     * Stops the broker right after the first acknowledged publish, on the thread that made it; with
     * {@code restartOnFirstError}, starts it again right after the first publish that failed (on that thread, so
     * before the run can end).
     */
    private static KafkaRuns.Counters stopBrokerAfterFirstPublish(boolean restartOnFirstError) {
        AtomicBoolean stopped = new AtomicBoolean();
        AtomicBoolean restarted = new AtomicBoolean();
        return new KafkaRuns.Counters() {
            @Override
            public void count(String name, long amount, String... tags) {
                super.count(name, amount, tags);
                if (name.equals(KafkaSink.RECORDS_SENT) && stopped.compareAndSet(false, true)) {
                    broker.stop();
                }
                if (name.equals(KafkaSink.ERRORS) && restartOnFirstError && restarted.compareAndSet(false, true)) {
                    broker.restart();
                }
            }
        };
    }

    private List<String> outbox() throws IOException {
        Path dir = store.resolve("outbox");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            // Dot-files are the store's lock and temporary files, not segments.
            return files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
                    .map(Path::toString).toList();
        }
    }

    @Test
    void aRunWhoseBrokerStaysDownEndsPartialAndTheNextRunDeliversTheOutboxFirst() throws IOException {
        String topic = "outage-until-next-run";
        broker.createTopic(topic, PARTITIONS, Map.of("cleanup.policy", "compact"));
        KafkaRuns.Counters during = stopBrokerAfterFirstPublish(false);

        RunRecord outage = run(topic, TO, during);
        List<String> waiting = outbox();
        broker.restart();
        RunRecord next = run(topic, LATER, new KafkaRuns.Counters());

        RunRecord.SinkOutcome lost = outage.sinks().get(sink(broker.bootstrap(), topic).toString());
        assertThat(outage.status()).isEqualTo(RunStatus.PARTIAL);
        assertThat(outage.error()).contains("wait in the store's outbox for sink kafka://");
        assertThat(outage.totals().failedTickers()).as("storing went on").isZero();
        assertThat(lost.delivered()).as("before the stop").isPositive();
        assertThat(lost.pending()).isPositive().isEqualTo(lost.queued());
        assertThat(during.count(KafkaSink.ERRORS)).isPositive();
        assertThat(waiting).isNotEmpty();

        assertThat(next.status()).as(next.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(next.sinks().values().iterator().next().pending()).isZero();
        assertThat(outbox()).isEmpty();
        assertTopicHoldsTheStore(topic, LATER);
    }

    @Test
    void aBrokerBackWithinTheRunGetsEverythingBeforeTheRunEnds() throws IOException {
        String topic = "outage-within-run";
        broker.createTopic(topic, PARTITIONS, Map.of("cleanup.policy", "compact"));
        KafkaRuns.Counters during = stopBrokerAfterFirstPublish(true);

        RunRecord run = run(topic, TO, during);

        assertThat(run.status()).as(run.error()).isEqualTo(RunStatus.SUCCEEDED);
        RunRecord.SinkOutcome outcome = run.sinks().values().iterator().next();
        assertThat(outcome.queued()).as("some bars waited").isPositive();
        assertThat(outcome.pending()).isZero();
        assertThat(during.count(KafkaSink.ERRORS)).isPositive();
        assertThat(outbox()).isEmpty();
        assertTopicHoldsTheStore(topic, TO);
    }

    /**
     * Every stored key is in the topic and no other; the last record of each key is the stored bar (what compaction
     * keeps); each ticker is in one partition; and its keys first appear in time order (a re-sent bar may repeat
     * one, never jump ahead of an older one).
     */
    private void assertTopicHoldsTheStore(String topic, LocalDate to) {
        Map<String, String> stored = stored(store, tickers(), true, LOOKBACK, to);
        List<ConsumerRecord<String, String>> records = broker.records(topic);

        assertThat(records.stream().map(ConsumerRecord::key).collect(Collectors.toSet()))
                .isEqualTo(stored.keySet());
        assertThat(KafkaRuns.lastValues(records)).isEqualTo(stored);
        Map<String, Set<Integer>> partitions = new HashMap<>();
        Map<String, List<Long>> firstSeen = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (ConsumerRecord<String, String> r : records) {
            Bar bar = Bar.parse(r.value());
            partitions.computeIfAbsent(bar.ticker(), t -> new HashSet<>()).add(r.partition());
            if (seen.add(r.key())) {
                firstSeen.computeIfAbsent(bar.ticker(), t -> new ArrayList<>()).add(bar.startMs());
            }
        }
        partitions.forEach((ticker, p) -> assertThat(p).as(ticker).hasSize(1));
        firstSeen.forEach((ticker, starts) -> assertThat(starts).as(ticker).isSorted());
    }

}
