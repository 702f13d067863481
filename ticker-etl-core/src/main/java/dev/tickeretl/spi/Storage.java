package dev.tickeretl.spi;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The bytes a store is made of: objects at '/'-separated relative paths, in a directory, a bucket prefix or
 * memory. A store provider implements only this; the core lays out bars, run records and offsets on it, so every
 * backend holds the same files with the same bytes and keeps the same guarantees:
 *
 * <ul>
 *   <li>A reader sees an object whole, old or new, never half written, and never sees a writer's temporary
 *       debris (a crashed writer's leftovers are invisible and cleaned up later).</li>
 *   <li>{@link #put} and {@link #update} are durable when they return.</li>
 *   <li>{@link #update} is atomic against every other writer of the same path, in this process and in others:
 *       no update is lost.</li>
 * </ul>
 *
 * Implementations are thread-safe. Errors are {@link dev.tickeretl.StoreException}s whose message names the
 * location and the operation and never carries a credential.
 */
public interface Storage extends AutoCloseable {

    /** How a store is opened. */
    enum Access {
        /** Reads only: creates nothing, needs no write permission; writes throw. */
        READ_ONLY,
        /** Reads and writes; creates the directory or prefix on first write. */
        READ_WRITE
    }

    /** Where this storage lives, as the user named it (never with credentials). */
    URI uri();

    /** The object at {@code path}, or empty when there is none. */
    Optional<byte[]> read(String path);

    /**
     * The paths of all objects under {@code prefix} (a directory-like prefix ending in '/', or empty for all), in
     * lexicographic order; temporary and hidden objects (a name segment starting with '.') are not listed.
     */
    List<String> list(String prefix);

    /** Creates or replaces the object at {@code path}, durably and atomically. */
    void put(String path, byte[] bytes);

    /**
     * Writes a new object, durably and atomically, under a name that no other writer uses and that is never updated,
     * only read and at last deleted (a stream's segment: thousands a day). A backend may skip what it does to
     * serialise writers of one name (the file store then takes no lock and leaves no lock file behind). By default
     * the same as {@link #put}.
     */
    default void create(String path, byte[] bytes) {
        put(path, bytes);
    }

    /**
     * Atomically replaces the object at {@code path} with {@code change} applied to its current content (null when
     * there is none). When {@code change} returns null or the very array it was given, nothing is written. The
     * function may be called more than once (after losing a race to another writer), so it must have no side
     * effects beyond its result.
     *
     * @return true when something was written
     */
    boolean update(String path, UnaryOperator<byte[]> change);

    /** Removes the object at {@code path}; nothing when there is none. */
    void delete(String path);

    /** Releases clients and threads; safe to call more than once. */
    @Override
    void close();
}
