package dev.tickeretl.spi;

import java.util.Map;

/**
 * Where a source has got to, in its own terms (e.g. {@code {"ticker":"AAPL","through":"2025-01-31"}} or a stream's
 * last minute). The pipeline hands it back through {@link Source#commit} only after the sink has durably written
 * every record before it: at-least-once delivery plus idempotent keyed writes gives effectively-once results.
 */
public record SourceOffset(Map<String, String> position) {
    public static final SourceOffset NONE = new SourceOffset(Map.of());

    public SourceOffset {
        position = Map.copyOf(position);
    }
}
