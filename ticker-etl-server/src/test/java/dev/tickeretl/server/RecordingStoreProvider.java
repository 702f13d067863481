package dev.tickeretl.server;

import dev.tickeretl.StoreException;
import dev.tickeretl.internal.Providers;
import dev.tickeretl.spi.ProviderContext;
import dev.tickeretl.spi.Storage;
import dev.tickeretl.spi.StoreProvider;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * {@code recording:/abs/dir}: the real file storage at that directory, with every access the server's store makes
 * recorded as the path it names, so tests can see exactly what a request made reach the store. With the option
 * {@code fail=true} every read and listing fails as an unreachable store would.
 */
public final class RecordingStoreProvider implements StoreProvider {

    /** What reached the storage: {@code "read <path>"} or {@code "list <prefix>"}, in order. */
    static final Queue<String> READS = new ConcurrentLinkedQueue<>();

    /**
     * While set, an access whose path contains this text waits until {@link #release} opens (20 s at most), as a
     * slow or remote store would.
     */
    static volatile String slowPath;
    static volatile CountDownLatch release = new CountDownLatch(0);

    @Override
    public String scheme() {
        return "recording";
    }

    @Override
    public Storage open(URI uri, ProviderContext context, Storage.Access access) {
        context.requireKnownOptions("the recording store", List.of("fail"));
        boolean failing = "true".equals(context.option("fail"));
        Map<String, String> rest = new HashMap<>(context.options());
        rest.remove("fail");
        URI file = URI.create("file:" + uri.getSchemeSpecificPart());
        Storage delegate = Providers.store(file).open(file, context.withOptions(rest), access);
        return new Storage() {
            @Override
            public URI uri() {
                return uri;
            }

            @Override
            public Optional<byte[]> read(String path) {
                record("read " + path);
                return delegate.read(path);
            }

            @Override
            public List<String> list(String prefix) {
                record("list " + prefix);
                return delegate.list(prefix);
            }

            private void record(String access) {
                READS.add(access);
                String slow = slowPath;
                if (slow != null && access.contains(slow)) {
                    try {
                        release.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                if (failing) {
                    throw new StoreException("store " + uri + ": cannot read (test)", null);
                }
            }

            @Override
            public void put(String path, byte[] bytes) {
                delegate.put(path, bytes);
            }

            @Override
            public boolean update(String path, UnaryOperator<byte[]> change) {
                return delegate.update(path, change);
            }

            @Override
            public void delete(String path) {
                delegate.delete(path);
            }

            @Override
            public void close() {
                delegate.close();
            }
        };
    }
}
