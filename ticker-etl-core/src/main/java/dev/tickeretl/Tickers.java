package dev.tickeretl;

import java.util.regex.Pattern;

/** Ticker syntax. Strict, because a ticker becomes a URL path segment and a directory name. */
public final class Tickers {

    // US equity symbols: letters and digits, optionally a class suffix after one dot (BRK.A, BF.B).
    private static final Pattern SYMBOL = Pattern.compile("[A-Z][A-Z0-9]{0,9}(\\.[A-Z0-9]{1,4})?");

    /** The five tickers a run takes when none are given. */
    public static final java.util.List<String> DEFAULTS = java.util.List.of("AAPL", "MSFT", "NVDA", "AMZN", "GOOGL");

    private Tickers() {
    }

    public static boolean isValid(String ticker) {
        return ticker != null && SYMBOL.matcher(ticker).matches();
    }

    /**
     * @return {@code ticker} unchanged
     * @throws IllegalArgumentException naming the field when it is not a valid symbol
     */
    public static String requireValid(String ticker) {
        if (!isValid(ticker)) {
            throw new IllegalArgumentException("ticker: '" + ticker
                    + "' is not a valid symbol (upper-case letters and digits, optional .CLASS suffix, e.g. BRK.A)");
        }
        return ticker;
    }
}
