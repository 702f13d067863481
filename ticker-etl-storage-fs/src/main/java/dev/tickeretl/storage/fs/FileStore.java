package dev.tickeretl.storage.fs;

import dev.tickeretl.Bar;
import dev.tickeretl.RunRecord;
import dev.tickeretl.StoreException;
import dev.tickeretl.Tickers;
import dev.tickeretl.Timespan;
import dev.tickeretl.spi.BarStore;
import dev.tickeretl.spi.JsonCodec;
import dev.tickeretl.spi.PartitionMerge;
import dev.tickeretl.spi.StoreLayout;
import dev.tickeretl.spi.WriteResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store in one directory. Every partition file is replaced whole, by writing a temp file next to it and renaming
 * it over the old one, so readers (which take no lock) see either the old or the new file, never a mix. Writers
 * serialise per partition with a {@link PartitionLock}; while holding it they also remove temp files an interrupted
 * writer left in that directory. Instances hold no open resources and are safe to share between threads.
 */
final class FileStore implements BarStore {

    private static final Logger LOG = LoggerFactory.getLogger(FileStore.class);

    /** Temp files start with '.' and end with ".tmp": hidden from people and from query globs like *.jsonl. */
    private static final String TEMP_SUFFIX = ".tmp";
    private static final String LOCK_SUFFIX = ".lock";
    private static final String RUNS_LOCK = ".runs" + LOCK_SUFFIX;

    private final URI uri;
    private final Path root;

    FileStore(URI uri, Path root) {
        this.uri = uri;
        this.root = root;
    }

    @Override
    public URI uri() {
        return uri;
    }

    /** The absolute directory this store lives in. */
    Path root() {
        return root;
    }

    @Override
    public WriteResult write(List<Bar> bars) {
        for (Bar bar : bars) {
            // The ticker becomes a directory name: refuse anything that could step outside the store.
            Tickers.requireValid(bar.ticker());
        }
        WriteResult total = WriteResult.EMPTY;
        for (Map.Entry<String, List<Bar>> partition : StoreLayout.byPartition(bars).entrySet()) {
            total = total.plus(writePartition(partition.getKey(), partition.getValue()));
        }
        return total;
    }

    private WriteResult writePartition(String partition, List<Bar> incoming) {
        Path file = root.resolve(partition);
        Path dir = file.getParent();
        String name = file.getFileName().toString();
        try {
            boolean newDirectory = createDirectories(dir);
            try (PartitionLock lock = PartitionLock.acquire(dir.resolve("." + name + LOCK_SUFFIX))) {
                removeTempDebris(dir, name);
                PartitionMerge.Result merged = PartitionMerge.merge(readPartition(file), incoming);
                if (!merged.changed()) {
                    return merged.toWriteResult(0, 0);
                }
                byte[] bytes = PartitionMerge.encode(merged.bars());
                replaceAtomically(file, bytes);
                if (newDirectory) {
                    syncAncestors(dir);
                }
                return merged.toWriteResult(1, bytes.length);
            }
        } catch (IOException e) {
            throw new StoreException("store " + uri + ": cannot write partition " + file + ": "
                    + FileStoreProvider.describe(e), e);
        }
    }

    @Override
    public void putRun(RunRecord run) {
        String runId = requireSafeRunId(run.runId());
        Path file = root.resolve(StoreLayout.runPath(runId));
        Path dir = file.getParent();
        try {
            boolean newDirectory = createDirectories(dir);
            // One lock for all run records: they are written twice per run, so contention is no concern, and it
            // makes removing a crashed writer's temp files safe.
            try (PartitionLock lock = PartitionLock.acquire(dir.resolve(RUNS_LOCK))) {
                removeTempDebris(dir, null);
                replaceAtomically(file, JsonCodec.toJson(run));
            }
            if (newDirectory) {
                syncAncestors(dir);
            }
        } catch (IOException e) {
            throw new StoreException("store " + uri + ": cannot write run record " + file + ": "
                    + FileStoreProvider.describe(e), e);
        }
    }

