package dev.tickeretl.storage.fs;

import dev.tickeretl.Bar;
import dev.tickeretl.TradingCalendar;
import dev.tickeretl.internal.BriefPhaseTagger;
import dev.tickeretl.internal.DataStore;
import dev.tickeretl.internal.DataStore.WriteOutcome;
import dev.tickeretl.spi.ProviderContext;
import dev.tickeretl.spi.Storage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** File stores the way the core opens them, and writes of mixed bars as the pipeline makes them. */
final class TestStores {

    private TestStores() {
    }

    /** The file storage at {@code root}, opened through the provider. */
    static FileStorage storage(Path root, Storage.Access access) {
        return (FileStorage) new FileStoreProvider().open(root.toUri(), ProviderContext.of(Map.of()), access);
    }

    /** The store the core builds on the file storage at {@code root}, opened for writing. */
    static DataStore open(Path root) {
        return new DataStore(storage(root, Storage.Access.READ_WRITE), TradingCalendar.nyse());
    }

    /** The same, read-only. */
    static DataStore openReadOnly(Path root) {
        return new DataStore(storage(root, Storage.Access.READ_ONLY), TradingCalendar.nyse());
    }

    /** What {@link #write} did, summed over the datasets it touched. */
    record Written(long inserted, long updated, long unchanged, long filesWritten) {
    }

    /**
     * Writes bars of any tickers, timespans and price bases: one {@link DataStore#write} per ticker and dataset, as
     * the pipeline flushes them, with the brief's phase tagger.
     */
    static Written write(DataStore store, List<Bar> bars) {
        Map<String, List<Bar>> byDataset = new LinkedHashMap<>();
        for (Bar b : bars) {
            byDataset.computeIfAbsent(b.ticker() + " " + b.timespan() + " " + b.adjusted(), k -> new ArrayList<>())
                    .add(b);
        }
        long inserted = 0;
        long updated = 0;
        long unchanged = 0;
        long files = 0;
        for (List<Bar> group : byDataset.values()) {
            Bar first = group.get(0);
            WriteOutcome o = store.write(first.ticker(), first.timespan(), first.adjusted(), group,
                    new BriefPhaseTagger());
            inserted += o.inserted();
            updated += o.updated();
            unchanged += o.unchanged();
            files += o.filesWritten();
        }
        return new Written(inserted, updated, unchanged, files);
    }
}
