package dev.tickeretl.internal;

import dev.tickeretl.StoreException;
import dev.tickeretl.spi.ProviderContext;
import dev.tickeretl.spi.Storage;
import dev.tickeretl.spi.StoreProvider;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Storage in memory, for tests and JShell sessions: {@code memory:name}. Stores of the same name share their
 * objects for the life of the JVM (so a second run sees the first run's data), and nothing ever reaches disk.
 */
public final class MemoryStorage implements Storage {

    private static final Map<String, MemoryStorage> NAMED = new ConcurrentHashMap<>();

    private final URI uri;
    private final TreeMap<String, byte[]> objects = new TreeMap<>();
    private final boolean readOnly;
    private final MemoryStorage shared;

    private MemoryStorage(URI uri, MemoryStorage shared, boolean readOnly) {
        this.uri = uri;
        this.shared = shared;
        this.readOnly = readOnly;
    }

    /** A new, empty storage that belongs to no name. */
    public static MemoryStorage create() {
        return new MemoryStorage(URI.create("memory:anonymous"), null, false);
    }

    /** The storage called {@code name}, created on first use. */
    static MemoryStorage named(String name, Storage.Access access) {
        MemoryStorage backing = NAMED.computeIfAbsent(name,
                n -> new MemoryStorage(URI.create("memory:" + n), null, false));
        return access == Access.READ_ONLY ? new MemoryStorage(backing.uri, backing, true) : backing;
    }

    private MemoryStorage target() {
        return shared != null ? shared : this;
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public Optional<byte[]> read(String path) {
        MemoryStorage t = target();
        synchronized (t) {
            byte[] bytes = t.objects.get(path);
            return Optional.ofNullable(bytes == null ? null : bytes.clone());
        }
    }

    @Override
    public List<String> list(String prefix) {
        MemoryStorage t = target();
        synchronized (t) {
            List<String> paths = new ArrayList<>();
            for (String p : t.objects.tailMap(prefix, true).keySet()) {
                if (!p.startsWith(prefix)) {
                    break;
                }
                paths.add(p);
            }
            return paths;
        }
    }

    @Override
    public void put(String path, byte[] bytes) {
        checkWritable("put " + path);
        MemoryStorage t = target();
        synchronized (t) {
            t.objects.put(path, bytes.clone());
        }
    }

    @Override
    public boolean update(String path, UnaryOperator<byte[]> change) {
        checkWritable("update " + path);
        MemoryStorage t = target();
        synchronized (t) {
            byte[] old = t.objects.get(path);
            byte[] given = old == null ? null : old.clone();
            byte[] replacement = change.apply(given);
            if (replacement == null || replacement == given || Arrays.equals(replacement, old)) {
                return false;
            }
            t.objects.put(path, replacement.clone());
            return true;
        }
    }

    @Override
    public void delete(String path) {
        checkWritable("delete " + path);
        MemoryStorage t = target();
        synchronized (t) {
            t.objects.remove(path);
        }
    }

    private void checkWritable(String what) {
        if (readOnly) {
            throw new StoreException("store " + uri + " is opened read-only: cannot " + what);
        }
    }

    @Override
    public void close() {
        // The objects stay for the next open of the same name.
    }

    @Override
    public String toString() {
        return "MemoryStorage[" + uri + "]";
    }

    /** {@code memory:name}. */
    public static final class Provider implements StoreProvider {
        @Override
        public String scheme() {
            return "memory";
        }

        @Override
        public Storage open(URI uri, ProviderContext context, Access access) {
            String name = uri.getSchemeSpecificPart();
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("store: memory stores need a name, e.g. memory:test");
            }
            context.requireKnownOptions("the memory store", List.of());
            if (access == Access.READ_ONLY && !NAMED.containsKey(name)) {
                throw new StoreException("store " + uri + " does not exist (no run has written to it in this JVM)");
            }
            return named(name, access);
        }
    }
}
