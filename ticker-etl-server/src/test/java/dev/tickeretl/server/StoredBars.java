package dev.tickeretl.server;

import dev.tickeretl.Bar;
import dev.tickeretl.internal.PartitionFile;
import dev.tickeretl.internal.Providers;
import dev.tickeretl.internal.StoreLayout;
import dev.tickeretl.spi.ProviderContext;
import dev.tickeretl.spi.Storage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Puts bars into a store's partitions exactly as given (merged by key with what is there), without the core's
 * tagging: for tests of the server, which only reads, so they can hold any phase, prior volume or value shape and
 * compare answers with the very bars they stored. Tests about what an ingest stores write through the core instead.
 */
final class StoredBars {

    private StoredBars() {
    }

    /** The file storage at {@code dir}, opened for writing through its provider as the core opens it. */
    static Storage fileStorage(Path dir) {
        return Providers.store(dir.toUri()).open(dir.toUri(), ProviderContext.of(Map.of()),
                Storage.Access.READ_WRITE);
    }

    /** Writes {@code bars} into the file store at {@code dir}. */
    static void put(Path dir, Collection<Bar> bars) {
        try (Storage storage = fileStorage(dir)) {
            put(storage, bars);
        }
    }

    /** Writes {@code bars} into their partitions: a bar replaces the stored one of its key, the rest stay. */
    static void put(Storage storage, Collection<Bar> bars) {
        for (Map.Entry<String, List<Bar>> partition : StoreLayout.byPartition(bars).entrySet()) {
            String path = partition.getKey();
            storage.update(path, old -> {
                TreeMap<Long, Bar> merged = new TreeMap<>();
                for (Bar b : PartitionFile.decode(storage.uri().toString(), path, old).bars()) {
                    merged.put(b.startMs(), b);
                }
                for (Bar b : partition.getValue()) {
                    merged.put(b.startMs(), b);
                }
                byte[] encoded = PartitionFile.encode(merged.values());
                return old != null && Arrays.equals(old, encoded) ? old : encoded;
            });
        }
    }
}
