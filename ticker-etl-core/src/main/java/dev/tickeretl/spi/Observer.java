package dev.tickeretl.spi;

import java.time.Duration;

/**
 * Where the pipeline and its providers report what they measure, so that a metrics binding (e.g. the
 * {@code ticker-etl-metrics} module over Micrometer) can export it without the core depending on a metrics
 * library. Names follow Prometheus conventions with the {@code ticker_etl_} prefix and base units (seconds,
 * bytes); {@code tags} are key, value pairs. Every name, with its kind, unit and tags, is a constant of
 * {@link Metrics}: use those, never a literal. Implementations must be thread-safe and fast: these are called on hot
 * paths. The default, {@link #NONE}, drops everything.
 */
public interface Observer {

    /** Drops everything. */
    Observer NONE = new Observer() {
    };

    /** Adds {@code amount} to the counter {@code name} (e.g. {@code ticker_etl_bars_written}). */
    default void count(String name, long amount, String... tags) {
    }

    /** Sets the gauge {@code name} to {@code value} (e.g. {@code ticker_etl_stream_connected} 1 or 0). */
    default void gauge(String name, double value, String... tags) {
    }

    /** Records one duration in the timer/histogram {@code name} (e.g. {@code ticker_etl_request_duration}). */
    default void time(String name, Duration duration, String... tags) {
    }

    /** Records one amount in the distribution {@code name} (e.g. {@code ticker_etl_partition_write_bytes}). */
    default void record(String name, double amount, String... tags) {
    }
}
