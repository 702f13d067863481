package dev.tickeretl.storage.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive right to rewrite one partition (or the run records), across threads and processes.
 *
 * <p>Two layers, because an OS file lock is held per process: a second {@code FileChannel.lock} on the same file
 * from the same JVM throws {@code OverlappingFileLockException} instead of waiting. So threads first queue on an
 * in-JVM lock shared by every store instance (keyed by the lock file's real path), and the one that gets it takes
 * the OS lock that other processes wait on. The lock file itself is kept: deleting it would let a waiter lock an
 * unlinked file while a newcomer locks a fresh one.
 */
final class PartitionLock implements AutoCloseable {

    private static final Map<Path, Entry> IN_JVM = new HashMap<>();

    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        int users;
    }

    private final Path key;
    private final Entry entry;
    private final FileChannel channel;
    private final FileLock osLock;

    private PartitionLock(Path key, Entry entry, FileChannel channel, FileLock osLock) {
        this.key = key;
        this.entry = entry;
        this.channel = channel;
        this.osLock = osLock;
    }

    /**
     * Blocks until this thread holds the lock on {@code lockFile} (created if missing). The file's directory must
     * exist.
     */
    static PartitionLock acquire(Path lockFile) throws IOException {
        Path key = lockFile.getParent().toRealPath().resolve(lockFile.getFileName());
        Entry entry;
        synchronized (IN_JVM) {
            entry = IN_JVM.computeIfAbsent(key, k -> new Entry());
            entry.users++;
        }
        entry.lock.lock();
        FileChannel channel = null;
        try {
            channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock osLock = channel.lock();
            return new PartitionLock(key, entry, channel, osLock);
        } catch (IOException | RuntimeException | Error e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            release(key, entry);
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            try {
                osLock.release();
            } finally {
                channel.close();
            }
        } finally {
            release(key, entry);
        }
    }

    private static void release(Path key, Entry entry) {
        entry.lock.unlock();
        synchronized (IN_JVM) {
            // Forget idle entries so a long-running stream over many minute partitions does not grow the map.
            if (--entry.users == 0) {
                IN_JVM.remove(key);
            }
        }
    }
}
