package dev.tickeretl;

/** A store could not be opened, read or written. The message names the location and the operation. */
public class StoreException extends TickerEtlException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
