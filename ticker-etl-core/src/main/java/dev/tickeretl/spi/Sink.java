package dev.tickeretl.spi;

import dev.tickeretl.Bar;
import java.util.List;

/**
 * A fan-out destination that hears about every bar the pipeline newly stored or changed, after it is durable in
 * the store (a Kafka topic, a message bus). The store stays the source of truth; a sink keeps no state the pipeline
 * reads back. Sinks are chosen by URI scheme through their {@link SinkProvider}.
 */
public interface Sink extends AutoCloseable {

    /** Where this sink sends to, as the user named it (never with credentials). */
    String name();

    /**
     * Delivers {@code bars} (one partition's new or changed bars, in time order) and returns once the destination
     * has acknowledged them. Called from several threads at once for different partitions, never concurrently for
     * one partition.
     *
     * @throws dev.tickeretl.TickerEtlException when they could not be delivered; the pipeline keeps them and tries
     *                                          again later
     */
    void publish(List<Bar> bars);

    @Override
    void close();
}
