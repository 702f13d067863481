package dev.tickeretl.cli;

import dev.tickeretl.MarketTime;
import dev.tickeretl.RequestStats;
import dev.tickeretl.RunListener;
import dev.tickeretl.RunHandle;
import dev.tickeretl.RunRecord;
import dev.tickeretl.TickerEtl;
import dev.tickeretl.Tickers;
import dev.tickeretl.TradingCalendar;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
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

@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Fetch daily bars, tag market phases and store them idempotently; prints the run summary. "
                + "Dates are New York trading dates; --from and --to are both inclusive.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:succeeded", "1:failed (nothing or not all could be fetched or stored)",
                "2:usage error (the message names the option)",
                "3:partial (some tickers or bars failed; the rest is stored)"},
        footerHeading = "%nExamples:%n",
        footer = {"  ticker-etl ingest                     # the latest completed trading day",
                "  ticker-etl ingest --from 2025-01-02 --to 2025-01-31   # both days included",
                "  ticker-etl ingest --from 2025-01-02 --to 2025-03-31 --incremental",
                "  POLYGON_API_KEY=... ticker-etl ingest --tickers AAPL,BRK.A \\",
                "      --from 2024-01-02 --to 2024-12-31 --max-requests-per-minute 5",
                ""})
final class IngestCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(IngestCommand.class);

    static final String KEY_VARIABLES = "POLYGON_API_KEY or MASSIVE_API_KEY";

    @Option(names = "--tickers", paramLabel = "A,B,..", split = ",",
            description = "Ticker symbols (default: AAPL,MSFT,NVDA,AMZN,GOOGL).")
    List<String> tickers;

    @Option(names = "--from", paramLabel = "YYYY-MM-DD", converter = DateConverter.class,
            description = "First trading date, inclusive (default: --to).")
    LocalDate from;

    @Option(names = "--to", paramLabel = "YYYY-MM-DD", converter = DateConverter.class,
            description = "Last trading date, inclusive (default: the latest completed trading day in New York).")
    LocalDate to;

    @Mixin
    StoreOptions store;

    @Mixin
    SinkOptions sinks;

    @Mixin
    MonitoringOptions monitoring;

    @Mixin
    LogOptions log;

    @Option(names = "--source", paramLabel = "polygon|simulator",
            description = "Where bars come from (default: polygon when " + KEY_VARIABLES
                    + " is set, else the offline simulator).")
    String source;

    @Option(names = "--base-url", paramLabel = "URL",
            description = "Polygon/Massive API base URL (default: https://api.massive.com).")
    String baseUrl;

    @Option(names = "--allow-insecure-http",
            description = "Allow a plain http:// base URL to a host that is not loopback (key and data in cleartext).")
    boolean allowInsecureHttp;

    @Option(names = "--max-response-bytes", paramLabel = "N",
            description = "Cap of one response body in bytes, also after gunzip (default: 67108864 = 64 MiB).")
    Long maxResponseBytes;

    @Option(names = "--adjusted", paramLabel = "true|false", defaultValue = "true", arity = "1",
            description = "Split-adjusted prices (default: ${DEFAULT-VALUE}).")
    boolean adjusted;

    @Option(names = "--max-requests-per-minute", paramLabel = "N",
            description = "Client-side request limit (the free plan allows 5).")
    Integer maxRequestsPerMinute;

    @Option(names = "--retry-budget", paramLabel = "DURATION",
            description = "How long one request may keep retrying (429, 5xx, timeouts), ISO-8601 (default: PT10M).")
    String retryBudget;

    @Option(names = "--rate-limit", paramLabel = "N/DURATION",
            description = "Client-side request limit for any window, e.g. 5/PT1S (ISO-8601 duration); instead of "
                    + "--max-requests-per-minute.")
    String rateLimit;

    @Option(names = "--concurrency", paramLabel = "N",
            description = "Requests in flight at once (the source's default is 4).")
    Integer concurrency;

    @Option(names = "--incremental",
            description = "Ask upstream only for trading days it has not answered yet, or whose answer could still"
                    + " change (answered less than 12 h after that session's close), plus the lookback.")
    boolean incremental;

    @Option(names = "--deadline", paramLabel = "DURATION",
            description = "Time limit for the whole run, ISO-8601 (e.g. PT10M): then it stores what it has and the"
                    + " unfinished tickers fail (exit 3, or 1 when none finished).")
    String deadline;

    @Option(names = "--phase-tagger", paramLabel = "NAME",
            description = "The rule that tags day bars, a phase tagger found by name on the class path (default: "
                    + "brief, the previous session's volume; this CLI also has avg20, the 20-session average).")
    String phaseTagger;

    @Option(names = "--source-option", paramLabel = "KEY=VALUE",
            description = "A source option the flags above do not cover (repeatable), e.g. plan=grouped or"
                    + " request-timeout=PT10S; for the simulator, latency=PT0.2S or seed=7.")
    List<String> extraSourceOptions;

    @Option(names = "--quiet", description = "Print nothing but errors; the exit code tells the outcome.")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Clock clock;

    IngestCommand() {
        this(Clock.systemUTC());
    }

    IngestCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() {
        CliLog.format(log.format, apiKeyOptions(extraSourceOptions));
        if (quiet) {
            CliLog.quiet();
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LocalDate end = to;
        if (end == null) {
            LocalDate latest = latestCompletedTradingDay();
            end = from != null && from.isAfter(latest) ? from : latest;
        }
        LocalDate start = from != null ? from : end;

        String sourceName = source != null ? source.toLowerCase(Locale.ROOT) : defaultSource();
        if (source == null && sourceName.equals("simulator") && !quiet) {
            notice(err, KEY_VARIABLES + " is not set: using the offline simulator (synthetic data).");
        }
        // Passed through as given: the source checks them when it opens, before any run is recorded, and a bad
        // value is a usage error naming the option.
        Map<String, String> sourceOptions = new LinkedHashMap<>();
        putIfSet(sourceOptions, "base-url", baseUrl);
        putIfSet(sourceOptions, "max-requests-per-minute", maxRequestsPerMinute);
        putIfSet(sourceOptions, "rate-limit", rateLimit);
        putIfSet(sourceOptions, "concurrency", concurrency);
        putIfSet(sourceOptions, "retry-budget", retryBudget);
        putIfSet(sourceOptions, "max-response-bytes", maxResponseBytes);
        if (allowInsecureHttp) {
            sourceOptions.put("allow-insecure-http", "true");
        }
        if (extraSourceOptions != null) {
            for (String kv : extraSourceOptions) {
                int eq = kv.indexOf('=');
                if (eq < 1) {
                    throw new IllegalArgumentException("source-option: expected KEY=VALUE, got '" + kv + "'");
                }
                sourceOptions.put(kv.substring(0, eq).strip(), kv.substring(eq + 1).strip());
            }
        }

        List<String> tickerList = tickers == null ? Tickers.DEFAULTS : normalise(tickers);
        TickerEtl.Builder builder = TickerEtl.builder()
                .tickers(tickerList)
                .from(start).to(end)
                .adjusted(adjusted)
                .incremental(incremental)
                .source(sourceName, sourceOptions)
                .store(store.uri(), store.options())
                .clock(clock);
        sinks.addTo(builder);
        if (phaseTagger != null) {
            builder.phaseTagger(phaseTagger.strip()); // an unknown name fails build(), listing the available ones
        }
        if (deadline != null) {
            builder.deadline(parseDuration("deadline", deadline));
        }
        RunReadiness readiness = new RunReadiness();
        RunListener progress = quiet ? RunListener.NONE : CliLog.json() ? new ProgressLog()
                : new ProgressListener(err, System.console() != null, clientRateLimit());
        builder.listener(both(readiness, progress));
        RunRecord run;
        MonitoringOptions.Monitoring metrics = monitoring.start(tickerList, readiness);
        try {
            builder.observer(metrics.observer());
            TickerEtl etl = builder.build(); // checks the order of the dates and that none is in the future
            TradingDateRange.check(start, end, TradingCalendar.nyse());
            if (metrics.metricsUri() != null && !quiet) {
                notice(err, "metrics at " + metrics.metricsUri() + " (also /health, /ready)");
            }
            RunHandle handle = etl.start();
            metrics.ran();
            Signals.stopOnSignal(handle);
            try {
                run = handle.result();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                handle.stop();
                throw new IllegalStateException("interrupted while the run was under way", e);
            }
        } finally {
            closeQuietly(metrics, err);
        }
        if (!quiet) {
            out.println(run);
        }
        return ExitCodes.of(run.status());
    }

    /** The run's outcome stands when only its metrics could not be written; the error is printed. */
    static void closeQuietly(MonitoringOptions.Monitoring metrics, PrintWriter err) {
        try {
            metrics.close();
        } catch (RuntimeException e) {
            if (CliLog.json()) {
                LOG.error("{}", e.getMessage());
            } else {
                err.println("ticker-etl: " + e.getMessage());
            }
        }
    }

    /** A line for the user: plain on standard error, or a log event when the log is JSON. */
    static void notice(PrintWriter err, String text) {
        if (CliLog.json()) {
            LOG.atInfo().addKeyValue("event", "notice").log(text);
        } else {
            err.println("notice: " + text);
        }
    }

    /** {@code --source-option api-key=...} values: masked in the log like the environment's keys. */
    static List<String> apiKeyOptions(List<String> extraSourceOptions) {
        List<String> keys = new ArrayList<>();
        if (extraSourceOptions != null) {
            for (String kv : extraSourceOptions) {
                int eq = kv.indexOf('=');
                if (eq > 0 && kv.substring(0, eq).strip().equals("api-key")) {
                    keys.add(kv.substring(eq + 1).strip());
                }
            }
        }
        return keys;
    }

    private static RunListener both(RunListener first, RunListener second) {
        return new RunListener() {
            @Override
            public void runStarted(RunRecord running) {
                first.runStarted(running);
                second.runStarted(running);
            }

            @Override
            public void tickerFinished(String ticker, RunRecord.TickerOutcome outcome, int done, int total,
                                       RequestStats requests) {
                first.tickerFinished(ticker, outcome, done, total, requests);
                second.tickerFinished(ticker, outcome, done, total, requests);
            }

            @Override
            public void runFinished(RunRecord finished) {
                first.runFinished(finished);
                second.runFinished(finished);
            }
        };
    }

    private static java.time.Duration parseDuration(String option, String value) {
        try {
            return java.time.Duration.parse(value.strip());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(option + ": expected an ISO-8601 duration such as PT10M, got '" + value
                    + "'");
        }
    }

    /** The client-side limit for the progress line's ETA; null when none (or unreadable: the source rejects it). */
    private ProgressListener.RateLimit clientRateLimit() {
        try {
            if (maxRequestsPerMinute != null) {
                return new ProgressListener.RateLimit(maxRequestsPerMinute, Duration.ofMinutes(1));
            }
            if (rateLimit != null) {
                String[] parts = rateLimit.strip().split("/", 2);
                return new ProgressListener.RateLimit(Integer.parseInt(parts[0].strip()),
                        Duration.parse(parts[1].strip()));
            }
        } catch (RuntimeException e) {
            return null;
        }
        return null;
    }

    private static void putIfSet(Map<String, String> options, String key, Object value) {
        if (value != null) {
            options.put(key, value.toString().strip());
        }
    }

    static List<String> normalise(List<String> raw) {
        List<String> symbols = new ArrayList<>();
        for (String t : raw) {
            String s = t.trim().toUpperCase(Locale.ROOT);
            if (!s.isEmpty()) {
                symbols.add(s);
            }
        }
        if (symbols.isEmpty()) {
            throw new IllegalArgumentException("tickers: at least one ticker is needed");
        }
        return symbols;
    }

    static String defaultSource() {
        return hasKey("POLYGON_API_KEY") || hasKey("MASSIVE_API_KEY") ? "polygon" : "simulator";
    }

    private static boolean hasKey(String variable) {
        String v = System.getenv(variable);
        return v != null && !v.isBlank();
    }

    /** Today once New York's regular session has closed, else the trading day before. */
    private LocalDate latestCompletedTradingDay() {
        TradingCalendar calendar = TradingCalendar.nyse();
        ZonedDateTime now = clock.instant().atZone(MarketTime.ZONE);
        LocalDate today = now.toLocalDate();
        return calendar.session(today)
                .filter(session -> !now.isBefore(session.close()))
                .map(TradingCalendar.Session::date)
                .orElseGet(() -> calendar.previousTradingDay(today));
    }
}
