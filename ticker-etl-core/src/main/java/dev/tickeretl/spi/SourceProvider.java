package dev.tickeretl.spi;

/**
 * Creates sources of one kind; found with {@link java.util.ServiceLoader} and chosen by {@link #name()}. Register
 * in {@code META-INF/services/dev.tickeretl.spi.SourceProvider}.
 */
public interface SourceProvider {

    /** The name users pick this source by, e.g. {@code polygon}. */
    String name();

    /**
     * Opens a source with the context's options (provider-specific, e.g. {@code base-url}, {@code api-key}); an
     * option this source does not know or cannot honour, or a bad value, is an {@link IllegalArgumentException}
     * naming the option.
     */
    Source open(ProviderContext context);
}
