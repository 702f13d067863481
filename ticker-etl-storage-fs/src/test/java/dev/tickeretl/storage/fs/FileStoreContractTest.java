package dev.tickeretl.storage.fs;

import dev.tickeretl.spi.BarStore;
import dev.tickeretl.testkit.StoreContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The filesystem store keeps the store contract. */
class FileStoreContractTest extends StoreContract {

    @TempDir
    Path tmp;

    private Path root;
    private int stores;

    @Override
    protected BarStore newStore() {
        root = tmp.resolve("store-" + ++stores);
        return openAgain();
    }

    @Override
    protected BarStore openAgain() {
        return new FileStoreProvider().open(root.toUri(), Map.of());
    }

    /** What a writer that died before its rename leaves: a truncated temp file next to the partition file. */
    @Override
    protected void leaveCrashDebris(String partition, byte[] partialContent) {
        Path file = root.resolve(partition);
        try {
            Files.createDirectories(file.getParent());
            Files.write(file.resolveSibling("." + file.getFileName() + ".k1llEd.tmp"), partialContent);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
