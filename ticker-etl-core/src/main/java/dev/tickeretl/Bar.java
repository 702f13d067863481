package dev.tickeretl;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * One stored aggregate bar: the data contract (schema_version 1, see docs/data-contract.md). Day bars carry the
 * phase and the previous session's volume; minute bars carry neither ({@code phase} and {@code prior_volume} null).
 *
 * <p>The key is (ticker, timespan, startMs). Property names are explicit so that a Java rename never changes
 * the files. Prices and volume are doubles because Polygon sends JSON numbers (volume may carry a fraction).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"ticker", "timespan", "trading_date", "start_ms", "start_et", "start_utc", "open", "high", "low",
        "close", "volume", "vwap", "transactions", "adjusted", "prior_volume", "phase", "schema_version"})
public record Bar(
        @JsonProperty("ticker") String ticker,
        @JsonProperty("timespan") Timespan timespan,
        @JsonProperty("trading_date") LocalDate tradingDate,
        @JsonProperty("start_ms") long startMs,
        @JsonProperty("start_et") OffsetDateTime startEt,
        @JsonProperty("start_utc") Instant startUtc,
        @JsonProperty("open") double open,
        @JsonProperty("high") double high,
        @JsonProperty("low") double low,
        @JsonProperty("close") double close,
        @JsonProperty("volume") double volume,
        @JsonProperty("vwap") Double vwap,
        @JsonProperty("transactions") Long transactions,
        @JsonProperty("adjusted") boolean adjusted,
        @JsonProperty("prior_volume") Double priorVolume,
        @JsonProperty("phase") Phase phase,
        @JsonProperty("schema_version") int schemaVersion) {

    /** The schema version this library writes. */
    public static final int SCHEMA_VERSION = 1;

    public Bar {
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(timespan, "timespan");
        Objects.requireNonNull(tradingDate, "trading_date");
        Objects.requireNonNull(startEt, "start_et");
        Objects.requireNonNull(startUtc, "start_utc");
    }

    /** The identity of this bar in every store: re-ingesting the same key replaces, never duplicates. */
    public BarKey key() {
        return new BarKey(ticker, timespan, startMs);
    }

    /** This bar's data-contract JSON line (no newline): the bytes a store writes for it. */
    public String toJson() {
        return dev.tickeretl.internal.JsonCodec.toJson(this);
    }

    /**
     * Parses one data-contract JSON line.
     *
     * @throws IllegalArgumentException when the line is not a data-contract bar
     */
    public static Bar parse(String line) {
        try {
            return dev.tickeretl.internal.JsonCodec.parseBar(line);
        } catch (java.io.UncheckedIOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** A copy carrying the given phase and the volume it was compared with. */
    public Bar withPhase(Phase newPhase, Double newPriorVolume) {
        return new Bar(ticker, timespan, tradingDate, startMs, startEt, startUtc, open, high, low, close, volume,
                vwap, transactions, adjusted, newPriorVolume, newPhase, schemaVersion);
    }
}
