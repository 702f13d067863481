package dev.tickeretl.spi;

import java.net.URI;

/**
 * Opens {@link Sink}s for one URI scheme (e.g. {@code kafka}); found with {@link java.util.ServiceLoader}.
 * Register in {@code META-INF/services/dev.tickeretl.spi.SinkProvider}.
 */
public interface SinkProvider {

    /** The URI scheme this provider answers for, lower case. */
    String scheme();

    /** @throws IllegalArgumentException naming what is wrong with {@code uri} or an option */
    Sink open(URI uri, ProviderContext context);
}
