package dev.tickeretl.kafka;

import dev.tickeretl.Bar;
import dev.tickeretl.TickerEtlException;
import dev.tickeretl.spi.Metrics;
import dev.tickeretl.spi.Observer;
import dev.tickeretl.spi.Sink;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes bars to one topic and returns only when the brokers acknowledged every one of them (acks=all,
 * idempotent producer). Key {@code TICKER|timespan|start_ms} (plus {@code |unadjusted} for unadjusted bars), value
 * the data-contract JSON line, partition chosen from the ticker alone, so one ticker's bars keep their order and a
 * compacted topic keeps the last revision of each bar.
 *
 * <p>While the broker is failing, only one call at a time tries it; the others fail at once, so a batch of
 * hundreds of partitions does not wait out the delivery timeout once per partition (the pipeline keeps what fails
 * in its outbox and offers it again).
 */
final class KafkaSink implements Sink {

    static final String RECORDS_SENT = Metrics.KAFKA_RECORDS_SENT;
    static final String ERRORS = Metrics.KAFKA_ERRORS;
    static final String SEND_DURATION = Metrics.KAFKA_SEND_DURATION;
    static final String AVAILABLE = Metrics.KAFKA_AVAILABLE;

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSink.class);

    private final String name;
    private final KafkaSinkSettings settings;
    private final Producer<String, String> producer;
    private final Clock clock;
    private final Observer observer;
    private final List<Header> runHeaders;
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile String failure;

    KafkaSink(String name, KafkaSinkSettings settings, Producer<String, String> producer, Clock clock,
              Observer observer, String runId, String sourceName) {
        this.name = name;
        this.settings = settings;
        this.producer = producer;
        this.clock = clock;
        this.observer = observer;
        List<Header> headers = new ArrayList<>();
        if (sourceName != null) {
            headers.add(header("source", sourceName));
        }
        if (runId != null) {
            headers.add(header("run_id", runId));
        }
        this.runHeaders = List.copyOf(headers);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void publish(List<Bar> bars) {
        if (bars.isEmpty()) {
            return;
        }
        String lastFailure = failure;
        boolean probe = lastFailure != null;
        if (probe && !probing.compareAndSet(false, true)) {
            throw new TickerEtlException("kafka sink " + name + ": unavailable (" + lastFailure + ")");
        }
        long started = System.nanoTime();
        try {
            send(bars);
            observer.count(RECORDS_SENT, bars.size(), Metrics.SINK, name);
            observer.time(SEND_DURATION, Duration.ofNanos(System.nanoTime() - started), Metrics.SINK, name);
            if (probe) {
                failure = null;
                observer.gauge(AVAILABLE, 1, Metrics.SINK, name);
                LOG.info("kafka sink {}: the broker acknowledges again", name);
            }
        } catch (RuntimeException e) {
            String reason = describe(e);
            failure = reason;
            observer.count(ERRORS, 1, Metrics.SINK, name);
            observer.gauge(AVAILABLE, 0, Metrics.SINK, name);
            throw new TickerEtlException("kafka sink " + name + ": " + reason, e);
        } finally {
            if (probe) {
                probing.set(false);
            }
        }
    }

    private void send(List<Bar> bars) {
        int partitions = producer.partitionsFor(settings.topic()).size();
        String ingestedAt = clock.instant().toString();
        List<Future<RecordMetadata>> acks = new ArrayList<>(bars.size());
        for (Bar bar : bars) {
            List<Header> headers = new ArrayList<>(runHeaders.size() + 2);
            headers.add(header("schema_version", Integer.toString(bar.schemaVersion())));
            headers.addAll(runHeaders);
            headers.add(header("ingested_at", ingestedAt));
            acks.add(producer.send(new ProducerRecord<>(settings.topic(), partition(bar.ticker(), partitions), null,
                    key(bar), bar.toJson(), headers)));
        }
        // Sends everything lingering now rather than after linger.ms: the caller waits for the acknowledgements.
        producer.flush();
        long bound = settings.deliveryTimeoutMs() + settings.maxBlockMs();
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get(bound, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TickerEtlException("interrupted while waiting for acknowledgements", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : new TickerEtlException(
                        String.valueOf(e.getCause()), e.getCause());
            } catch (java.util.concurrent.TimeoutException e) {
                throw new TickerEtlException("no acknowledgement within " + bound + " ms", e);
            }
        }
    }

    /** {@code TICKER|timespan|start_ms}, with {@code |unadjusted} appended for unadjusted bars. */
    static String key(Bar bar) {
        String key = bar.ticker() + "|" + bar.timespan().wireName() + "|" + bar.startMs();
        return bar.adjusted() ? key : key + "|unadjusted";
    }

    /**
     * The partition of every record of {@code ticker}: the one Kafka's default partitioner gives the key
     * {@code ticker} (murmur2 of its UTF-8 bytes), so other producers keyed by ticker agree.
     */
    static int partition(String ticker, int partitions) {
        return Utils.toPositive(Utils.murmur2(ticker.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private static Header header(String key, String value) {
        return new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** One line: the Kafka error's own words, and for a time-out the settings that bound it. */
    private String describe(RuntimeException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof org.apache.kafka.common.errors.TimeoutException) {
            message = message + " (max.block.ms=" + settings.maxBlockMs() + ", delivery.timeout.ms="
                    + settings.deliveryTimeoutMs() + ")";
        }
        return message.replace('\n', ' ');
    }

    @Override
    public void close() {
        // Anything still unacknowledged was reported as failed to the pipeline, which keeps it in its outbox.
        producer.close(Duration.ofSeconds(1));
    }
}
