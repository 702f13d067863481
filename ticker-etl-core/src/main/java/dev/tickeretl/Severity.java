package dev.tickeretl;

/**
 * How much a data-quality or store finding matters. Every named check has one fixed severity (docs/data-contract.md
 * lists them), so an alert rule can key on it: {@code ERROR} means stored data breaks the contract or a bar was lost,
 * {@code WARN} that the data is suspect and worth a look, {@code INFO} that something unusual is worth knowing.
 */
public enum Severity {
    /** Unusual but expected to happen in real markets (a volume spike, a bar tagged without a previous session). */
    INFO,
    /** Suspect data: a gap, a stale ticker, a price jump, a zero-volume day. */
    WARN,
    /** Broken data or a broken store invariant: an invalid bar, a duplicate key, a stale {@code prior_volume}. */
    ERROR
}
