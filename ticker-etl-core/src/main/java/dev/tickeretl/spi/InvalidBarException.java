package dev.tickeretl.spi;

/** A bar that must not be stored. The message names the field and the value (e.g. "high 9.5 < low 10.0"). */
public class InvalidBarException extends Exception {
    public InvalidBarException(String message) {
        super(message);
    }
}
