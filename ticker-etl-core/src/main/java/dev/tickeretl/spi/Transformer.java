package dev.tickeretl.spi;

import dev.tickeretl.Bar;

/**
 * Turns a raw bar into a contract {@link Bar}: converts time, checks values. The result carries no phase and no
 * prior volume: the {@link PhaseTagger} decides those for day bars when they are stored. Implementations are found
 * with {@link java.util.ServiceLoader} ({@code META-INF/services/dev.tickeretl.spi.Transformer}) and chosen by
 * {@link #name()}, or passed to the builder. Called from one thread.
 */
public interface Transformer {

    /** The name users pick this transformer by. */
    String name();

    /** @throws InvalidBarException when the bar must not be stored (NaN, negative, high &lt; low, ...) */
    Bar transform(RawBar raw) throws InvalidBarException;
}
