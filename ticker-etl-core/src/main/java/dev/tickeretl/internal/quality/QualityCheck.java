package dev.tickeretl.internal.quality;

import dev.tickeretl.Severity;

/**
 * The one vocabulary of findings: the {@code kind} of a run record's warnings, the check name {@code ticker-etl check}
 * prints, and the {@code check} tag of {@value #METRIC}. Each has a fixed severity, so alert rules can key on it.
 * The names are stable codes: never rename one.
 */
public enum QualityCheck {

    // -------------------------------------------------------------------- bars, as a run ingests them
    /** OHLC sanity as the transformer enforces it: NaN, negative, high below low, a field missing. Not stored. */
    INVALID_BAR(Severity.ERROR, "a bar breaks the contract (NaN, negative value, high < low, missing field)"),
    /** OHLC sanity of a storable bar: the open or close lies outside [low, high]. Stored. */
    OHLC_RANGE(Severity.WARN, "open or close outside [low, high]"),
    ZERO_VOLUME(Severity.WARN, "a bar with volume 0"),
    PRICE_JUMP(Severity.WARN, "close-to-close log return beyond k standard deviations of the recent returns"),
    VOLUME_SPIKE(Severity.INFO, "volume above m times the median volume of the recent sessions"),
    MISSING_TRADING_DAY(Severity.WARN, "an NYSE trading day without a bar between two days that have one"),
    STALE_TICKER(Severity.WARN, "no bar in the last N sessions up to the end of the range"),
    NO_BARS(Severity.WARN, "no bar on any trading day of the range (unknown, delisted or mistyped symbol)"),
    NON_TRADING_DAY_BAR(Severity.WARN, "a day bar on a day the NYSE was closed"),
    MISSING_PREVIOUS_BAR(Severity.INFO, "tagged Neutral: the previous session has no bar (the gap itself is "
            + "MISSING_TRADING_DAY)"),
    NO_PREVIOUS_BAR(Severity.INFO, "tagged Neutral: the ticker's first bar"),
    MINUTE_GAP(Severity.WARN, "a regular-session minute the source has and the store lacks"),
    SESSION_MINUTES_WITHOUT_BAR(Severity.INFO, "regular-session minutes without a stored bar (a minute without "
            + "trades has none; compare with the source to tell gaps apart)"),

    // -------------------------------------------------------------------- the store's invariants
    DUPLICATE_KEY(Severity.ERROR, "a key (ticker, timespan, start_ms) stored twice"),
    FOREIGN_LINE(Severity.ERROR, "a line of another ticker, timespan, dataset or period in a partition"),
    INVALID_JSON(Severity.ERROR, "a line that is not JSON"),
    NOT_A_BAR(Severity.ERROR, "a JSON line that is not a data-contract bar"),
    SCHEMA_VERSION(Severity.ERROR, "a schema_version this library does not write"),
    TIME_FIELDS(Severity.ERROR, "trading_date, start_et or start_utc disagree with start_ms"),
    LINE_ORDER(Severity.ERROR, "lines not in start_ms order"),
    STALE_PRIOR_VOLUME(Severity.ERROR, "prior_volume is not the stored volume of the previous session"),
    WRONG_PHASE(Severity.ERROR, "phase is not the tagger's rule applied to the stored bars"),
    NON_CANONICAL_LINE(Severity.INFO, "a line whose bytes differ from what the library writes for the same bar"),
    UNEXPECTED_FILE(Severity.WARN, "a file in a bar dataset that is not a partition of the layout"),
    OFFSETS_UNREADABLE(Severity.ERROR, "an offsets file that cannot be read"),
    COVERAGE_MALFORMED(Severity.ERROR, "coverage spans reversed, overlapping or out of order"),
    COVERED_WITHOUT_BAR(Severity.WARN, "a trading day between stored bars that coverage says upstream answered "
            + "(settled), with no bar: an incremental run never asks for it again"),
    RUN_RECORD_UNREADABLE(Severity.WARN, "a run record that cannot be read"),
    REPAIRED_PARTITION(Severity.INFO, "a run rewrote a partition without its duplicate or foreign lines"),

    // -------------------------------------------------------------------- the run itself
    NO_TRADING_DAYS(Severity.INFO, "the range has no NYSE trading day"),
    UNEXPECTED_PARTITION(Severity.WARN, "the source sent bars of a partition the run did not ask for"),
    SOURCE_WARNING(Severity.WARN, "the source reported something (e.g. Polygon answered DELAYED)"),
    WRITE_FAILED(Severity.ERROR, "a partition write failed (a stream retries it)"),
    WARNINGS_DROPPED(Severity.INFO, "more warnings than a run record lists; all are counted");

    /** The counter every finding is reported to, tagged {@code check} and {@code severity}. */
    public static final String METRIC = dev.tickeretl.spi.Metrics.DATA_QUALITY_ISSUES;

    private final Severity severity;
    private final String meaning;

    QualityCheck(Severity severity, String meaning) {
        this.severity = severity;
        this.meaning = meaning;
    }

    public Severity severity() {
        return severity;
    }

    /** One line: what a finding of this check means. */
    public String meaning() {
        return meaning;
    }

    /** The severity of a warning kind; a kind this library does not know (an older or newer writer's) is WARN. */
    public static Severity severityOf(String kind) {
        if (kind != null) {
            for (QualityCheck c : values()) {
                if (c.name().equals(kind)) {
                    return c.severity;
                }
            }
        }
        return Severity.WARN;
    }
}
