package dev.tickeretl;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@link Store#check} found: each finding with its store path and 1-based line where it has one, and every
 * finding counted by check (at most {@link StoreCheck#listedPerCheck()} per check are listed).
 *
 * @param store       the store's URI
 * @param phaseTagger the tagger phases were checked against, and why that one
 * @param files       partition, segment, offsets and run files read
 * @param lines       bar lines read
 * @param counts      every finding by check, listed or not
 * @param findings    the findings, in store order (dataset, ticker, file, line)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"store", "phase_tagger", "files", "lines", "counts", "findings"})
public record CheckReport(
        @JsonProperty("store") String store,
        @JsonProperty("phase_tagger") String phaseTagger,
        @JsonProperty("files") long files,
        @JsonProperty("lines") long lines,
        @JsonProperty("counts") Map<String, RunRecord.CheckCount> counts,
        @JsonProperty("findings") List<Finding> findings) {

    public CheckReport {
        counts = Collections.unmodifiableMap(new TreeMap<>(counts));
        findings = List.copyOf(findings);
    }

    /**
     * One finding.
     *
     * @param check       the check's stable name (the same vocabulary as a run record's warning kinds)
     * @param severity    that check's severity
     * @param file        the store path it concerns (e.g. {@code bars/timespan=day/ticker=AAPL/year=2025/bars.jsonl}),
     *                    or null
     * @param line        the 1-based line in {@code file}, or null
     * @param ticker      the ticker, or null
     * @param tradingDate the trading date, or null
     * @param message     what is wrong, in words
     */
    @JsonPropertyOrder({"check", "severity", "file", "line", "ticker", "trading_date", "message"})
    public record Finding(
            @JsonProperty("check") String check,
            @JsonProperty("severity") Severity severity,
            @JsonProperty("file") String file,
            @JsonProperty("line") Integer line,
            @JsonProperty("ticker") String ticker,
            @JsonProperty("trading_date") LocalDate tradingDate,
            @JsonProperty("message") String message) {

        /** {@code file:line: SEVERITY CHECK ticker date: message}, as compilers print, so editors can jump there. */
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(file == null ? "-" : file);
            if (line != null) {
                s.append(':').append(line);
            }
            s.append(": ").append(severity).append(' ').append(check);
            if (ticker != null) {
                s.append(' ').append(ticker);
            }
            if (tradingDate != null) {
                s.append(' ').append(tradingDate);
            }
            return s.append(": ").append(message).toString();
        }
    }

    /** How many findings had this severity, listed or not. */
    public long count(Severity severity) {
        return counts.values().stream().filter(c -> c.severity() == severity).mapToLong(RunRecord.CheckCount::count)
                .sum();
    }

    /** Whether nothing at all was found. */
    @JsonIgnore
    public boolean clean() {
        return counts.isEmpty();
    }

    /** Whether the store has a problem: an ERROR finding, or with {@code strict} also a WARN one. */
    public boolean hasProblems(boolean strict) {
        return count(Severity.ERROR) > 0 || strict && count(Severity.WARN) > 0;
    }

    /** The report as one JSON object (the findings' fields as above, snake_case). */
    public String toJson() {
        return dev.tickeretl.internal.JsonCodec.toJsonText(this);
    }

    /** One line: what was checked and what was found. */
    public String summary() {
        String found = clean() ? "clean" : count(Severity.ERROR) + " errors, " + count(Severity.WARN)
                + " warnings, " + count(Severity.INFO) + " notes";
        int unlisted = (int) (counts.values().stream().mapToLong(RunRecord.CheckCount::count).sum()
                - findings.size());
        return "check " + store + ": " + files + " files, " + lines + " lines, phases by " + phaseTagger + ": "
                + found + (unlisted > 0 ? " (" + unlisted + " not listed)" : "");
    }
}
