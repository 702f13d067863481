package dev.tickeretl;

/**
 * Base of what this library throws when something outside the caller's code fails at run time: a store that cannot
 * be reached, read or written ({@link StoreException}), a source that cannot go on ({@link SourceException}), a sink
 * that cannot deliver. Messages name the resource and the operation and never carry a secret.
 *
 * <p>Mistakes in what the caller passed are not {@code TickerEtlException}s: a bad builder setting, provider option,
 * store or sink URI, provider name or argument is an {@link IllegalArgumentException} whose message starts with the
 * field it rejects ({@code "writer-threads: must be between 1 and 64, got 0"}, {@code "unknown source 'x';
 * available: polygon, simulator"}), found before anything is read or written; a null argument is a
 * {@link NullPointerException} naming the parameter. Retrying cannot fix those; a {@code TickerEtlException} may go
 * away when the store, the network or upstream comes back.
 */
public class TickerEtlException extends RuntimeException {
    public TickerEtlException(String message) {
        super(message);
    }

    public TickerEtlException(String message, Throwable cause) {
        super(message, cause);
    }
}
