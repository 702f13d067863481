package dev.tickeretl.spi;

import java.util.Map;

/**
 * Creates sources of one kind; found with {@link java.util.ServiceLoader} and chosen by {@link #name()}, which is
 * also the URI scheme ({@code polygon:}, {@code simulator:}). Register in
 * {@code META-INF/services/dev.tickeretl.spi.SourceProvider}.
 */
public interface SourceProvider {

    /** The name users pick this source by, e.g. {@code polygon}. */
    String name();

    /**
     * Opens a source. {@code options} are provider-specific settings (e.g. {@code base-url}, {@code api-key},
     * {@code max-requests-per-minute}); unknown keys are ignored, bad values are a {@link IllegalArgumentException}
     * naming the key.
     */
    Source open(Map<String, String> options);
}
