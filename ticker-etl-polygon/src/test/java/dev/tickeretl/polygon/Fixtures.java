package dev.tickeretl.polygon;

import dev.tickeretl.Timespan;
import dev.tickeretl.spi.SourceRequest;
import dev.tickeretl.spi.TickerRange;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import mockwebserver3.MockWebServer;

/** Shared test settings: a distinctive key, four trading days, and backoffs short enough for a fast suite. */
final class Fixtures {

    /** Must never show up in a URL, a log line, an event or an exception message. */
    static final String KEY = "test-key-DO-NOT-LEAK-3f9a";

    /** Tuesday 2 to Friday 5 January 2024: trading days on any calendar (New Year's Day is the Monday). */
    static final LocalDate D1 = LocalDate.of(2024, 1, 2);
    static final LocalDate D2 = LocalDate.of(2024, 1, 3);
    static final LocalDate D3 = LocalDate.of(2024, 1, 4);
    static final LocalDate D4 = LocalDate.of(2024, 1, 5);

    private Fixtures() {
    }

    static String base(MockWebServer server) {
        return "http://" + server.getHostName() + ":" + server.getPort();
    }

    static PolygonSource.Builder fast(MockWebServer server) {
        return PolygonSource.builder()
                .baseUrl(base(server))
                .apiKey(KEY)
                .backoff(Duration.ofMillis(10), Duration.ofMillis(40))
                .retryBudget(Duration.ofSeconds(3))
                .requestTimeout(Duration.ofSeconds(3))
                .plan(PolygonSource.Plan.PER_TICKER)
                .concurrency(2);
    }

    /** Daily bars D1..D4 for each ticker. */
    static SourceRequest days(String... tickers) {
        return SourceRequest.bounded(Timespan.DAY, true,
                Arrays.stream(tickers).map(t -> new TickerRange(t, D1, D4)).toList());
    }
}
