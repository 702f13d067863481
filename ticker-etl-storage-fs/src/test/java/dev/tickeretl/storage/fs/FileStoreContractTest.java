package dev.tickeretl.storage.fs;

import dev.tickeretl.spi.ProviderContext;
import dev.tickeretl.spi.Storage;
import dev.tickeretl.testkit.StoreContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The filesystem store keeps the store contract. */
class FileStoreContractTest extends StoreContract {

    private static final ProviderContext CONTEXT = ProviderContext.of(Map.of());

    @TempDir
    Path tmp;

    private Path root;
    private int stores;

    @Override
    protected Storage newStorage() {
        root = tmp.resolve("store-" + ++stores);
        return openAgain();
    }

    @Override
    protected Storage openAgain() {
        return new FileStoreProvider().open(root.toUri(), CONTEXT, Storage.Access.READ_WRITE);
    }

    @Override
    protected Storage openReadOnly() {
        return new FileStoreProvider().open(root.toUri(), CONTEXT, Storage.Access.READ_ONLY);
    }

    @Override
    protected Storage openMissingReadOnly() {
        return new FileStoreProvider().open(tmp.resolve("never-written").toUri(), CONTEXT, Storage.Access.READ_ONLY);
    }

    /** What a writer that died before its rename leaves: a truncated temp file next to the target file. */
    @Override
    protected void leaveCrashDebris(String path, byte[] partialContent) {
        Path file = root.resolve(path);
        try {
            Files.createDirectories(file.getParent());
            Files.write(file.resolveSibling("." + file.getFileName() + ".k1llEd.tmp"), partialContent);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
