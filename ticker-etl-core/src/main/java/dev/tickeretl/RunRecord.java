package dev.tickeretl;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.tickeretl.spi.RequestStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metadata of one run, stored as {@code runs/<run_id>.json} and returned by {@link TickerEtl#run()}. Written
 * once as RUNNING when the run starts and replaced when it ends. Holds no secret.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"run_id", "status", "started_at", "finished_at", "duration_ms", "parameters", "totals",
        "requests", "tickers", "warnings", "error"})
public record RunRecord(
        @JsonProperty("run_id") String runId,
        @JsonProperty("status") RunStatus status,
        @JsonProperty("started_at") Instant startedAt,
        @JsonProperty("finished_at") Instant finishedAt,
        @JsonProperty("duration_ms") Long durationMs,
        @JsonProperty("parameters") RunParameters parameters,
        @JsonProperty("totals") Totals totals,
        @JsonProperty("requests") RequestStats requests,
        @JsonProperty("tickers") Map<String, TickerOutcome> tickers,
        @JsonProperty("warnings") List<DataQualityWarning> warnings,
        @JsonProperty("error") String error) {

    /** Newest first: run ids sort by start time, so descending id order is start order, latest first. */
    public static final java.util.Comparator<RunRecord> NEWEST_FIRST =
            java.util.Comparator.comparing(RunRecord::runId).reversed();

    public RunRecord {
        tickers = tickers == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tickers));
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        requests = requests == null ? RequestStats.NONE : requests;
    }

    /** What the run was asked to do. */
    @JsonPropertyOrder({"tickers", "from", "to", "timespan", "adjusted", "incremental", "source", "store",
            "phase_tagger"})
    public record RunParameters(
            @JsonProperty("tickers") List<String> tickers,
            @JsonProperty("from") java.time.LocalDate from,
            @JsonProperty("to") java.time.LocalDate to,
            @JsonProperty("timespan") Timespan timespan,
            @JsonProperty("adjusted") boolean adjusted,
            @JsonProperty("incremental") boolean incremental,
            @JsonProperty("source") String source,
            @JsonProperty("store") String store,
            @JsonProperty("phase_tagger") String phaseTagger) {
        public RunParameters {
            tickers = List.copyOf(tickers);
        }
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

    /** A data-quality finding that did not stop the run. {@code kind} is a stable code for alerting. */
    @JsonPropertyOrder({"kind", "ticker", "trading_date", "message"})
    public record DataQualityWarning(
            @JsonProperty("kind") String kind,
            @JsonProperty("ticker") String ticker,
            @JsonProperty("trading_date") java.time.LocalDate tradingDate,
            @JsonProperty("message") String message) {
    }

    /** A few readable lines: status, counts, requests, failures. */
    @Override
    public String toString() {
        List<String> lines = new ArrayList<>();
        Totals t = totals == null ? Totals.ZERO : totals;
        lines.add(String.format("run %s %s in %s ms", runId, status, durationMs == null ? "?" : durationMs));
        if (parameters != null) {
            lines.add(String.format("  %d tickers %s..%s (%s%s) from %s into %s", parameters.tickers().size(),
                    parameters.from(), parameters.to(), parameters.timespan().wireName(),
                    parameters.incremental() ? ", incremental" : "", parameters.source(), parameters.store()));
        }
        lines.add(String.format("  bars: %d fetched, %d written, %d updated, %d unchanged, %d invalid", t.fetched(),
                t.written(), t.updated(), t.unchanged(), t.invalid()));
        lines.add(String.format("  files written: %d (%d bytes); requests: %d (%d retries, %d rate-limited)",
                t.filesWritten(), t.bytesWritten(), requests.requests(), requests.retries(),
                requests.rateLimited()));
        tickers.forEach((ticker, o) -> {
            if (o.status() == RunStatus.FAILED) {
                lines.add("  FAILED " + ticker + ": " + o.error());
            }
        });
        if (!warnings.isEmpty()) {
            lines.add("  data-quality warnings: " + warnings.size());
        }
        if (error != null) {
            lines.add("  error: " + error);
        }
        return String.join(System.lineSeparator(), lines);
    }
}
