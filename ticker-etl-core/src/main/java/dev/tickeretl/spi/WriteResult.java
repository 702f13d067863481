package dev.tickeretl.spi;

/**
 * What one {@link Sink#write} did. {@code inserted}: keys not stored before; {@code updated}: stored keys whose
 * values changed; {@code unchanged}: identical bars left alone. Files/objects and bytes count data only.
 */
public record WriteResult(long inserted, long updated, long unchanged, long filesWritten, long bytesWritten) {

    public static final WriteResult EMPTY = new WriteResult(0, 0, 0, 0, 0);

    public WriteResult plus(WriteResult other) {
        return new WriteResult(inserted + other.inserted, updated + other.updated, unchanged + other.unchanged,
                filesWritten + other.filesWritten, bytesWritten + other.bytesWritten);
    }
}
