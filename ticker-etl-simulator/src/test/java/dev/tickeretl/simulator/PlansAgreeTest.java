package dev.tickeretl.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.Bar;
import dev.tickeretl.RunRecord;
import dev.tickeretl.Store;
import dev.tickeretl.TickerEtl;
import dev.tickeretl.polygon.PolygonSourceProvider;
import java.net.URI;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 point 3: the simulator serves one universe, so which request plan the Polygon source picks (grouped daily or
 * per-ticker ranges) cannot change the stored bars, for tickers that list or delist mid-range, days missing upstream,
 * corrected bars, and a symbol that does not exist.
 */
class PlansAgreeTest {

    private static final LocalDate FROM = LocalDate.of(2024, 3, 1);
    private static final LocalDate TO = LocalDate.of(2024, 4, 30);
    private static final List<String> TICKERS = List.of("AAPL", "MSFT", "NEWCO", "OLDCO", "GAPCO", "APPL");

    @TempDir
    Path dir;

    private static PolygonSimulator simulator() {
        return PolygonSimulator.builder()
                .universe(List.of("AAPL", "MSFT", "GAPCO", "OTHER"))
                .listedSince("NEWCO", LocalDate.of(2024, 3, 20))
                .delistedAfter("OLDCO", LocalDate.of(2024, 4, 10))
                .removeBar("GAPCO", LocalDate.of(2024, 3, 12))
                .removeBar("GAPCO", LocalDate.of(2024, 4, 2))
                .override("MSFT", LocalDate.of(2024, 3, 14), bar -> bar.withVolume(bar.volume() + 1234.5))
                .start();
    }

    private RunRecord ingest(PolygonSimulator sim, String plan, URI store) {
        return TickerEtl.builder()
                .tickers(TICKERS)
                .from(FROM).to(TO)
                .source(new PolygonSourceProvider(), Map.of("base-url", sim.baseUrl(), "require-key", "false",
                        "plan", plan))
                .store(store)
                .build().run();
    }

    @Test
    void groupedAndPerTickerPlansStoreIdenticalBarsForEveryTicker() {
        URI grouped = dir.resolve("grouped").toUri();
        URI perTicker = dir.resolve("per-ticker").toUri();
        try (PolygonSimulator sim = simulator()) {
            RunRecord byDate = ingest(sim, "grouped", grouped);
            RunRecord byTicker = ingest(sim, "per-ticker", perTicker);

            // The plan really differed: one request per trading day against one per ticker.
            assertThat(byDate.requests().dataRequests()).isGreaterThan(byTicker.requests().dataRequests());
            assertThat(byDate.totals().fetched()).isEqualTo(byTicker.totals().fetched());
        }

        List<String> seen = new ArrayList<>();
        try (Store a = Store.open(grouped); Store b = Store.open(perTicker)) {
            for (String ticker : TICKERS) {
                List<Bar> fromGrouped = a.bars(ticker, FROM, TO);
                List<Bar> fromRanges = b.bars(ticker, FROM, TO);
                assertThat(fromGrouped).as(ticker).isEqualTo(fromRanges);
                seen.add(ticker + "=" + fromGrouped.size());
            }
        }
        // 42 sessions in March and April 2024 (Good Friday closed); listings and removals shape the rest.
        assertThat(seen).containsExactly("AAPL=42", "MSFT=42", "NEWCO=29", "OLDCO=28", "GAPCO=40", "APPL=0");
    }
}
