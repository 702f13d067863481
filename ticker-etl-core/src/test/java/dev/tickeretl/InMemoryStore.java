package dev.tickeretl;

import dev.tickeretl.spi.BarStore;
import dev.tickeretl.spi.PartitionMerge;
import dev.tickeretl.spi.StoreLayout;
import dev.tickeretl.spi.WriteResult;
import java.net.URI;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A store of encoded partitions in a map, merging exactly as the real stores do; can fail on demand. */
final class InMemoryStore implements BarStore {

    final Map<String, byte[]> partitions = new HashMap<>();
    final Map<String, RunRecord> runs = new LinkedHashMap<>();
    final List<RunStatus> runStatusesPut = new ArrayList<>();
    long partitionWrites;
    private String failWritesOf;
    private long writeDelayMs;
    /** Optional: told of each finished write, with the tickers it held. */
    java.util.function.Consumer<java.util.Set<String>> onWritten = tickers -> { };

    /** Makes every write take this long, like a slow disk or a distant bucket. */
    void writeDelay(long ms) {
        this.writeDelayMs = ms;
    }

    /** Makes every later write that touches {@code ticker} throw, as a full disk would. */
    void failWritesOf(String ticker) {
        this.failWritesOf = ticker;
    }

    @Override
    public WriteResult write(List<Bar> bars) {
        if (writeDelayMs > 0) {
            try {
                Thread.sleep(writeDelayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted");
            }
        }
        WriteResult result = merge(bars);
        onWritten.accept(bars.stream().map(Bar::ticker).collect(java.util.stream.Collectors.toSet()));
        return result;
    }

    private synchronized WriteResult merge(List<Bar> bars) {
        for (Bar b : bars) {
            if (b.ticker().equals(failWritesOf)) {
                throw new StoreException("disk full writing " + StoreLayout.partitionOf(b));
            }
        }
        WriteResult total = WriteResult.EMPTY;
        for (var e : StoreLayout.byPartition(bars).entrySet()) {
            byte[] old = partitions.get(e.getKey());
            PartitionMerge.Result merged = PartitionMerge.merge(old == null ? List.of() : PartitionMerge.decode(old),
                    e.getValue());
            if (merged.changed()) {
                byte[] bytes = PartitionMerge.encode(merged.bars());
                partitions.put(e.getKey(), bytes);
                partitionWrites++;
                total = total.plus(merged.toWriteResult(1, bytes.length));
            } else {
                total = total.plus(merged.toWriteResult(0, 0));
            }
        }
        return total;
    }

    @Override
    public synchronized void putRun(RunRecord run) {
        runs.put(run.runId(), run);
        runStatusesPut.add(run.status());
    }

    @Override
    public synchronized List<Bar> read(String ticker, Timespan timespan, LocalDate from, LocalDate to) {
        return StoreLayout.read(ticker, timespan, from, to, path -> {
            byte[] bytes = partitions.get(path);
            return bytes == null ? List.of() : PartitionMerge.decode(bytes);
        });
    }

    @Override
    public synchronized List<RunRecord> runs() {
        List<RunRecord> all = new ArrayList<>(runs.values());
        all.sort(RunRecord.NEWEST_FIRST);
        return all;
    }

    @Override
    public URI uri() {
        return URI.create("memory:test");
    }

    @Override
    public void close() {
    }
}
