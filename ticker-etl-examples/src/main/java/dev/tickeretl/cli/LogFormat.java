package dev.tickeretl.cli;

/** How log lines look on standard error. */
enum LogFormat {
    /** One readable line per event: ISO-8601 UTC time, level, logger, message. */
    PLAIN,
    /** One JSON object per line (JSON Lines), with the run id, ticker and event fields as fields. */
    JSON
}
