package dev.tickeretl.cli;

import dev.tickeretl.metrics.MetricsServer;
import dev.tickeretl.metrics.MicrometerObserver;
import dev.tickeretl.metrics.PrometheusTextfile;
import dev.tickeretl.metrics.ReadinessCheck;
import dev.tickeretl.spi.Observer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * Metrics options, a mixin for every command that runs the pipeline ({@code ingest}, later {@code stream}):
 * {@code /metrics}, {@code /health} and {@code /ready} on a port, and a node_exporter textfile.
 */
final class MonitoringOptions {

    /** Tickers keep their own {@code ticker} tag up to this many, by default; beyond, they are "other". */
    static final int DEFAULT_TICKER_TAGS = 50;
    /** How often a long run rewrites {@code --metrics-file}. */
    static final Duration FILE_INTERVAL = Duration.ofSeconds(15);

    @Option(names = "--metrics-port", paramLabel = "N",
            description = "Serve /metrics (Prometheus text), /health and /ready on this port while the command "
                    + "runs (0: any free port, printed).")
    Integer port;

    @Option(names = "--metrics-host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address for --metrics-port (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    String host;

    @Option(names = "--metrics-file", paramLabel = "FILE.prom",
            description = "Write the metrics as a node_exporter textfile, atomically: every 15 s while the run goes"
                    + " on and at its end (the previous run's file stays until then).")
    Path file;

    @Option(names = "--metrics-tickers", paramLabel = "A,B,..", split = ",",
            description = "Tickers whose metrics keep a ticker label; the others are summed as ticker=\"other\" "
                    + "(default: the run's tickers when there are at most " + DEFAULT_TICKER_TAGS + ", else none).")
    List<String> tickers;

    /**
     * Starts what was asked for; {@link Monitoring#observer()} is {@link Observer#NONE} when nothing was.
     *
     * @throws IllegalArgumentException for a bad option (named)
     * @throws java.io.UncheckedIOException when the port cannot be bound or the file cannot be written
     */
    Monitoring start(List<String> runTickers, ReadinessCheck readiness) {
        if (port == null && file == null) {
            return new Monitoring(Observer.NONE, null, null);
        }
        List<String> tagged = tickers != null ? tickers.stream().map(t -> t.strip().toUpperCase(Locale.ROOT))
                .filter(t -> !t.isEmpty()).toList()
                : runTickers.size() <= DEFAULT_TICKER_TAGS ? runTickers : List.of();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Observer observer = MicrometerObserver.builder(registry).tickers(tagged).build();
        MetricsServer server = null;
        PrometheusTextfile textfile = null;
        try {
            if (port != null) {
                server = MetricsServer.builder(registry).host(host).port(port).readiness(readiness).start();
            }
            if (file != null) {
                textfile = PrometheusTextfile.every(registry, file, FILE_INTERVAL);
            }
        } catch (RuntimeException e) {
            if (server != null) {
                server.close();
            }
            throw e;
        }
        return new Monitoring(observer, server, textfile);
    }

    /** What runs for one command; closing it writes the textfile a last time and stops the server. */
    static final class Monitoring implements AutoCloseable {
        private final Observer observer;
        private final MetricsServer server;
        private final PrometheusTextfile textfile;
        private volatile boolean ran;

        Monitoring(Observer observer, MetricsServer server, PrometheusTextfile textfile) {
            this.observer = observer;
            this.server = server;
            this.textfile = textfile;
        }

        Observer observer() {
            return observer;
        }

        /** {@code http://host:port/metrics}, or null without {@code --metrics-port}. */
        URI metricsUri() {
            return server == null ? null : server.uri().resolve("/metrics");
        }

        /** The command ran a pipeline: its metrics are worth writing, even if it failed later. */
        void ran() {
            ran = true;
        }

        /**
         * Writes the textfile's final version (only if a pipeline ran: a usage error must not replace the previous
         * run's file), then stops serving.
         *
         * @throws java.io.UncheckedIOException when the final textfile cannot be written
         */
        @Override
        public void close() {
            try {
                if (textfile != null && ran) {
                    textfile.close();
                } else if (textfile != null) {
                    textfile.cancel();
                }
            } finally {
                if (server != null) {
                    server.close();
                }
            }
        }
    }
}
