package dev.tickeretl.storage.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.FileLockInterruptionException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exclusive right to rewrite one partition (or the run records), across threads and processes.
 *
 * <p>Two layers, because an OS file lock is held per process: a second {@code FileChannel.lock} on the same file
 * from the same JVM throws {@code OverlappingFileLockException} instead of waiting. So threads first queue on an
 * in-JVM lock shared by every store instance (keyed by the lock file's real path), and the one that gets it takes
 * the OS lock that other processes wait on. The lock file itself is kept: deleting it would let a waiter lock an
 * unlinked file while a newcomer locks a fresh one.
 *
 * <p>The OS lock is taken with {@code tryLock} in a polling loop (exponential backoff with jitter), never with the
 * blocking {@code lock()}. Linux checks blocking POSIX record locks for deadlock per process, not per thread: while
 * one of our threads holds partition X and another waits for Y, held by a second process whose other thread waits
 * for X, the kernel sees a cycle between the two processes and fails a wait with EDEADLK ("Resource deadlock
 * avoided"), although each thread holds just one lock and the cycle would resolve itself. A non-blocking attempt
 * is never checked for deadlock. Retrying a blocking lock on EDEADLK would work too, but Java reports EDEADLK only
 * as a plain IOException's message text, which we would have to recognise.
 */
final class PartitionLock implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionLock.class);

    /**
     * Backoff between attempts on the OS lock: from about a partition write's time up to a bound that keeps the
     * hand-off latency small next to an fsync-bound write. Without a queue across processes a poller could in
     * theory keep missing the gap, but a partition is written a few times per run, not back to back for long.
     */
    private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** After this long, say once who we are waiting for: a hung process holding the lock stalls this writer. */
    private static final long REPORT_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

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
     * exist. An interrupt while waiting for another process ends the wait with
     * {@link FileLockInterruptionException}, the interrupt status set.
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
            FileLock osLock = lockAcrossProcesses(channel, key);
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

    private static FileLock lockAcrossProcesses(FileChannel channel, Path key) throws IOException {
        FileLock lock = channel.tryLock();
        if (lock != null) {
            return lock;
        }
        long started = System.nanoTime();
        long backoff = FIRST_BACKOFF_NANOS;
        boolean reported = false;
        while (true) {
            // Jitter in [backoff/2, backoff]: waiters that met on one lock do not retry in step.
            long nap = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
            try {
                TimeUnit.NANOSECONDS.sleep(nap);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FileLockInterruptionException();
            }
            lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
            backoff = Math.min(MAX_BACKOFF_NANOS, backoff * 2);
            if (!reported && System.nanoTime() - started > REPORT_WAIT_NANOS) {
                reported = true;
                LOG.info("Still waiting for {}: another process holds it", key);
            }
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
