package dev.tickeretl.spi;

import dev.tickeretl.Bar;

/**
 * Turns a raw bar into a contract {@link Bar}: converts time, checks values. The result is tagged
 * {@link dev.tickeretl.Phase#NEUTRAL} with no prior volume; the {@link PhaseTagger} decides later. Implementations are
 * found with {@link java.util.ServiceLoader} ({@code META-INF/services/dev.tickeretl.spi.Transformer}) and chosen
 * by {@link #name()}.
 */
public interface Transformer {

    /** The name users pick this transformer by. */
    String name();

    /** @throws InvalidBarException when the bar must not be stored (NaN, negative, high &lt; low, ...) */
    Bar transform(RawBar raw) throws InvalidBarException;
}
