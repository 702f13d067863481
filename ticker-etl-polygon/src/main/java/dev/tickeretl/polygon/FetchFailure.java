package dev.tickeretl.polygon;

/**
 * A request chain ended in an error. {@code runWide} errors (a rejected key, an open circuit breaker) end the whole
 * run; the others fail the tickers the chain was for. The message is user-facing: it names the status and the URL
 * path, never the key.
 */
final class FetchFailure extends Exception {
    private final boolean runWide;
    private final boolean breakerOpen;

    private FetchFailure(String message, boolean runWide, boolean breakerOpen) {
        super(message, null, false, false);
        this.runWide = runWide;
        this.breakerOpen = breakerOpen;
    }

    static FetchFailure ticker(String message) {
        return new FetchFailure(message, false, false);
    }

    static FetchFailure run(String message) {
        return new FetchFailure(message, true, false);
    }

    /** Run-wide: the circuit breaker is open, so the request was stopped or not sent at all. */
    static FetchFailure breakerOpen(String message) {
        return new FetchFailure(message, true, true);
    }

    boolean runWide() {
        return runWide;
    }

    /**
     * Whether the circuit breaker stopped this request: a stream waits for it to half-open and tries again, and says
     * so once per pause rather than once per request.
     */
    boolean breakerOpen() {
        return breakerOpen;
    }
}
