package dev.tickeretl.spi;

import java.net.URI;

/** A store opened by a {@link StoreProvider}: both sides of it. */
public interface BarStore extends Sink, StoreReader {

    /** Where this store lives, as the user named it (never with credentials). */
    URI uri();
}
