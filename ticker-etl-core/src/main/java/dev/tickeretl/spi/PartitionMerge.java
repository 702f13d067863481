package dev.tickeretl.spi;

import dev.tickeretl.Bar;
import dev.tickeretl.internal.AsciiBuffer;
import dev.tickeretl.internal.BarLineParser;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * The keyed merge behind every store's idempotency: within one partition (one ticker and timespan), incoming bars
 * replace stored bars with the same {@code start_ms} when any value differs, are added when new, and are left
 * alone when identical. A partition whose merge {@link Result#changed() changed nothing} must not be rewritten.
 */
public final class PartitionMerge {

    private PartitionMerge() {
    }

    /** The merged partition, in time order, and what the merge did. */
    public record Result(List<Bar> bars, long inserted, long updated, long unchanged) {
        public boolean changed() {
            return inserted > 0 || updated > 0;
        }

        public WriteResult toWriteResult(long filesWritten, long bytesWritten) {
            return new WriteResult(inserted, updated, unchanged, filesWritten, bytesWritten);
        }
    }

    /** Merges {@code incoming} (one partition's bars, any order, last one wins per key) into {@code stored}. */
    public static Result merge(Collection<Bar> stored, Collection<Bar> incoming) {
        TreeMap<Long, Bar> byStart = new TreeMap<>();
        for (Bar b : stored) {
            byStart.put(b.startMs(), b);
        }
        TreeMap<Long, Bar> latestIncoming = new TreeMap<>();
        for (Bar b : incoming) {
            latestIncoming.put(b.startMs(), b);
        }
        long inserted = 0;
        long updated = 0;
        long unchanged = 0;
        for (Bar b : latestIncoming.values()) {
            Bar old = byStart.put(b.startMs(), b);
            if (old == null) {
                inserted++;
            } else if (old.equals(b)) {
                unchanged++;
            } else {
                updated++;
            }
        }
        return new Result(new ArrayList<>(byStart.values()), inserted, updated, unchanged);
    }

    /** A partition file's bytes: one data-contract JSON object per line, in the given order. */
    public static byte[] encode(List<Bar> bars) {
        AsciiBuffer out = new AsciiBuffer(bars.size() * JsonCodec.LINE_CAPACITY);
        for (Bar b : bars) {
            JsonCodec.appendJson(b, out);
            out.ascii('\n');
        }
        return out.toByteArray();
    }

    /** Parses a partition file; blank lines are skipped. Lines in our writer's shape skip Jackson (same result). */
    public static List<Bar> decode(byte[] jsonLines) {
        return BarLineParser.parseLines(jsonLines, JsonCodec::parseBar);
    }
}
