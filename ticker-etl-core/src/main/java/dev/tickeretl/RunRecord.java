package dev.tickeretl;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.tickeretl.internal.quality.QualityCheck;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metadata of one run, stored as {@code runs/<run_id>.json} and returned by {@link TickerEtl#run()}. Written
 * as RUNNING when the run starts, rewritten with the totals so far at every heartbeat, and replaced with the
 * outcome when it ends. Holds no secret.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"run_id", "status", "started_at", "finished_at", "duration_ms", "process", "parameters",
        "totals", "requests", "sinks", "metrics", "tickers", "data_quality", "warnings", "error"})
public record RunRecord(
        @JsonProperty("run_id") String runId,
        @JsonProperty("status") RunStatus status,
        @JsonProperty("started_at") Instant startedAt,
        @JsonProperty("finished_at") Instant finishedAt,
        @JsonProperty("duration_ms") Long durationMs,
        @JsonProperty("process") RunProcess process,
        @JsonProperty("parameters") RunParameters parameters,
        @JsonProperty("totals") Totals totals,
        @JsonProperty("requests") RequestStats requests,
        @JsonProperty("sinks") Map<String, SinkOutcome> sinks,
        @JsonProperty("metrics") Map<String, Double> metrics,
        @JsonProperty("tickers") Map<String, TickerOutcome> tickers,
        @JsonProperty("data_quality") Map<String, CheckCount> dataQuality,
        @JsonProperty("warnings") List<DataQualityWarning> warnings,
        @JsonProperty("error") String error) {

    /** Newest first: run ids sort by start time, so descending id order is start order, latest first. */
    public static final Comparator<RunRecord> NEWEST_FIRST = Comparator.comparing(RunRecord::runId).reversed();

    public RunRecord {
        tickers = tickers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tickers));
        sinks = sinks == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(sinks));
        metrics = metrics == null ? Map.of() : Collections.unmodifiableMap(new java.util.TreeMap<>(metrics));
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        // A record written before data_quality existed: its listed warnings are all that is known.
        dataQuality = Collections.unmodifiableMap(new java.util.TreeMap<>(dataQuality != null ? dataQuality
                : CheckCount.of(warnings)));
        requests = requests == null ? RequestStats.NONE : requests;
        totals = totals == null ? Totals.ZERO : totals;
    }

    /** A record whose data-quality counts are those of its listed {@code warnings}. */
    public RunRecord(String runId, RunStatus status, Instant startedAt, Instant finishedAt, Long durationMs,
                     RunProcess process, RunParameters parameters, Totals totals, RequestStats requests,
                     Map<String, SinkOutcome> sinks, Map<String, Double> metrics, Map<String, TickerOutcome> tickers,
                     List<DataQualityWarning> warnings, String error) {
        this(runId, status, startedAt, finishedAt, durationMs, process, parameters, totals, requests, sinks, metrics,
                tickers, null, warnings, error);
    }

    /**
     * A stream's watermark when this record was written: every minute of every one of its tickers that starts at or
     * before this instant was stored at its final revision (or had no trades). Empty for batch runs and before the
     * first commit that covered every ticker.
     */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public java.util.Optional<Instant> completeThrough() {
        Double seconds = metrics.get(dev.tickeretl.spi.Metrics.WATERMARK_COMPLETE_THROUGH);
        return seconds == null ? java.util.Optional.empty()
                : java.util.Optional.of(Instant.ofEpochMilli(Math.round(seconds * 1000)));
    }

    /** The same record with another status, finish time and error; used to record an abandoned run. */
    public RunRecord finishedAs(RunStatus newStatus, Instant finished, String newError) {
        Long duration = startedAt == null || finished == null ? null
                : Duration.between(startedAt, finished).toMillis();
        return new RunRecord(runId, newStatus, startedAt, finished, duration, process, parameters, totals, requests,
                sinks, metrics, tickers, dataQuality, warnings, newError);
    }

    /** Which process runs (or ran) this, and when it last said it was alive. */
    @JsonPropertyOrder({"host", "pid", "process_started_at", "heartbeat_at", "heartbeat_interval_ms"})
    public record RunProcess(
            @JsonProperty("host") String host,
            @JsonProperty("pid") long pid,
            @JsonProperty("process_started_at") Instant processStartedAt,
            @JsonProperty("heartbeat_at") Instant heartbeatAt,
            @JsonProperty("heartbeat_interval_ms") long heartbeatIntervalMs) {

        public RunProcess withHeartbeat(Instant at) {
            return new RunProcess(host, pid, processStartedAt, at, heartbeatIntervalMs);
        }
    }

    /** What the run was asked to do. A stream has no {@code from}/{@code to}. */
    @JsonPropertyOrder({"mode", "tickers", "from", "to", "timespan", "adjusted", "incremental", "source", "store",
            "sinks", "phase_tagger"})
    public record RunParameters(
            @JsonProperty("mode") String mode,
            @JsonProperty("tickers") List<String> tickers,
            @JsonProperty("from") LocalDate from,
            @JsonProperty("to") LocalDate to,
            @JsonProperty("timespan") Timespan timespan,
            @JsonProperty("adjusted") boolean adjusted,
            @JsonProperty("incremental") boolean incremental,
            @JsonProperty("source") String source,
            @JsonProperty("store") String store,
            @JsonProperty("sinks") List<String> sinks,
            @JsonProperty("phase_tagger") String phaseTagger) {

        /** A bounded run over a date range. */
        public static final String BATCH = "batch";
        /** An unbounded run that follows a live feed. */
        public static final String STREAM = "stream";

        public RunParameters {
            tickers = List.copyOf(tickers);
            sinks = sinks == null ? List.of() : List.copyOf(sinks);
            mode = mode == null ? BATCH : mode;
        }
    }

    /**
     * What one fan-out sink got: {@code delivered} bars it acknowledged (including earlier runs' bars taken from
     * the outbox), {@code queued} bars it did not take and that went to the store's outbox, {@code pending} bars
     * waiting in the outbox when the record was written, and the last error.
     */
    @JsonPropertyOrder({"delivered", "queued", "pending", "error"})
    public record SinkOutcome(
            @JsonProperty("delivered") long delivered,
            @JsonProperty("queued") long queued,
            @JsonProperty("pending") long pending,
            @JsonProperty("error") String error) {
    }

    /** How one ticker went. {@code written}: new bars; {@code updated}: replaced bars whose values changed. */
    @JsonPropertyOrder({"status", "fetched", "written", "updated", "unchanged", "invalid", "error"})
    public record TickerOutcome(
            @JsonProperty("status") RunStatus status,
            @JsonProperty("fetched") long fetched,
            @JsonProperty("written") long written,
            @JsonProperty("updated") long updated,
            @JsonProperty("unchanged") long unchanged,
            @JsonProperty("invalid") long invalid,
            @JsonProperty("error") String error) {
    }

    /** Sums over tickers, plus what the store wrote. */
    @JsonPropertyOrder({"tickers", "failed_tickers", "fetched", "written", "updated", "unchanged", "invalid",
            "files_written", "bytes_written"})
    public record Totals(
            @JsonProperty("tickers") int tickers,
            @JsonProperty("failed_tickers") int failedTickers,
            @JsonProperty("fetched") long fetched,
            @JsonProperty("written") long written,
            @JsonProperty("updated") long updated,
            @JsonProperty("unchanged") long unchanged,
            @JsonProperty("invalid") long invalid,
            @JsonProperty("files_written") long filesWritten,
            @JsonProperty("bytes_written") long bytesWritten) {

        public static final Totals ZERO = new Totals(0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /**
     * A data-quality finding that did not stop the run. {@code kind} is a stable code for alerting (the name of the
     * check, e.g. {@code PRICE_JUMP}); {@code severity} is that check's severity.
     */
    @JsonPropertyOrder({"kind", "severity", "ticker", "trading_date", "message"})
    public record DataQualityWarning(
            @JsonProperty("kind") String kind,
            @JsonProperty("severity") Severity severity,
            @JsonProperty("ticker") String ticker,
            @JsonProperty("trading_date") LocalDate tradingDate,
            @JsonProperty("message") String message) {

        public DataQualityWarning {
            severity = severity != null ? severity : QualityCheck.severityOf(kind);
        }

        /** A finding of check {@code kind}, with that check's severity. */
        public DataQualityWarning(String kind, String ticker, LocalDate tradingDate, String message) {
            this(kind, null, ticker, tradingDate, message);
        }
    }

    /** How many findings one check had in the run (listed in {@code warnings} or not), and its severity. */
    @JsonPropertyOrder({"severity", "count"})
    public record CheckCount(
            @JsonProperty("severity") Severity severity,
            @JsonProperty("count") long count) {

        /** Counts by kind of the listed {@code warnings}, for records written before counts were kept. */
        static Map<String, CheckCount> of(List<DataQualityWarning> warnings) {
            Map<String, CheckCount> counts = new java.util.TreeMap<>();
            for (DataQualityWarning w : warnings) {
                if (!QualityCheck.WARNINGS_DROPPED.name().equals(w.kind())) {
                    counts.merge(w.kind(), new CheckCount(w.severity(), 1),
                            (a, b) -> new CheckCount(a.severity(), a.count() + b.count()));
                }
            }
            return counts;
        }
    }

    /** A few readable lines: status, counts, requests, failures. */
    @Override
    public String toString() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("run %s %s in %s ms", runId, status, durationMs == null ? "?" : durationMs));
        if (parameters != null) {
            String span = parameters.from() == null ? "live" : parameters.from() + ".." + parameters.to();
            lines.add(String.format("  %d tickers %s (%s%s%s) from %s into %s", parameters.tickers().size(), span,
                    parameters.timespan().wireName(), parameters.adjusted() ? "" : ", unadjusted",
                    parameters.incremental() ? ", incremental" : "", parameters.source(), parameters.store()));
        }
        lines.add(String.format("  bars: %d fetched, %d written, %d updated, %d unchanged, %d invalid",
                totals.fetched(), totals.written(), totals.updated(), totals.unchanged(), totals.invalid()));
        lines.add(String.format("  files written: %d (%d bytes); requests: %d (%d retries, %d rate-limited)",
                totals.filesWritten(), totals.bytesWritten(), requests.requests(), requests.retries(),
                requests.rateLimited()));
        sinks.forEach((sink, o) -> lines.add(String.format("  sink %s: %d delivered, %d queued, %d waiting in the"
                + " outbox%s", sink, o.delivered(), o.queued(), o.pending(), o.error() == null ? ""
                : " (last error: " + o.error() + ")")));
        tickers.forEach((ticker, o) -> {
            if (o.status() == RunStatus.FAILED) {
                lines.add("  FAILED " + ticker + ": " + o.error());
            }
        });
        if (!dataQuality.isEmpty()) {
            // Most severe first: "data quality: 1 ERROR (INVALID_BAR 1), 3 WARN (PRICE_JUMP 2, ZERO_VOLUME 1)".
            List<String> parts = new ArrayList<>();
            for (int s = Severity.values().length - 1; s >= 0; s--) {
                Severity severity = Severity.values()[s];
                long total = 0;
                List<String> checks = new ArrayList<>();
                for (Map.Entry<String, CheckCount> e : dataQuality.entrySet()) {
                    if (e.getValue().severity() == severity) {
                        total += e.getValue().count();
                        checks.add(e.getKey() + " " + e.getValue().count());
                    }
                }
                if (total > 0) {
                    parts.add(total + " " + severity + " (" + String.join(", ", checks) + ")");
                }
            }
            lines.add("  data quality: " + String.join(", ", parts));
        }
        if (error != null) {
            lines.add("  error: " + error);
        }
        return String.join(System.lineSeparator(), lines);
    }

    /** Whether {@link #status()} is over. */
    @JsonIgnore
    public boolean finished() {
        return status != null && status.finished();
    }
}
