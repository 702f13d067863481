package dev.tickeretl.spi;

import java.net.URI;
import java.util.Map;

/**
 * Opens stores for one URI scheme ({@code file}, {@code s3}); found with {@link java.util.ServiceLoader}, in the
 * manner of NIO's {@code FileSystemProvider}. Register in {@code META-INF/services/dev.tickeretl.spi.StoreProvider}.
 */
public interface StoreProvider {

    /** The URI scheme this provider answers for, lower case. */
    String scheme();

    /**
     * Opens (creating if needed) the store at {@code uri}. {@code options} carry provider settings such as
     * {@code s3-endpoint}; unknown keys are ignored.
     *
     * @throws IllegalArgumentException    when {@code uri} or {@code options} are malformed, found without touching
     *                                     the store, naming the field (the CLI's usage error)
     * @throws dev.tickeretl.StoreException when the store cannot be reached, naming what is wrong
     */
    BarStore open(URI uri, Map<String, String> options);
}
