package dev.tickeretl.simulator;

import dev.tickeretl.Tickers;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The symbols the simulated market lists, each with the day it lists and, if delisted, its last trading day. Every
 * endpoint answers from this one list, so a grouped-daily and a per-ticker fetch of the same range agree; a symbol
 * outside it (a typo such as {@code APPL}) has no bars anywhere, as Polygon answers an unknown ticker.
 */
final class Universe {

    /** The simulated market trades from here ... */
    static final LocalDate FIRST_DATE = LocalDate.of(1970, 1, 1);
    /** ... to here; outside, no ticker has bars. */
    static final LocalDate LAST_DATE = LocalDate.of(2199, 12, 31);

    /**
     * Real symbols keep their real first trading days (IPO, or the share class's first day), so a backfill of
     * GOOGL in 1999 finds nothing, as it would upstream. Other symbols list on {@link #FIRST_DATE}.
     */
    static final Map<String, LocalDate> KNOWN_LISTINGS = Map.of(
            "AAPL", LocalDate.of(1980, 12, 12),
            "MSFT", LocalDate.of(1986, 3, 13),
            "NVDA", LocalDate.of(1999, 1, 22),
            "AMZN", LocalDate.of(1997, 5, 15),
            "GOOGL", LocalDate.of(2004, 8, 19),
            "BRK.A", LocalDate.of(1988, 11, 29),
            "BRK.B", LocalDate.of(1996, 5, 9));

    /** Listed on {@code listed}; trades through {@code lastDay} inclusive, or for good when it is null. */
    record Listing(String ticker, LocalDate listed, LocalDate lastDay) {
        Listing {
            Tickers.requireValid(ticker);
            Objects.requireNonNull(listed, "listed");
        }

        boolean tradesOn(LocalDate date) {
            return !date.isBefore(listed) && (lastDay == null || !date.isAfter(lastDay))
                    && !date.isBefore(FIRST_DATE) && !date.isAfter(LAST_DATE);
        }

        /** The first calendar day with possible bars. */
        LocalDate first() {
            return listed.isAfter(FIRST_DATE) ? listed : FIRST_DATE;
        }

        /** The last calendar day with possible bars. */
        LocalDate last() {
            return lastDay != null && lastDay.isBefore(LAST_DATE) ? lastDay : LAST_DATE;
        }
    }

    private final List<String> tickers;
    private final Map<String, Listing> listings;

    private Universe(List<String> tickers, Map<String, Listing> listings) {
        this.tickers = tickers;
        this.listings = listings;
    }

    /**
     * {@code tickers} in order, then any symbol only {@code listed} or {@code delisted} names. Listing dates come
     * from {@code listed}, else {@link #KNOWN_LISTINGS}, else {@link #FIRST_DATE}.
     *
     * @throws IllegalArgumentException naming the ticker whose last trading day precedes its listing
     */
    static Universe of(Collection<String> tickers, Map<String, LocalDate> listed, Map<String, LocalDate> delisted) {
        Set<String> order = new LinkedHashSet<>();
        for (String ticker : tickers) {
            order.add(Tickers.requireValid(ticker));
        }
        order.addAll(listed.keySet());
        order.addAll(delisted.keySet());
        Map<String, Listing> listings = new HashMap<>(order.size() * 2);
        for (String ticker : order) {
            LocalDate from = listed.getOrDefault(ticker, KNOWN_LISTINGS.getOrDefault(ticker, FIRST_DATE));
            LocalDate last = delisted.get(ticker);
            if (last != null && last.isBefore(from)) {
                throw new IllegalArgumentException("delistedAfter: " + ticker + " would trade last on " + last
                        + ", before it lists on " + from);
            }
            listings.put(ticker, new Listing(ticker, from, last));
        }
        return new Universe(List.copyOf(order), Map.copyOf(listings));
    }

    /** Grouped-daily order. */
    List<String> tickers() {
        return tickers;
    }

    /** The listing of {@code ticker}, or null when it is not in this universe. */
    Listing listing(String ticker) {
        return listings.get(ticker);
    }

    boolean tradesOn(String ticker, LocalDate date) {
        Listing listing = listings.get(ticker);
        return listing != null && listing.tradesOn(date);
    }

    int size() {
        return tickers.size();
    }
}
