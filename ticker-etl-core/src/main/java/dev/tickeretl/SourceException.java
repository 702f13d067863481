package dev.tickeretl;

/** A source failure that ends the whole run (e.g. 401/403: the key is wrong for every ticker). */
public class SourceException extends TickerEtlException {
    public SourceException(String message) {
        super(message);
    }

    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
