package dev.tickeretl.spi;

import java.util.Optional;

/** Committed offsets, read back at start (Kafka Connect's {@code OffsetStorageReader}). */
@FunctionalInterface
public interface OffsetReader {

    OffsetReader EMPTY = partition -> Optional.empty();

    /** The last offset committed for {@code partition}, if any. */
    Optional<SourceOffset> offset(SourcePartition partition);
}
