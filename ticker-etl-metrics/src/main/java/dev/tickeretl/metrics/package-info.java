/**
 * Monitoring for ticker-etl: {@link dev.tickeretl.metrics.MicrometerObserver} binds the pipeline's
 * {@link dev.tickeretl.spi.Observer} (and so the vocabulary in {@link dev.tickeretl.spi.Metrics}) to a Micrometer
 * registry; {@link dev.tickeretl.metrics.MetricsServer} serves {@code /metrics}, {@code /health} and
 * {@code /ready}; {@link dev.tickeretl.metrics.PrometheusTextfile} writes a node_exporter textfile.
 */
package dev.tickeretl.metrics;
