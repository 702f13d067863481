package dev.tickeretl;

import dev.tickeretl.internal.MemoryStorage;
import dev.tickeretl.spi.ProviderContext;
import dev.tickeretl.spi.Storage;
import dev.tickeretl.spi.StoreProvider;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Storage in memory that tests can break: {@code test:<name>} stores, handed to the builder and to {@code Store.open}
 * through {@link #PROVIDER} (the core's tests run inside its named module, where only its module descriptor
 * registers services). Writes of paths containing a chosen text fail as a full disk would; every write
 * can be slowed down; and it counts what was written.
 */
final class TestStorage implements Storage {

    private static final Map<String, TestStorage> NAMED = new ConcurrentHashMap<>();

    /** Opens {@code test:<name>} stores. */
    static final StoreProvider PROVIDER = new Provider();

    private final URI uri;
    private final MemoryStorage memory = MemoryStorage.create();
    private volatile String failWritesContaining;
    private volatile long writeDelayMs;
    private volatile boolean discardBars;
    private volatile String holdWritesStartingWith;
    private volatile java.util.concurrent.CountDownLatch held;
    final AtomicLong barLinesWritten = new AtomicLong();
    final AtomicLong dataWrites = new AtomicLong();
    final List<String> writtenPaths = new CopyOnWriteArrayList<>();

    private TestStorage(URI uri) {
        this.uri = uri;
    }

    /** A new, empty storage; {@link #uri()} opens it through the builder. */
    static TestStorage create() {
        URI uri = URI.create("test:" + UUID.randomUUID());
        TestStorage s = new TestStorage(uri);
        NAMED.put(uri.getSchemeSpecificPart(), s);
        return s;
    }

    /** Makes every later write of a partition of {@code ticker} throw, as a full disk would; null heals it. */
    TestStorage failWritesOf(String ticker) {
        this.failWritesContaining = ticker == null ? null : "/ticker=" + ticker + "/";
        return this;
    }

    /** Makes every later write of a path containing {@code text} throw; null heals it. */
    TestStorage failWritesContaining(String text) {
        this.failWritesContaining = text;
        return this;
    }

    /** Makes every write take this long, like a slow disk or a distant bucket. */
    TestStorage writeDelay(long ms) {
        this.writeDelayMs = ms;
        return this;
    }

    /**
     * Makes every later write of a path starting with {@code prefix} wait until the returned latch is counted down
     * (at most 30 s), like a store stuck on one file.
     */
    java.util.concurrent.CountDownLatch holdWritesStartingWith(String prefix) {
        java.util.concurrent.CountDownLatch latch = new java.util.concurrent.CountDownLatch(1);
        this.held = latch;
        this.holdWritesStartingWith = prefix;
        return latch;
    }

    /**
     * Counts the lines of bar partitions and segments and forgets them, as if they went to a disk: keeps a
     * never-ending run's heap measurable (runs and offsets are kept).
     */
    TestStorage discardBars() {
        this.discardBars = true;
        return this;
    }

    /** The bytes of every bar partition (path: bytes), to compare two stores. */
    Map<String, String> partitions() {
        Map<String, String> out = new java.util.TreeMap<>();
        for (String p : memory.list("bars")) {
            out.put(p, new String(memory.read(p).orElseThrow(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public Optional<byte[]> read(String path) {
        return memory.read(path);
    }

    @Override
    public List<String> list(String prefix) {
        return memory.list(prefix);
    }

    @Override
    public void put(String path, byte[] bytes) {
        beforeWrite(path);
        if (discardBars && path.startsWith("state/segments/")) {
            barLinesWritten.addAndGet(new String(bytes, java.nio.charset.StandardCharsets.UTF_8).lines().count());
            dataWrites.incrementAndGet();
            return;
        }
        memory.put(path, bytes);
        writtenPaths.add(path);
    }

    @Override
    public boolean update(String path, UnaryOperator<byte[]> change) {
        beforeWrite(path);
        if (discardBars && path.startsWith("bars")) {
            byte[] bytes = change.apply(null);
            if (bytes != null) {
                barLinesWritten.addAndGet(new String(bytes, java.nio.charset.StandardCharsets.UTF_8).lines().count());
                dataWrites.incrementAndGet();
            }
            return bytes != null;
        }
        boolean written = memory.update(path, change);
        if (written) {
            writtenPaths.add(path);
            if (path.startsWith("bars")) {
                dataWrites.incrementAndGet();
            }
        }
        return written;
    }

    @Override
    public void delete(String path) {
        beforeWrite(path);
        memory.delete(path);
    }

    private void beforeWrite(String path) {
        String holding = holdWritesStartingWith;
        if (holding != null && path.startsWith(holding)) {
            try {
                held.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted");
            }
        }
        if (writeDelayMs > 0) {
            try {
                Thread.sleep(writeDelayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted");
            }
        }
        String failing = failWritesContaining;
        if (failing != null && path.contains(failing)) {
            throw new StoreException("disk full writing " + path);
        }
    }

    @Override
    public void close() {
    }

    /** {@code test:<name>}. */
    public static final class Provider implements StoreProvider {
        @Override
        public String scheme() {
            return "test";
        }

        @Override
        public Storage open(URI uri, ProviderContext context, Access access) {
            TestStorage s = NAMED.get(uri.getSchemeSpecificPart());
            if (s == null) {
                throw new StoreException("store " + uri + " does not exist");
            }
            return s;
        }
    }
}
