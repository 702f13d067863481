package dev.tickeretl.storage.fs;

import dev.tickeretl.StoreException;
import dev.tickeretl.spi.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Storage in one directory. Every file is replaced whole, by writing a temp file next to it, syncing it and
 * renaming it over the old one, so readers (which take no lock) see either the old or the new file, never a mix.
 * Writers of a file serialise on a {@link PartitionLock} (threads and processes alike); while holding it they also
 * remove temp files an interrupted writer of that file left behind. Temp and lock files start with '.' and are
 * never listed. Instances hold no open resources and are safe to share between threads.
 */
final class FileStorage implements Storage {

    private static final Logger LOG = LoggerFactory.getLogger(FileStorage.class);

    /** Temp files start with '.' and end with ".tmp": hidden from people and from query globs like *.jsonl. */
    private static final String TEMP_SUFFIX = ".tmp";
    private static final String LOCK_SUFFIX = ".lock";
    /**
     * A temp file of a {@link #create}d name this old was left by a writer that died before its rename: nobody takes
     * this long to write one file, and nobody else would ever remove it (the name was never published).
     */
    static final Duration STALE_TEMP_AGE = Duration.ofMinutes(15);

    private final URI uri;
    private final Path root;
    private final boolean readOnly;
    /** Directories whose stale temp files this instance has swept: once each, at its first create there. */
    private final Set<Path> swept = ConcurrentHashMap.newKeySet();

    FileStorage(URI uri, Path root, boolean readOnly) {
        this.uri = uri;
        this.root = root;
        this.readOnly = readOnly;
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
    public Optional<byte[]> read(String path) {
        Path file = resolve(path);
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failure("cannot read " + file, e);
        }
    }

    @Override
    public List<String> list(String prefix) {
        int slash = prefix.lastIndexOf('/');
        Path start = slash < 0 ? root : resolve(prefix.substring(0, slash));
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        List<String> paths = new ArrayList<>();
        try {
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return !dir.equals(start) && hidden(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && !hidden(file)) {
                        String relative = relative(file);
                        if (relative.startsWith(prefix)) {
                            paths.add(relative);
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE; // removed while we looked
                    }
                    throw e;
                }
            });
        } catch (IOException e) {
            throw failure("cannot list " + start, e);
        }
        Collections.sort(paths);
        return paths;
    }

    @Override
    public void put(String path, byte[] bytes) {
        update(path, old -> bytes);
    }

    @Override
    public boolean update(String path, UnaryOperator<byte[]> change) {
        Path file = resolve(path);
        checkWritable(file);
        Path dir = file.getParent();
        String name = file.getFileName().toString();
        try {
            boolean newDirectory = createDirectories(dir);
            try (PartitionLock lock = PartitionLock.acquire(dir.resolve("." + name + LOCK_SUFFIX))) {
                removeTempDebris(dir, name);
                byte[] old;
                try {
                    old = Files.readAllBytes(file);
                } catch (NoSuchFileException e) {
                    old = null;
                }
                byte[] replacement = change.apply(old);
                if (replacement == null || replacement == old || Arrays.equals(replacement, old)) {
                    return false;
                }
                replaceAtomically(file, replacement);
            }
            if (newDirectory) {
                syncAncestors(dir);
            }
            return true;
        } catch (IOException e) {
            throw failure("cannot write " + file, e);
        } catch (UncheckedIOException e) {
            throw failure("cannot write " + file, e.getCause());
        }
    }

    /**
     * Temp file, fsync, rename, like {@link #put}, but without the file's lock: the name is this writer's alone and
     * never updated, and a lock file per segment would pile up (thousands a day) and slow every listing.
     */
    @Override
    public void create(String path, byte[] bytes) {
        Path file = resolve(path);
        checkWritable(file);
        Path dir = file.getParent();
        try {
            boolean newDirectory = createDirectories(dir);
            if (swept.add(dir)) {
                removeStaleTemps(dir);
            }
            replaceAtomically(file, bytes);
            if (newDirectory) {
                syncAncestors(dir);
            }
        } catch (IOException e) {
            throw failure("cannot write " + file, e);
        } catch (UncheckedIOException e) {
            throw failure("cannot write " + file, e.getCause());
        }
    }

    @Override
    public void delete(String path) {
        Path file = resolve(path);
        checkWritable(file);
        Path dir = file.getParent();
        if (!Files.isDirectory(dir)) {
            return;
        }
        Path lockFile = dir.resolve("." + file.getFileName() + LOCK_SUFFIX);
        // Every put or update of a name creates its lock file first; a name without one was made by create, which
        // nobody updates: delete it without making a lock file that would outlive it.
        if (!Files.exists(lockFile)) {
            try {
                Files.deleteIfExists(file);
                return;
            } catch (IOException e) {
                throw failure("cannot delete " + file, e);
            }
        }
        // Under the file's lock: an update that read the old content must not publish it after this delete.
        try (PartitionLock lock = PartitionLock.acquire(lockFile)) {
            Files.deleteIfExists(file);
        } catch (NoSuchFileException e) {
            // The directory went away meanwhile: nothing to delete.
        } catch (IOException e) {
            throw failure("cannot delete " + file, e);
        }
    }

    @Override
    public void close() {
        // Nothing is held between calls.
    }

    @Override
    public String toString() {
        return "FileStorage[" + root + (readOnly ? ", read-only" : "") + "]";
    }

    /** The file at a relative store path; a path that could leave the root is a bug, never user input. */
    private Path resolve(String path) {
        if (path.startsWith("/") || path.contains("\\") || Arrays.asList(path.split("/")).contains("..")) {
            throw new IllegalArgumentException("not a relative store path: " + path);
        }
        return root.resolve(path);
    }

    private String relative(Path file) {
        return root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
    }

    private static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    private void checkWritable(Path file) {
        if (readOnly) {
            throw new StoreException("store " + uri + " is opened read-only: cannot write " + file);
        }
    }

    private StoreException failure(String what, IOException e) {
        return new StoreException("store " + uri + ": " + what + ": " + FileStoreProvider.describe(e), e);
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
     * directories the parents up to the root are synced too, or a power cut could lose a file we reported written.
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
     * Removes temp files of an interrupted write of {@code fileName} in {@code dir}. Only safe while holding the
     * file's lock, which every writer of it takes.
     */
    private static void removeTempDebris(Path dir, String fileName) throws IOException {
        String prefix = "." + fileName + ".";
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

    /**
     * Removes the temp files in {@code dir} older than {@link #STALE_TEMP_AGE}: what processes killed mid-create left.
     * Best effort: a file that cannot be read or removed stays, and the write goes on.
     */
    private static void removeStaleTemps(Path dir) {
        Instant staleBefore = Instant.now().minus(STALE_TEMP_AGE);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, p -> {
            String n = p.getFileName().toString();
            return n.startsWith(".") && n.endsWith(TEMP_SUFFIX);
        })) {
            for (Path temp : entries) {
                try {
                    boolean stale = Files.getLastModifiedTime(temp).toInstant().isBefore(staleBefore);
                    if (stale && Files.deleteIfExists(temp)) {
                        LOG.info("Removed {} left by an interrupted write", temp);
                    }
                } catch (NoSuchFileException e) {
                    // Renamed or removed meanwhile.
                } catch (IOException e) {
                    LOG.warn("Cannot remove temp file {}: {}", temp, e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot look for temp files left in {}: {}", dir, e.getMessage());
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Cannot remove temp file {}: {}", file, e.getMessage());
        }
    }
}
