/**
 * The Kafka fan-out sink: every bar a run newly stores or changes goes to a topic, after it is durable in the
 * store, keyed {@code TICKER|timespan|start_ms} (plus {@code |unadjusted} for unadjusted bars), valued with its
 * data-contract JSON line, in one partition per ticker. Add this artifact to the class path and name the sink:
 *
 * <pre>
 * TickerEtl.builder()...sink(URI.create("kafka://127.0.0.1:9092/bars"))
 * </pre>
 *
 * Options and checks: see {@link dev.tickeretl.kafka.KafkaSinkProvider}.
 */
package dev.tickeretl.kafka;
