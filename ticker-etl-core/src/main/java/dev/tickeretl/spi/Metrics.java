package dev.tickeretl.spi;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Every metric ticker-etl reports through an {@link Observer}, in one place: its name, kind, unit, tags and meaning.
 * Core, adapters and bindings use these constants instead of string literals, so a dashboard or an alert rule can be
 * checked against one list, and a binding can give each metric its unit, help text and histogram. The names are
 * compile-time constants (usable in {@code switch}); {@link #definition} gives the rest.
 *
 * <p><b>Names.</b> All start with {@code ticker_etl_} and are in base units (seconds, bytes). A name is given to the
 * observer as listed here; a Prometheus binding adds {@code _total} to counters and {@code _seconds} to timers, as
 * Prometheus expects, so {@link #BARS_WRITTEN} is scraped as {@code ticker_etl_bars_written_total} and
 * {@link #PARTITION_WRITE_DURATION} as {@code ticker_etl_partition_write_duration_seconds_bucket|_count|_sum}.
 * Gauges and distributions carry their unit in the name already.
 *
 * <p><b>Tags</b> are {@code key, value} pairs after the amount ({@code observer.count(BARS_WRITTEN, n, TICKER,
 * "AAPL")}); every call of one metric passes the same keys, in the order listed. Values come from small fixed sets
 * (statuses, kinds, endpoints), except {@link #TICKER}: the pipeline passes the real symbol and a binding keeps it
 * only for a bounded, configured set of tickers (others collapse into {@link #OTHER_TICKERS}), so a universe of
 * thousands of symbols cannot blow up a metrics backend.
 */
public final class Metrics {

    /** What an observer call a metric goes through. */
    public enum Kind {
        /** {@link Observer#count}: a monotonic total. */
        COUNTER,
        /** {@link Observer#gauge}: a value that is set, up or down. */
        GAUGE,
        /** {@link Observer#time}: durations, exported as a histogram in seconds. */
        TIMER,
        /** {@link Observer#record}: amounts (e.g. bytes per write), exported with count, sum and max. */
        DISTRIBUTION
    }

    /**
     * One metric.
     *
     * @param name        as passed to the observer
     * @param kind        which observer call reports it
     * @param baseUnit    {@code seconds}, {@code bytes}, or null for a plain count or a state
     * @param tags        the tag keys every call passes, in this order
     * @param help        what it measures, for {@code # HELP} lines and documentation
     * @param maxExpected timers only: the longest duration the histogram's buckets must still resolve
     */
    public record Definition(String name, Kind kind, String baseUnit, List<String> tags, String help,
                             Duration maxExpected) {
        public Definition {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
            tags = List.copyOf(tags);
            Objects.requireNonNull(help, "help");
        }
    }

    private static final Map<String, Definition> DEFINITIONS = new LinkedHashMap<>();

    // ---------------------------------------------------------------------------------------------------- tags

    /** A ticker symbol; kept by bindings only for a configured set of tickers, see {@link #OTHER_TICKERS}. */
    public static final String TICKER = "ticker";
    /** A run's or a ticker's {@code RunStatus} name ({@code SUCCEEDED}, {@code PARTIAL}, {@code FAILED}, ...). */
    public static final String STATUS = "status";
    /** An upstream endpoint family, e.g. {@code aggs_range}, {@code grouped_daily} (never a full URL). */
    public static final String ENDPOINT = "endpoint";
    /** An HTTP status code ({@code 200}, {@code 429}), or {@code timeout} / {@code io_error} when none came. */
    public static final String HTTP_STATUS = "status";
    /** Why something was retried or reconnected: {@code rate_limited}, {@code server_error}, {@code timeout}, ... */
    public static final String REASON = "reason";
    /** What caused a wait: {@code server} (a 429 or {@code Retry-After}) or {@code client} (the configured limit). */
    public static final String CAUSE = "cause";
    /** A circuit breaker's name, e.g. {@code polygon}. */
    public static final String BREAKER = "breaker";
    /** A data-quality warning kind, e.g. {@code INVALID_BAR}, {@code MISSING_PREVIOUS_BAR}. */
    public static final String KIND = "kind";
    /** Tag: a data-quality check's name ({@code PRICE_JUMP}, {@code DUPLICATE_KEY}, ...). */
    public static final String CHECK = "check";
    /** Tag: a finding's severity ({@code INFO}, {@code WARN}, {@code ERROR}). */
    public static final String SEVERITY = "severity";
    /** {@code batch} or {@code stream}. */
    public static final String MODE = "mode";
    /** A fan-out sink's name (its URI, without credentials). */
    public static final String SINK = "sink";

    /** The {@link #TICKER} value bindings use for every ticker outside their configured set. */
    public static final String OTHER_TICKERS = "other";

    /** {@link #BREAKER_STATE} values. */
    public static final double BREAKER_CLOSED = 0;
    public static final double BREAKER_HALF_OPEN = 1;
    public static final double BREAKER_OPEN = 2;

    private static final String SECONDS = "seconds";
    private static final String BYTES = "bytes";

    // ---------------------------------------------------------------------------------------------------- upstream

    /** Upstream HTTP requests answered (or not), by endpoint family and status. Reported by the Polygon source. */
    public static final String REQUESTS = "ticker_etl_requests";

    /** Time from sending a request to having its whole body, by endpoint family. */
    public static final String REQUEST_DURATION = "ticker_etl_request_duration";

    /** Requests sent again, by endpoint family and why. */
    public static final String REQUEST_RETRIES = "ticker_etl_request_retries";

    /** Each wait before a request because of rate limiting, and how long it was. */
    public static final String RATE_LIMIT_WAIT = "ticker_etl_rate_limit_wait";

    /** A circuit breaker's state: {@link #BREAKER_CLOSED}, {@link #BREAKER_HALF_OPEN} or {@link #BREAKER_OPEN}. */
    public static final String BREAKER_STATE = "ticker_etl_breaker_state";

    // ---------------------------------------------------------------------------------------------------- bars

    /** Bars the source delivered, before validation (so it counts invalid bars too). */
    public static final String BARS_FETCHED = "ticker_etl_bars_fetched";

    /** Bars stored that the store did not have. */
    public static final String BARS_WRITTEN = "ticker_etl_bars_written";

    /** Bars stored over a different stored version (upstream revised them). */
    public static final String BARS_UPDATED = "ticker_etl_bars_updated";

    /** Bars received that were already stored exactly so; nothing was written for them. */
    public static final String BARS_UNCHANGED = "ticker_etl_bars_unchanged";

    /** Bars refused by validation (NaN, negative, high below low, a missing field): not stored. */
    public static final String BARS_INVALID = "ticker_etl_bars_invalid";

    /** Age of the newest stored bar, by the run's clock: now minus that bar's window start. */
    public static final String LAST_BAR_AGE = "ticker_etl_last_bar_age_seconds";

    /** Data-quality warnings, by kind (each also in the run record's warnings). */
    public static final String DATA_QUALITY_WARNINGS = "ticker_etl_data_quality_warnings";

    /** Data-quality findings of the checks a run makes on what it writes, by check and severity (alerts key on it). */
    public static final String DATA_QUALITY_ISSUES = "ticker_etl_data_quality_issues";

    // ---------------------------------------------------------------------------------------------------- storage

    /** Partition files written (an unchanged partition is not written and not counted). */
    public static final String PARTITION_FILES_WRITTEN = "ticker_etl_partition_files_written";

    /** One partition write: merge, write and make durable (fsync + rename, or a conditional PUT). */
    public static final String PARTITION_WRITE_DURATION = "ticker_etl_partition_write_duration";

    /** Bytes of the partition files one write produced (writes that changed no file are not recorded). */
    public static final String PARTITION_WRITE_BYTES = "ticker_etl_partition_write_bytes";

    /** One group commit of a stream: many partitions' minute bars appended to one durable segment. */
    public static final String SEGMENT_WRITE_DURATION = "ticker_etl_segment_write_duration";

    /** One compaction: folding a stream's segments into partition files. */
    public static final String COMPACTION_DURATION = "ticker_etl_compaction_duration";

    /** Partition writes that failed (a stream keeps the bars and retries). */
    public static final String WRITE_FAILURES = "ticker_etl_write_failures";

    /**
     * The pipeline's part of receive to durable: from taking the oldest bar of a write from the source until that
     * write is durable (buffering, batching, the write itself).
     */
    public static final String PIPELINE_TO_DURABLE = "ticker_etl_pipeline_to_durable";

    /** Offset commits (one store update may commit many partitions). */
    public static final String OFFSET_COMMITS = "ticker_etl_offset_commits";

    /** One offset commit: the store's offsets (and coverage) file written durably. */
    public static final String OFFSET_COMMIT_DURATION = "ticker_etl_offset_commit_duration";

    /** One heartbeat: a running run's record rewritten with its totals so far. */
    public static final String HEARTBEAT_DURATION = "ticker_etl_heartbeat_duration";

    /**
     * How long the oldest bar received but not yet covered by a committed offset has waited, the largest over all
     * partitions; 0 when everything received is committed. What a crash now would make the source send again.
     */
    public static final String OFFSET_LAG = "ticker_etl_offset_lag_seconds";

    // ---------------------------------------------------------------------------------------------------- stream

    /** 1 while the stream's connection is up and authenticated, else 0. */
    public static final String STREAM_CONNECTED = "ticker_etl_stream_connected";

    /** Reconnects of the stream (each time a connection ended and another is tried). */
    public static final String STREAM_RECONNECTS = "ticker_etl_stream_reconnects";

    /** Connections the watchdog aborted because the server went silent. */
    public static final String STREAM_SILENT_ABORTS = "ticker_etl_stream_silent_aborts";

    /** Messages (frames) received from the stream. */
    public static final String STREAM_MESSAGES = "ticker_etl_stream_messages";

    /** Status events the server sent ({@code connected}, {@code auth_success}, {@code max_connections}, ...). */
    public static final String STREAM_STATUSES = "ticker_etl_stream_statuses";

    /** Minute bars in the stream's messages for subscribed tickers. */
    public static final String STREAM_BARS_RECEIVED = "ticker_etl_stream_bars_received";

    /** The stream's clock: the newest minute start it delivered, in Unix seconds. */
    public static final String STREAM_TIME = "ticker_etl_stream_time_seconds";

    /** Minute bars fetched over REST to fill a gap the stream left. */
    public static final String REPAIRED_MINUTES = "ticker_etl_repaired_minutes";

    /** Gap repairs over REST that failed (each is tried again). */
    public static final String REPAIR_FAILURES = "ticker_etl_repair_failures";

    /** From a connection's subscription until every gap it found is repaired and durable. */
    public static final String REPAIR_DURATION = "ticker_etl_repair_duration";

    /** Stream time minus the lowest per-ticker watermark ("complete through"), in event time. */
    public static final String WATERMARK_LAG = "ticker_etl_watermark_lag_seconds";

    /** The run's committed watermark: the lowest of its tickers', in Unix seconds (the run record keeps it). */
    public static final String WATERMARK_COMPLETE_THROUGH = "ticker_etl_watermark_complete_through_seconds";

    /** From a bar's arrival at the source to the commit of its offset: it is durable then. */
    public static final String RECEIVE_TO_DURABLE = "ticker_etl_receive_to_durable";

    // ---------------------------------------------------------------------------------------------------- sinks

    /** Bars a fan-out sink (e.g. Kafka) took. */
    public static final String SINK_DELIVERED = "ticker_etl_sink_delivered";

    /** Failed deliveries to a fan-out sink (the bars wait in the outbox). */
    public static final String SINK_ERRORS = "ticker_etl_sink_errors";

    /** Bars put in a sink's durable outbox because the sink did not take them. */
    public static final String OUTBOX_QUEUED = "ticker_etl_outbox_queued";

    /** Outbox depth: bars waiting for a sink. */
    public static final String OUTBOX_PENDING = "ticker_etl_outbox_pending";

    /** Records the Kafka sink sent and the broker acknowledged. */
    public static final String KAFKA_RECORDS_SENT = "ticker_etl_kafka_records_sent";

    /** Kafka sends that failed (the bars wait in the outbox). */
    public static final String KAFKA_ERRORS = "ticker_etl_kafka_errors";

    /** One batch sent to Kafka, until every record of it is acknowledged. */
    public static final String KAFKA_SEND_DURATION = "ticker_etl_kafka_send_duration";

    /** 1 while the last send to the broker succeeded, 0 after a failure. */
    public static final String KAFKA_AVAILABLE = "ticker_etl_kafka_available";

    // ---------------------------------------------------------------------------------------------------- runs

    /** Tickers finished, by outcome. */
    public static final String TICKERS_FINISHED = "ticker_etl_tickers_finished";

    /** Runs finished, by outcome. */
    public static final String RUNS = "ticker_etl_runs";

    /** Whole-run duration, by mode. */
    public static final String RUN_DURATION = "ticker_etl_run_duration";

    /** When a run last ended with the given status, in Unix seconds (an alert: no SUCCEEDED within 26 h). */
    public static final String RUN_FINISHED_TIMESTAMP = "ticker_etl_run_finished_timestamp_seconds";

    static {
        // Kind, unit, help, histogram range and tags of each name above, in that order.
        define(REQUESTS, Kind.COUNTER, null,
                "Upstream HTTP requests, by endpoint family and HTTP status (timeout / io_error when none came)",
                null, ENDPOINT, HTTP_STATUS);
        define(REQUEST_DURATION, Kind.TIMER, SECONDS,
                "Upstream request latency, send to complete body", Duration.ofMinutes(2), ENDPOINT);
        define(REQUEST_RETRIES, Kind.COUNTER, null,
                "Upstream requests retried, by endpoint family and reason (rate_limited, server_error, timeout, "
                + "connection, truncated, malformed)", null, ENDPOINT, REASON);
        define(RATE_LIMIT_WAIT, Kind.TIMER, SECONDS,
                "Waits before a request because of rate limiting: cause=server after a 429 or Retry-After, "
                + "cause=client for the configured request limit", Duration.ofMinutes(5), CAUSE);
        define(BREAKER_STATE, Kind.GAUGE, null,
                "Circuit breaker state: 0 closed, 1 half-open, 2 open", null, BREAKER);
        define(BARS_FETCHED, Kind.COUNTER, null,
                "Bars received from the source, before validation", null, TICKER);
        define(BARS_WRITTEN, Kind.COUNTER, null,
                "Bars stored that were new", null, TICKER);
        define(BARS_UPDATED, Kind.COUNTER, null,
                "Bars stored over a different stored version (an upstream revision)", null, TICKER);
        define(BARS_UNCHANGED, Kind.COUNTER, null,
                "Bars received that the store already held unchanged", null, TICKER);
        define(BARS_INVALID, Kind.COUNTER, null,
                "Bars refused by validation and not stored", null, TICKER);
        define(LAST_BAR_AGE, Kind.GAUGE, SECONDS,
                "Freshness: the run clock's now minus the window start of the newest bar stored for the ticker "
                + "(for tickers outside the configured set: the largest such age)", null, TICKER);
        define(DATA_QUALITY_WARNINGS, Kind.COUNTER,
                null, "Data-quality warnings, by kind", null, KIND);
        define(DATA_QUALITY_ISSUES, Kind.COUNTER, null,
                "Data-quality findings on the bars a run wrote, by check and severity", null, CHECK, SEVERITY);
        define(PARTITION_FILES_WRITTEN, Kind.COUNTER, null, "Partition files written (replaced or created)", null);
        define(PARTITION_WRITE_DURATION, Kind.TIMER, SECONDS, "Time to merge and durably write one partition's bars",
                Duration.ofMinutes(1));
        define(PARTITION_WRITE_BYTES, Kind.DISTRIBUTION, BYTES, "Bytes of partition files written by one write", null);
        define(SEGMENT_WRITE_DURATION, Kind.TIMER,
                SECONDS, "Time to durably append one segment (a stream's group commit of many partitions)",
                Duration.ofMinutes(1));
        define(COMPACTION_DURATION, Kind.TIMER, SECONDS,
                "Time to fold segments into partition files", Duration.ofMinutes(10));
        define(WRITE_FAILURES, Kind.COUNTER, null,
                "Partition writes that failed", null);
        define(PIPELINE_TO_DURABLE, Kind.TIMER, SECONDS,
                "Time from the pipeline taking the oldest bar of a write from the source until the write is durable",
                Duration.ofMinutes(10));
        define(OFFSET_COMMITS, Kind.COUNTER, null,
                "Offset commits written to the store", null);
        define(OFFSET_COMMIT_DURATION, Kind.TIMER, SECONDS, "Time to durably write one offset commit",
                Duration.ofMinutes(1));
        define(HEARTBEAT_DURATION, Kind.TIMER, SECONDS, "Time to rewrite a running run's record",
                Duration.ofMinutes(1));
        define(OFFSET_LAG, Kind.GAUGE, SECONDS,
                "Age of the oldest received bar not yet covered by a committed offset (largest over partitions)",
                null);
        define(STREAM_CONNECTED, Kind.GAUGE, null,
                "1 while the stream is connected and subscribed, else 0", null);
        define(STREAM_RECONNECTS, Kind.COUNTER, null,
                "Stream reconnects", null);
        define(STREAM_SILENT_ABORTS, Kind.COUNTER,
                null, "Stream connections aborted by the watchdog after silence", null);
        define(STREAM_MESSAGES, Kind.COUNTER, null,
                "Messages received from the stream", null);
        define(STREAM_STATUSES, Kind.COUNTER, null,
                "Status events from the stream server, by status", null, STATUS);
        define(STREAM_BARS_RECEIVED, Kind.COUNTER,
                null, "Minute bars received from the stream", null);
        define(STREAM_TIME, Kind.GAUGE, SECONDS,
                "Stream time: window start of the newest minute received, Unix seconds", null);
        define(REPAIRED_MINUTES, Kind.COUNTER, null,
                "Minute bars fetched over REST to repair a gap in the stream", null);
        define(REPAIR_FAILURES, Kind.COUNTER, null,
                "Gap repairs over REST that failed and are tried again", null);
        define(REPAIR_DURATION, Kind.TIMER, SECONDS,
                "From a connection's subscription until every gap it found is repaired and durable",
                Duration.ofMinutes(10));
        define(WATERMARK_LAG, Kind.GAUGE, SECONDS,
                "Stream time minus the lowest ticker watermark (complete through), event time", null);
        define(WATERMARK_COMPLETE_THROUGH, Kind.GAUGE, SECONDS,
                "The run's committed watermark (every minute of every ticker up to it is stored final), Unix seconds",
                null);
        define(RECEIVE_TO_DURABLE, Kind.TIMER, SECONDS,
                "Time from a bar's arrival at the source until its offset is committed (durable)",
                Duration.ofMinutes(10));
        define(SINK_DELIVERED, Kind.COUNTER, null,
                "Bars delivered to a fan-out sink", null, SINK);
        define(SINK_ERRORS, Kind.COUNTER, null,
                "Deliveries a fan-out sink refused or failed (the bars wait in the outbox)", null, SINK);
        define(OUTBOX_QUEUED, Kind.COUNTER, null,
                "Bars put in the durable outbox because the sink did not take them", null, SINK);
        define(OUTBOX_PENDING, Kind.GAUGE, null,
                "Outbox depth: bars waiting in the store for a sink", null, SINK);
        define(KAFKA_RECORDS_SENT, Kind.COUNTER, null, "Records sent to Kafka and acknowledged", null, SINK);
        define(KAFKA_ERRORS, Kind.COUNTER, null, "Kafka sends that failed (the bars wait in the outbox)", null,
                SINK);
        define(KAFKA_SEND_DURATION, Kind.TIMER, SECONDS, "Time to send a batch to Kafka until it is acknowledged",
                Duration.ofMinutes(2), SINK);
        define(KAFKA_AVAILABLE, Kind.GAUGE, null, "1 while the last send to the broker succeeded, else 0", null,
                SINK);
        define(TICKERS_FINISHED, Kind.COUNTER, null,
                "Tickers finished, by outcome", null, STATUS);
        define(RUNS, Kind.COUNTER, null,
                "Runs finished, by outcome", null, STATUS);
        define(RUN_DURATION, Kind.TIMER, SECONDS,
                "Run duration, by mode (batch or stream)", Duration.ofHours(12), MODE);
        define(RUN_FINISHED_TIMESTAMP, Kind.GAUGE, SECONDS,
                "Unix time at which a run last finished with this status", null, STATUS);
    }

    private Metrics() {
    }

    private static void define(String name, Kind kind, String baseUnit, String help, Duration maxExpected,
                                 String... tags) {
        Definition d = new Definition(name, kind, baseUnit, Arrays.asList(tags), help, maxExpected);
        if (DEFINITIONS.putIfAbsent(name, d) != null) {
            throw new IllegalStateException("metric defined twice: " + name);
        }
    }

    /** Every metric, in the order above. */
    public static Collection<Definition> all() {
        return Collections.unmodifiableCollection(DEFINITIONS.values());
    }

    /** The definition of {@code name}, if it is one of ours. */
    public static Optional<Definition> definition(String name) {
        return Optional.ofNullable(DEFINITIONS.get(name));
    }
}
