package dev.tickeretl.spi;

import java.util.Map;

/**
 * Where a source has got to within one {@link SourcePartition}, in its own terms (e.g. {@code {"through":
 * "2025-01-31"}} for a backfill, or a stream's last minute). The framework stores it in the store's offset file
 * after every bar before it is durable, and hands it back through {@link OffsetReader} when a source starts again.
 *
 * <p>{@value #COMPLETE_THROUGH} is the one key the framework reads itself: a stream's watermark, "every minute up
 * to and including this epoch-ms start is stored at its final revision or known to have no trades".
 */
public record SourceOffset(Map<String, String> position) {

    /** The watermark key: an epoch-ms window start. */
    public static final String COMPLETE_THROUGH = "complete_through";

    public static final SourceOffset NONE = new SourceOffset(Map.of());

    public SourceOffset {
        position = Map.copyOf(position);
    }

    /** The value of {@code key}, or null. */
    public String get(String key) {
        return position.get(key);
    }
}