    @Override
    public List<Bar> read(String ticker, Timespan timespan, LocalDate from, LocalDate to) {
        Tickers.requireValid(ticker);
        return StoreLayout.read(ticker, timespan, from, to, partition -> {
            try {
                return readPartition(root.resolve(partition));
            } catch (IOException e) {
                throw new StoreException("store " + uri + ": cannot read partition " + root.resolve(partition)
                        + ": " + FileStoreProvider.describe(e), e);
            }
        });
    }

    @Override
    public List<RunRecord> runs() {
        Path dir = root.resolve(StoreLayout.RUNS);
        List<RunRecord> runs = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return runs;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "[!.]*.json")) {
            for (Path file : files) {
                try {
                    runs.add(JsonCodec.parseRun(Files.readAllBytes(file)));
                } catch (NoSuchFileException gone) {
                    // Deleted between listing and reading: not a run any more.
                } catch (IOException | UncheckedIOException e) {
                    LOG.warn("Skipping unreadable run record {}: {}", file, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new StoreException("store " + uri + ": cannot list run records in " + dir + ": "
                    + FileStoreProvider.describe(e), e);
        }
        runs.sort(RunRecord.NEWEST_FIRST);
        return runs;
    }

    @Override
    public void close() {
        // Nothing is held between calls.
    }

    @Override
    public String toString() {
        return "FileStore[" + root + "]";
    }

    /** The bars stored in one partition file; none when it does not exist. */
    private List<Bar> readPartition(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        try {
            return PartitionMerge.decode(bytes);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            // Never merge into (and so overwrite) a file we cannot understand: someone has to look at it.
            throw new StoreException("store " + uri + ": partition " + file + " is not data-contract JSON Lines: "
                    + e.getMessage(), e);
        }
    }

    /** Writes {@code bytes} to {@code file} so that a reader sees the old content or all of the new one. */
    private static void replaceAtomically(Path file, byte[] bytes) throws IOException {
        Path dir = file.getParent();
        Path temp = dir.resolve("." + file.getFileName() + "."
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + TEMP_SUFFIX);
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                // The data must be on disk before the rename makes it visible, or a power cut could publish an
                // empty file.
                out.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            deleteQuietly(temp);
            throw new IOException("the file system of " + dir + " cannot rename atomically", e);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp);
            throw e;
        }
        syncDirectory(dir);
    }

    /** Creates {@code dir} and its parents as needed; true when {@code dir} did not exist. */
    private static boolean createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return false;
        }
        Files.createDirectories(dir);
        return true;
    }

    /**
     * Makes new directories durable: a directory's entry lives in its parent, so after creating a partition's
     * directories the parents up to the root are synced too, or a power cut could lose a partition we reported
     * written.
     */
    private void syncAncestors(Path dir) {
        for (Path d = dir.getParent(); d != null && d.startsWith(root); d = d.getParent()) {
            syncDirectory(d);
        }
    }

    /** Makes the rename itself durable. Not every platform can open a directory for this, hence best effort. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            LOG.debug("Cannot fsync directory {}: {}", dir, e.getMessage());
        }
    }

    /**
     * Removes temp files of an interrupted write in {@code dir}: those of {@code fileName}, or of any file when
     * {@code fileName} is null. Only safe while holding the directory's lock, which every writer of it takes.
     */
    private static void removeTempDebris(Path dir, String fileName) throws IOException {
        String prefix = fileName == null ? "." : "." + fileName + ".";
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, p -> {
            String n = p.getFileName().toString();
            return n.startsWith(prefix) && n.endsWith(TEMP_SUFFIX);
        })) {
            for (Path debris : entries) {
                if (Files.deleteIfExists(debris)) {
                    LOG.info("Removed {} left by an interrupted write", debris);
                }
            }
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Cannot remove temp file {}: {}", file, e.getMessage());
        }
    }

    private static String requireSafeRunId(String runId) {
        if (runId == null || runId.isBlank() || runId.startsWith(".") || runId.contains("/")
                || runId.contains("\\") || runId.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("run_id: '" + runId + "' cannot be a file name");
        }
        return runId;
    }
}
