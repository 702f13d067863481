package dev.tickeretl.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.tickeretl.Bar;
import dev.tickeretl.Store;
import dev.tickeretl.StoreException;
import dev.tickeretl.internal.DataStore;
import dev.tickeretl.internal.Providers;
import dev.tickeretl.spi.ProviderContext;
import dev.tickeretl.spi.Storage;
import dev.tickeretl.testkit.TestBars;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which directory a location names, and what is said when it cannot be a store. */
class FileStoreProviderTest {

    private static final ProviderContext NO_OPTIONS = ProviderContext.of(Map.of());

    @TempDir
    Path tmp;

    /** A relative directory under the module's target/, which is the working directory of the tests. */
    private final String relative = "target/uri-test-" + UUID.randomUUID();

    @AfterEach
    void removeRelativeStore() throws IOException {
        Path dir = Path.of(relative);
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    void opaqueFileUrisAreRelativeToTheWorkingDirectory() {
        Path expected = Path.of(relative).toAbsolutePath();

        assertThat(rootOf("file:./" + relative)).isEqualTo(expected);
        assertThat(rootOf("file:" + relative)).isEqualTo(expected);
        assertThat(expected).isDirectory();
    }

    @Test
    void hierarchicalFileUrisAreAbsolute() {
        Path dir = tmp.resolve("abs store");

        assertThat(rootOf(dir.toUri().toString())).isEqualTo(dir);
        assertThat(rootOf("file://" + dir.toUri().getRawPath())).isEqualTo(dir);
        assertThat(rootOf("file:" + dir.toUri().getRawPath())).isEqualTo(dir);
        assertThat(dir.toUri().toString()).contains("abs%20store");
        assertThat(dir).isDirectory();
    }

    @Test
    void pathsWithoutSchemeAreFileStoresFoundByServiceLoader() {
        assertThat(Providers.store(URI.create("./" + relative))).isInstanceOf(FileStoreProvider.class);
        assertThat(Providers.store(URI.create("file:./data"))).isInstanceOf(FileStoreProvider.class);
        Bar bar = TestBars.day("AAPL", LocalDate.of(2024, 3, 11));

        try (DataStore written = TestStores.open(Path.of(relative))) {
            TestStores.write(written, List.of(bar));
            assertThat(((FileStorage) written.storage()).root()).isEqualTo(Path.of(relative).toAbsolutePath());
        }
        try (Store byPath = Store.open("./" + relative);
                Store byAbsolutePath = Store.open(Path.of(relative).toAbsolutePath().toString())) {
            assertThat(byPath.bars("AAPL", bar.tradingDate(), bar.tradingDate())).containsExactly(bar);
            assertThat(byAbsolutePath.bars("AAPL", bar.tradingDate(), bar.tradingDate())).containsExactly(bar);
            // A plain path is made absolute, so the store names the real directory wherever it is read.
            assertThat(Path.of(byPath.uri())).isEqualTo(Path.of(relative).toAbsolutePath());
        }
    }

    @Test
    void uriIsReturnedAsGiven() {
        URI given = URI.create("file:./" + relative + "/../" + Path.of(relative).getFileName());

        assertThat(new FileStoreProvider().open(given, NO_OPTIONS, Storage.Access.READ_WRITE).uri()).isEqualTo(given);
        assertThat(new FileStoreProvider().open(given, NO_OPTIONS, Storage.Access.READ_ONLY).uri()).isEqualTo(given);
    }

    @Test
    void aRootThatIsARegularFileIsRefusedByName() throws IOException {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");

        for (Storage.Access access : Storage.Access.values()) {
            assertThatThrownBy(() -> new FileStoreProvider().open(file.toUri(), NO_OPTIONS, access))
                    .as("opened %s", access).isInstanceOf(StoreException.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining("not a directory");
        }
        assertThat(Files.readString(file)).isEqualTo("x");
    }

    @Test
    void aRootThatCannotBeCreatedIsRefusedByName() throws IOException {
        Path file = Files.writeString(tmp.resolve("plain-file"), "x");
        Path below = file.resolve("data");

        assertThatThrownBy(() -> new FileStoreProvider().open(below.toUri(), NO_OPTIONS, Storage.Access.READ_WRITE))
                .isInstanceOf(StoreException.class).hasMessageContaining(below.toString())
                .hasMessageContaining("cannot be created");
    }

    @Test
    void aRootThatIsNotWritableIsRefusedByName() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("read-only"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            // The super-user may write anywhere, so this can only be shown as another user.
            assumeThat(Files.isWritable(dir)).as("running as a user who cannot write a r-x directory").isFalse();

            assertThatThrownBy(() -> new FileStoreProvider().open(dir.toUri(), NO_OPTIONS,
                    Storage.Access.READ_WRITE))
                    .isInstanceOf(StoreException.class).hasMessageContaining(dir.toString())
                    .hasMessageContaining("not writable");
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void aFileUriOnAnotherHostIsRefused() {
        assertThatThrownBy(() -> new FileStoreProvider().open(URI.create("file://fileserver/data"), NO_OPTIONS,
                Storage.Access.READ_WRITE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fileserver");
    }

    @Test
    void anOptionTheFileStoreDoesNotTakeIsRefusedByName() {
        Path dir = tmp.resolve("opts");

        assertThatThrownBy(() -> new FileStoreProvider().open(dir.toUri(),
                ProviderContext.of(Map.of("s3-endpoint", "http://127.0.0.1:9000")), Storage.Access.READ_WRITE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("s3-endpoint")
                .hasMessageContaining("file store");
        assertThat(dir).doesNotExist();
    }

    private static Path rootOf(String uri) {
        return ((FileStorage) new FileStoreProvider().open(URI.create(uri), NO_OPTIONS, Storage.Access.READ_WRITE))
                .root();
    }
}
