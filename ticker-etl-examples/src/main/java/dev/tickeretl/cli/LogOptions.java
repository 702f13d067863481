package dev.tickeretl.cli;

import picocli.CommandLine.Option;

/** {@code --log-format}; a mixin for every command that runs the pipeline. */
final class LogOptions {

    @Option(names = "--log-format", paramLabel = "plain|json", defaultValue = "plain",
            description = "Log lines on standard error: plain (ISO-8601 UTC time, level, logger, message) or json "
                    + "(one JSON object per line with run_id, ticker and event fields; progress is logged too). "
                    + "Level: TICKER_ETL_LOG_LEVEL (default warn, json: info).")
    LogFormat format;
}
