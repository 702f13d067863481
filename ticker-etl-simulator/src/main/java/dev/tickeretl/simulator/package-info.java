/**
 * A Polygon-compatible server on 127.0.0.1 for tests, benchmarks and offline runs: {@link
 * dev.tickeretl.simulator.PolygonSimulator} (REST aggregates and, on the same port, the stocks WebSocket described in
 * {@link dev.tickeretl.simulator.SimulatedStream}), and the offline {@code simulator} source
 * ({@link dev.tickeretl.simulator.SimulatorSourceProvider}). No test framework is needed or brought along.
 *
 * <h2>Endpoints</h2>
 * <ul>
 *   <li>{@code GET /v2/aggs/ticker/{ticker}/range/1/{day|minute}/{from}/{to}} with {@code adjusted} (default true),
 *       {@code sort} ({@code asc} default, {@code desc}) and {@code limit} (default 5000, at most 50000; a page holds
 *       {@code min(limit, pageSize)} results). {@code from}/{@code to} are {@code YYYY-MM-DD} (whole New York days)
 *       or Unix ms (inclusive bounds on {@code t}). Fields: {@code ticker, queryCount, resultsCount, adjusted,
 *       results[], status, request_id, count, next_url}; {@code results} is left out when empty. {@code next_url}
 *       is absolute, points at this simulator, carries an opaque {@code cursor} and never a key; it repeats the
 *       query from the next bar on. A symbol of the universe has data while it is listed; any other symbol (a typo
 *       such as {@code APPL}) answers 200 with no results, as Polygon does for an unknown ticker. Multipliers other
 *       than 1 and timespans other than day/minute answer 400. With a market clock
 *       ({@link dev.tickeretl.simulator.PolygonSimulator.Builder#marketClock}) minute bars exist only for minutes
 *       that have ended on it.</li>
 *   <li>{@code GET /v2/aggs/grouped/locale/us/market/stocks/{date}} with {@code adjusted}: one result (with
 *       {@code T}) per universe symbol listed on that date (the same bars the range endpoint serves); on a weekend or
 *       holiday {@code resultsCount} 0 and no {@code results}.
 *       Like real Polygon (polygon-io/issues#250), grouped {@code t} is 16:00 New York of the date, not the window
 *       start that the range endpoint uses: map it to a trading date before keying a bar.</li>
 *   <li>{@code GET /stocks} with a WebSocket upgrade: the stream ({@link dev.tickeretl.simulator.SimulatedStream});
 *       without one, 426.</li>
 * </ul>
 *
 * <h2>Data</h2>
 * Bars exist for the symbols of the universe ({@link dev.tickeretl.simulator.PolygonSimulator#universe()}) on NYSE
 * trading days ({@link dev.tickeretl.TradingCalendar#nyse()}) from 1970 to 2199 while they are listed (real symbols
 * from their real first trading day; listings and delistings can be set). A daily bar's {@code t} is 00:00 New York
 * of its date; minute bars cover the regular session (early closes included) with {@code t} at each minute's start,
 * except minutes without a trade, which have no bar (the opening and closing minutes always trade). Each bar is a pure function of (seed, ticker, date[, minute]): a smooth seeded
 * walk in log price plus per-day noise, so any two queries (or simulator instances with the same seed) agree on
 * every bar they share. Prices are positive with {@code l <= min(o, c) <= max(o, c) <= h} and {@code vw} in
 * {@code [l, h]}; volumes are positive, mostly whole, sometimes fractional; about 3% of days close at their open.
 * Unadjusted answers differ: every ticker has a simulated 2-, 3- or 4-for-1 split taking effect on 2030-01-02,
 * so before it unadjusted prices are multiplied and volumes divided by that ratio.
 *
 * <h2>Errors</h2>
 * Polygon-style JSON: {@code {"status":"ERROR","request_id":..,"error":..}} for 400, 401, 405, 429 and 5xx, and
 * {@code {"status":"NOT_FOUND","request_id":..,"message":..}} for unknown paths (404). Order of checks per request:
 * latency, key ({@link dev.tickeretl.simulator.PolygonSimulator.Builder#requireKey}), rate limit, fault
 * plan, endpoint.
 */
package dev.tickeretl.simulator;
