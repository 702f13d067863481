package dev.tickeretl.cli;

import dev.tickeretl.RunHandle;
import dev.tickeretl.RunRecord;
import dev.tickeretl.TickerEtl;
import dev.tickeretl.Tickers;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "stream", mixinStandardHelpOptions = true,
        description = {"Follow live minute bars over Polygon's WebSocket until stopped (Ctrl-C, SIGTERM or the end "
                + "of --duration): store them within about a second, repair what a disconnect lost from REST, keep a "
                + "per-ticker 'complete through' watermark, then flush, commit and exit 0.",
                "Without an API key it follows the offline simulator, replaying the latest session at 60x."},
        footerHeading = "%nExamples:%n",
        footer = {"  ticker-etl stream --tickers AAPL,MSFT --duration PT2M",
                "  POLYGON_API_KEY=... ticker-etl stream --tickers AAPL,MSFT,NVDA --store s3://bucket/prices",
                "  ticker-etl stream --tickers AAPL,MSFT --sink kafka://127.0.0.1:9092/minute-bars",
                "  ticker-etl stream --source polygon --base-url http://127.0.0.1:9000 --ws-url ws://127.0.0.1:9000/stocks"})
final class StreamCommand implements Callable<Integer> {

    @Option(names = "--tickers", paramLabel = "A,B,..", split = ",",
            description = "Ticker symbols (default: AAPL,MSFT,NVDA,AMZN,GOOGL).")
    List<String> tickers;

    @Mixin
    StoreOptions store;

    @Mixin
    SinkOptions sinks;

    @Mixin
    MonitoringOptions monitoring;

    @Mixin
    LogOptions log;

    @Option(names = "--source", paramLabel = "polygon|simulator",
            description = "Where bars come from (default: polygon when " + IngestCommand.KEY_VARIABLES
                    + " is set, else the offline simulator).")
    String source;

    @Option(names = "--base-url", paramLabel = "URL",
            description = "REST base URL for gap repair (default: https://api.massive.com).")
    String baseUrl;

    @Option(names = "--ws-url", paramLabel = "URL",
            description = "The stocks WebSocket (default: wss://socket.massive.com/stocks; with --feed delayed: "
                    + "wss://delayed.massive.com/stocks).")
    String wsUrl;

    @Option(names = "--feed", paramLabel = "realtime|delayed", description = "Which feed (default: realtime).")
    String feed;

    @Option(names = "--duration", paramLabel = "DURATION",
            description = "Stop after this long, ISO-8601 (e.g. PT30S); default: until Ctrl-C or SIGTERM.")
    String duration;

    @Option(names = "--status-every", paramLabel = "DURATION", defaultValue = "PT10S",
            description = "How often the status line is printed to standard error (default: ${DEFAULT-VALUE}).")
    String statusEvery;

    @Option(names = "--source-option", paramLabel = "KEY=VALUE",
            description = "Any other source option, repeatable (e.g. stream-timeout=PT20S; for the simulator "
                    + "speed=120 or market-start=2025-01-02T14:30:00Z).")
    List<String> extraSourceOptions;

    @Option(names = "--quiet", description = "Print nothing but errors; the exit code tells the outcome.")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** {@code /ready}: connected, and a bar arrived within this long (a quiet feed or a closed market is not ready). */
    static final Duration READY_WITHIN = Duration.ofMinutes(2);

    private static final Logger LOG = LoggerFactory.getLogger(StreamCommand.class);

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CliLog.format(log.format, IngestCommand.apiKeyOptions(extraSourceOptions));
        if (quiet) {
            CliLog.quiet();
        }
        Duration stopAfter = duration == null ? null : parse("duration", duration);
        Duration every = parse("status-every", statusEvery);
        String sourceName = source != null ? source.toLowerCase(Locale.ROOT) : IngestCommand.defaultSource();
        if (source == null && sourceName.equals("simulator") && !quiet) {
            IngestCommand.notice(err, IngestCommand.KEY_VARIABLES + " is not set: streaming from the offline "
                    + "simulator (the latest session replayed at 60x, synthetic data).");
        }
        Map<String, String> options = new LinkedHashMap<>();
        if (baseUrl != null) {
            options.put("base-url", baseUrl.strip());
        }
        if (wsUrl != null) {
            options.put("ws-url", wsUrl.strip());
        }
        if (feed != null) {
            options.put("feed", feed.strip());
        }
        if (extraSourceOptions != null) {
            for (String kv : extraSourceOptions) {
                int eq = kv.indexOf('=');
                if (eq < 1) {
                    throw new IllegalArgumentException("source-option: expected KEY=VALUE, got '" + kv + "'");
                }
                options.put(kv.substring(0, eq).strip(), kv.substring(eq + 1).strip());
            }
        }
        List<String> symbols = tickers == null ? Tickers.DEFAULTS : IngestCommand.normalise(tickers);
        StreamStatus[] status = new StreamStatus[1];
        MonitoringOptions.Monitoring metrics = monitoring.start(symbols, () -> status[0].readiness(READY_WITHIN));
        RunRecord run;
        try {
            status[0] = new StreamStatus(metrics.observer(), symbols.size());
            if (metrics.metricsUri() != null && !quiet) {
                IngestCommand.notice(err, "metrics at " + metrics.metricsUri() + " (also /health, /ready)");
            }
            TickerEtl.Builder builder = TickerEtl.builder().streaming().tickers(symbols).source(sourceName, options)
                    .store(store.uri(), store.options()).observer(status[0]);
            sinks.addTo(builder);
            TickerEtl etl = builder.build();
            RunHandle handle = etl.start();
            metrics.ran();
            Signals.stopOnSignal(handle);
            long deadline = stopAfter == null ? Long.MAX_VALUE : System.nanoTime() + stopAfter.toNanos();
            while (!handle.awaitTermination(Duration.ofMillis(Math.min(every.toMillis(), 250)))) {
                if (System.nanoTime() - deadline >= 0) {
                    handle.stop();
                    deadline = Long.MAX_VALUE;
                }
                if (!quiet && statusDue(every)) {
                    print(status[0], err);
                }
            }
            run = handle.result();
        } finally {
            IngestCommand.closeQuietly(metrics, err);
        }
        if (!quiet) {
            print(status[0], err);
            out.println(run);
        }
        return ExitCodes.of(run.status());
    }

    /** The status line: plain, or a log event when the log is JSON. */
    private static void print(StreamStatus status, PrintWriter err) {
        if (CliLog.json()) {
            LOG.atInfo().addKeyValue("event", "stream_status").log(status.line());
        } else {
            status.print(err);
        }
    }

    private long nextStatus = System.nanoTime();

    private boolean statusDue(Duration every) {
        long now = System.nanoTime();
        if (now - nextStatus >= 0) {
            nextStatus = now + every.toNanos();
            return true;
        }
        return false;
    }

    private static Duration parse(String option, String value) {
        try {
            Duration d = Duration.parse(value.strip());
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(option + ": must be positive, got '" + value + "'");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + ": expected an ISO-8601 duration such as PT30S, got '"
                    + value + "'");
        }
    }

}
