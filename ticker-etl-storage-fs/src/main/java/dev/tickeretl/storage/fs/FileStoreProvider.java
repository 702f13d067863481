package dev.tickeretl.storage.fs;

import dev.tickeretl.StoreException;
import dev.tickeretl.spi.ProviderContext;
import dev.tickeretl.spi.Storage;
import dev.tickeretl.spi.StoreProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * Opens the filesystem store for {@code file:} URIs: a directory of Hive-style partitions of JSON Lines, laid out
 * by the core (see docs/data-contract.md) and readable by query engines as it is, e.g. with DuckDB:
 *
 * <pre>
 * SELECT * FROM read_json('data/bars/timespan=day/*&#47;*&#47;*.jsonl', hive_partitioning = true,
 *     hive_types = {'ticker': VARCHAR, 'timespan': VARCHAR, 'year': INTEGER})
 * </pre>
 *
 * <p>Accepted locations: {@code file:./data} and {@code file:data} (relative to the working directory),
 * {@code file:///abs/path} (percent-encoded), and scheme-less URIs ({@code ./data}); a plain path given as text
 * becomes a {@code file:} URI through {@link dev.tickeretl.Store#location(String)}. Opened for writing, the
 * directory is created when missing; opened read-only, nothing is created and a missing directory is an error.
 *
 * <p>Writes are atomic (temp file, fsync, rename) and idempotent by bar key; concurrent writers, in one JVM or in
 * several processes, serialise per partition on a lock file, so none loses another's update.
 */
public final class FileStoreProvider implements StoreProvider {

    @Override
    public String scheme() {
        return "file";
    }

    /** This store takes no options. */
    @Override
    public Storage open(URI uri, ProviderContext context, Storage.Access access) {
        context.requireKnownOptions("the file store", List.of());
        Path root = rootOf(uri);
        if (access == Storage.Access.READ_ONLY) {
            // Reading creates nothing and needs no write permission; a store that is not there is a mistake.
            if (!Files.isDirectory(root)) {
                throw new StoreException("store " + root + (Files.exists(root) ? " is not a directory"
                        : " does not exist"));
            }
            return new FileStorage(uri, root, true);
        }
        prepareRoot(root);
        return new FileStorage(uri, root, false);
    }

    /**
     * The absolute directory {@code uri} names: its path, percent-decoded ({@code file:///a%3Fb} is the directory
     * {@code a?b}). A query or fragment is refused rather than dropped: it is almost always a '?' or '#' meant as
     * part of a directory name.
     *
     * @throws IllegalArgumentException naming {@code store}, when {@code uri} names no local directory
     */
    static Path rootOf(URI uri) {
        String scheme = uri.getScheme();
        if (scheme != null && !scheme.equalsIgnoreCase("file")) {
            throw new IllegalArgumentException("store: " + uri + " is not a file: URI");
        }
        // java.net.URI parses no query in an opaque URI (file:./a?b), so look at its text.
        boolean query = uri.isOpaque() ? uri.getRawSchemeSpecificPart().contains("?") : uri.getRawQuery() != null;
        boolean fragment = uri.getRawFragment() != null;
        if (query || fragment) {
            throw new IllegalArgumentException("store: " + uri + " has a " + (fragment ? "fragment ('#')"
                    : "query ('?')") + ", which would cut the directory name; give the directory as a plain path, "
                    + "or write '?' as %3F and '#' as %23 in a file: URI");
        }
        try {
            Path path;
            if (uri.isOpaque()) {
                // file:./data and file:data: the part after "file:" is a relative path.
                path = Path.of(uri.getSchemeSpecificPart());
            } else if (scheme == null) {
                path = Path.of(uri.getPath());
            } else {
                if (uri.getAuthority() != null && !uri.getAuthority().isEmpty()
                        && !uri.getAuthority().equalsIgnoreCase("localhost")) {
                    throw new IllegalArgumentException("store: " + uri + " names another host ('"
                            + uri.getAuthority() + "'), which is not supported; mount the directory and give its "
                            + "path");
                }
                path = Path.of(uri.getPath());
            }
            if (path.toString().isEmpty()) {
                throw new IllegalArgumentException("store: " + uri + " names no directory (e.g. file:./data)");
            }
            return path.toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("store: " + uri + " is not a valid path: " + e.getReason(), e);
        }
    }

    private static void prepareRoot(Path root) {
        if (Files.exists(root, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(root)) {
            throw new StoreException("store root " + root + " exists but is not a directory");
        }
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new StoreException("store root " + root + " cannot be created: " + describe(e), e);
        }
        if (!Files.isWritable(root)) {
            throw new StoreException("store root " + root + " is not writable");
        }
    }

    static String describe(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
    }
}
