package dev.tickeretl.kafka;

import dev.tickeretl.TickerEtlException;
import dev.tickeretl.spi.ProviderContext;
import dev.tickeretl.spi.Sink;
import dev.tickeretl.spi.SinkProvider;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens Kafka fan-out sinks: {@code kafka://HOST:PORT[,HOST:PORT]/TOPIC} (port 9092 when left out). Found by
 * {@link java.util.ServiceLoader} for the scheme {@code kafka}.
 *
 * <p>Options: {@code kafka.<setting>} for any Kafka producer setting (e.g. {@code kafka.compression.type=lz4},
 * {@code kafka.linger.ms=5}, {@code kafka.security.protocol=SASL_SSL}); {@code kafka-properties=PATH}, a
 * properties file of producer settings (the options win over it); {@code check-topic=false} to open without asking
 * the broker. {@code enable.idempotence=true} and {@code acks=all} are always set, and a different value is an
 * error; so is setting the brokers, serializers, partitioner or a transactional id.
 *
 * <p>Opening asks the broker to describe the topic, waiting at most {@code max.block.ms} (5 s unless set): an
 * unreachable broker or a missing topic is then one clear error, before the run starts. Topics are never created.
 */
public final class KafkaSinkProvider implements SinkProvider {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSinkProvider.class);

    @Override
    public String scheme() {
        return "kafka";
    }

    /**
     * @throws IllegalArgumentException for a malformed URI, an unknown or conflicting option, a broker address that
     *                                  does not resolve
     * @throws TickerEtlException       when no broker answers in time or the topic does not exist
     */
    @Override
    public Sink open(URI uri, ProviderContext context) {
        String clientId = context.runId() == null ? "ticker-etl" : "ticker-etl-" + context.runId();
        KafkaSinkSettings settings = KafkaSinkSettings.parse(uri, context.options(), clientId);
        String name = uri.toString();
        KafkaProducer<String, String> producer;
        try {
            // Made first: it checks every setting and that the addresses resolve, without waiting for a broker.
            producer = new KafkaProducer<>(settings.producer());
        } catch (RuntimeException e) {
            throw configError(name, e);
        }
        if (settings.checkTopic()) {
            try {
                checkTopic(name, settings);
            } catch (RuntimeException e) {
                producer.close(Duration.ZERO);
                throw e;
            }
        }
        return new KafkaSink(name, settings, producer, context.clock(), context.observer(), context.runId(),
                context.sourceName());
    }

    private static void checkTopic(String name, KafkaSinkSettings settings) {
        Map<String, Object> config = new HashMap<>(settings.admin(AdminClientConfig.configNames()));
        int wait = (int) Math.min(Integer.MAX_VALUE, settings.maxBlockMs());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, wait);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, wait);
        Admin admin;
        try {
            admin = Admin.create(config);
        } catch (RuntimeException e) {
            throw configError(name, e);
        }
        try {
            TopicDescription topic = admin.describeTopics(List.of(settings.topic())).allTopicNames()
                    .get(wait + 2_000L, TimeUnit.MILLISECONDS).get(settings.topic());
            LOG.info("kafka sink {}: topic {} has {} partitions", name, settings.topic(), topic.partitions().size());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UnknownTopicOrPartitionException) {
                throw new TickerEtlException("kafka sink " + name + ": topic " + settings.topic() + " does not exist "
                        + "at " + settings.bootstrap() + " (it is not created for you): create it, e.g. "
                        + "kafka-topics.sh --bootstrap-server " + settings.bootstrap() + " --create --topic " + settings.topic()
                        + " --partitions 12 --config cleanup.policy=compact");
            }
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw unreachable(name, settings);
            }
            throw new TickerEtlException("kafka sink " + name + ": cannot describe topic " + settings.topic() + " at "
                    + settings.bootstrap() + ": " + oneLine(cause), cause);
        } catch (java.util.concurrent.TimeoutException e) {
            throw unreachable(name, settings);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TickerEtlException("kafka sink " + name + ": interrupted while checking the topic", e);
        } finally {
            admin.close(Duration.ofSeconds(2));
        }
    }

    private static TickerEtlException unreachable(String name, KafkaSinkSettings settings) {
        return new TickerEtlException("kafka sink " + name + ": no Kafka broker answered at " + settings.bootstrap()
                + " within " + settings.maxBlockMs() + " ms (max.block.ms); is the address right and the broker up?");
    }

    /** Kafka reports bad settings (a value of the wrong type, an address that does not resolve) as config errors. */
    private static RuntimeException configError(String name, RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigException) {
                return new IllegalArgumentException("kafka sink " + name + ": " + oneLine(t), e);
            }
        }
        return new TickerEtlException("kafka sink " + name + ": " + oneLine(e), e);
    }

    private static String oneLine(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return message.replace('\n', ' ');
    }
}
