package dev.tickeretl.spi;

import java.net.URI;

/**
 * Opens the storage behind a store for one URI scheme ({@code file}, {@code s3}, {@code memory}); found with
 * {@link java.util.ServiceLoader}, in the manner of NIO's {@code FileSystemProvider}. Register in
 * {@code META-INF/services/dev.tickeretl.spi.StoreProvider}. A store keeps bars, run records and offsets; sinks that
 * only receive bars are {@link SinkProvider}s.
 */
public interface StoreProvider {

    /** The URI scheme this provider answers for, lower case. */
    String scheme();

    /**
     * Opens the storage at {@code uri}. Options (e.g. {@code s3-endpoint}) come with the context. With
     * {@link Storage.Access#READ_ONLY} nothing is created and a missing store is an error.
     *
     * @throws IllegalArgumentException    when {@code uri} or the options are malformed, found without touching
     *                                     the store, naming the field (the CLI's usage error)
     * @throws dev.tickeretl.StoreException when the store cannot be reached or does not exist, naming what is wrong
     */
    Storage open(URI uri, ProviderContext context, Storage.Access access);
}
