package dev.tickeretl.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickeretl.Bar;
import dev.tickeretl.Store;
import dev.tickeretl.internal.DataStore;
import dev.tickeretl.internal.StoreLayout;
import dev.tickeretl.testkit.TestBars;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a store location string means: a plain path is a path, character for character; only a store scheme makes
 * it a URI, and a URI whose query or fragment would cut a directory name is refused, never silently shortened.
 */
class StoreLocationTest {

    /** Names a URI would read differently: a space (refused), '?' and '#' (cut), '%20' (decoded to a space). */
    private static final List<String> LITERAL_NAMES = List.of("dir with space", "a?b", "c#d", "e%20f", "ü ñ%");

    @TempDir
    Path tmp;

    @Test
    void aPlainPathNamesExactlyThatDirectoryAndTheStoreWritesThere() throws IOException {
        Bar bar = TestBars.day("AAPL", LocalDate.of(2025, 1, 2));
        for (String name : LITERAL_NAMES) {
            Path parent = Files.createDirectory(tmp.resolve("p" + LITERAL_NAMES.indexOf(name)));
            Path dir = parent.resolve(name);

            URI uri = Store.location(dir.toString());
            try (DataStore store = IngestWriterProcess.open(Path.of(uri))) {
                IngestWriterProcess.write(store, List.of(bar));
            }

            assertThat(Path.of(uri)).as(name).isEqualTo(dir);
            assertThat(children(parent)).as(name).containsExactly(name);
            assertThat(dir.resolve(StoreLayout.partitionOf(bar))).as(name).isRegularFile();
        }
    }

    @Test
    void aRelativePlainPathIsResolvedAgainstTheWorkingDirectoryWithoutTouchingIt() {
        for (String name : LITERAL_NAMES) {
            URI uri = Store.location("target/" + name);

            assertThat(FileStoreProvider.rootOf(uri)).as(name).isEqualTo(Path.of("target", name).toAbsolutePath());
            assertThat(Path.of("target", name)).as(name).doesNotExist();
        }
        assertThat(FileStoreProvider.rootOf(Store.location("./target/x/../y")))
                .isEqualTo(Path.of("target/y").toAbsolutePath());
    }

    @Test
    void aPathNamesTheStoreWithTheSameUriBeforeAndAfterItsDirectoryExists() throws IOException {
        Path dir = tmp.resolve("a?b");
        URI before = Store.location(dir.toString());
        Files.createDirectory(dir);

        assertThat(Store.location(dir.toString())).isEqualTo(before);
        assertThat(before.toString()).endsWith("a%3Fb");
    }

    @Test
    void aSingleLetterOrUnknownSchemeBeforeAColonIsPartOfAPath() {
        // C: is a Windows drive, not a URI scheme; "notes:" names no store, so it is a directory name.
        assertThat(FileStoreProvider.rootOf(Store.location("C:data"))).isEqualTo(Path.of("C:data").toAbsolutePath());
        assertThat(FileStoreProvider.rootOf(Store.location("notes:2025")))
                .isEqualTo(Path.of("notes:2025").toAbsolutePath());
    }

    @Test
    void fileUrisKeepUriRulesPercentEscapesDecodeToTheDirectoryName() {
        Path dir = tmp.resolve("e%20f");

        assertThat(FileStoreProvider.rootOf(Store.location(dir.toUri().toString()))).isEqualTo(dir);
        assertThat(FileStoreProvider.rootOf(Store.location("file:" + tmp.toUri().getRawPath() + "x%3Fy%23z")))
                .isEqualTo(tmp.resolve("x?y#z"));
        assertThat(FileStoreProvider.rootOf(Store.location("file:./target/a%20b")))
                .isEqualTo(Path.of("target/a b").toAbsolutePath());
    }

    @Test
    void aFileUriWithAQueryOrFragmentIsRefusedInsteadOfCuttingTheName() {
        for (String location : List.of("file://" + tmp.toUri().getRawPath() + "a?b",
                "file:" + tmp.toUri().getRawPath() + "c#d", "file:./target/a?b", "file:./target/c#d")) {
            assertThatThrownBy(() -> FileStoreProvider.rootOf(Store.location(location))).as(location)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("store: ")
                    .hasMessageContaining("plain path");
        }
    }

    @Test
    void locationsThatCannotNameAStoreAreUsageErrorsNamingTheStore() {
        assertThatThrownBy(() -> Store.location(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("store: ");
        assertThatThrownBy(() -> Store.location("ftp://host/x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("store scheme 'ftp'").hasMessageContaining("file");
        // s3 is a store scheme even where its provider is missing: an error, not a directory named "s3:".
        assertThatThrownBy(() -> Store.location("s3:bucket")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("store scheme 's3'");
        assertThatThrownBy(() -> Store.location("file:a b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("store: ").hasMessageContaining("not a valid URI");
        assertThatThrownBy(() -> Store.location("file://u:secret@host x/")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("store: ").message().doesNotContain("secret");
        assertThatThrownBy(() -> Store.location("a\0b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("store: ").hasMessageContaining("not a valid path");
    }

    private static List<String> children(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).toList();
        }
    }
}
