package dev.tickeretl.polygon;

/**
 * A request chain ended in an error. {@code runWide} errors (a rejected key) end the whole run; the others fail
 * the tickers the chain was for. The message is user-facing: it names the status and the URL path, never the key.
 */
final class FetchFailure extends Exception {
    private final boolean runWide;

    private FetchFailure(String message, boolean runWide) {
        super(message, null, false, false);
        this.runWide = runWide;
    }

    static FetchFailure ticker(String message) {
        return new FetchFailure(message, false);
    }

    static FetchFailure run(String message) {
        return new FetchFailure(message, true);
    }

    boolean runWide() {
        return runWide;
    }
}
