package dev.tickeretl.spi;

import dev.tickeretl.Bar;
import dev.tickeretl.Phase;

/**
 * Decides a bar's market phase. Found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.tickeretl.spi.PhaseTagger}) and chosen by {@link #name()}; the default,
 * {@code brief}, is the original brief's rule.
 */
public interface PhaseTagger {

    /** The name users pick this tagger by. */
    String name();

    /**
     * The phase of {@code bar}. {@code previous} is the same ticker's bar on the previous trading session, or
     * {@code null} when there is none (first bar ever, or missing upstream): the pipeline never passes an older bar.
     */
    Phase phaseOf(Bar bar, Bar previous);
}
