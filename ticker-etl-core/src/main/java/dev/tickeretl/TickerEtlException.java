package dev.tickeretl;

/** Base of every exception this library throws. Messages name the field or resource and never carry a secret. */
public class TickerEtlException extends RuntimeException {
    public TickerEtlException(String message) {
        super(message);
    }

    public TickerEtlException(String message, Throwable cause) {
        super(message, cause);
    }
}
