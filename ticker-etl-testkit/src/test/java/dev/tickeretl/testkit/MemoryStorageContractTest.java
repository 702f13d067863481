package dev.tickeretl.testkit;

import dev.tickeretl.internal.MemoryStorage;
import dev.tickeretl.spi.ProviderContext;
import dev.tickeretl.spi.Storage;
import java.net.URI;
import java.util.Map;
import java.util.UUID;

/** The in-memory store ({@code memory:name}) keeps the store contract. */
class MemoryStorageContractTest extends StoreContract {

    private final MemoryStorage.Provider provider = new MemoryStorage.Provider();
    private URI uri;

    @Override
    protected Storage newStorage() {
        uri = URI.create("memory:contract-" + UUID.randomUUID());
        return openAgain();
    }

    @Override
    protected Storage openAgain() {
        return provider.open(uri, ProviderContext.of(Map.of()), Storage.Access.READ_WRITE);
    }

    @Override
    protected Storage openReadOnly() {
        return provider.open(uri, ProviderContext.of(Map.of()), Storage.Access.READ_ONLY);
    }

    @Override
    protected Storage openMissingReadOnly() {
        return provider.open(URI.create("memory:never-" + UUID.randomUUID()), ProviderContext.of(Map.of()),
                Storage.Access.READ_ONLY);
    }

    /** A memory write is one map update under a lock: a crash leaves nothing behind. */
    @Override
    protected void leaveCrashDebris(String path, byte[] partialContent) {
    }
}
