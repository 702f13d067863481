package dev.tickeretl.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.Bar;
import dev.tickeretl.spi.BarStore;
import dev.tickeretl.spi.StoreLayout;
import dev.tickeretl.testkit.TestBars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The layout is what a query engine reads as it is. The partition keys {@code ticker} and {@code timespan} repeat
 * fields of every record; DuckDB takes such a column from the path (the values are the same by construction), and
 * auto-casts path values, so the documented query pins their types with {@code hive_types}.
 */
class DuckDbReadsTheLayoutTest {

    /** The query the documentation gives for daily bars; {@code %s} is the store root. */
    static final String DAILY_BARS = "read_json('%s/bars/timespan=day/*/*/*.jsonl', hive_partitioning = true, "
            + "hive_types = {'ticker': VARCHAR, 'timespan': VARCHAR, 'year': INTEGER})";
    /** The same for minute bars. */
    static final String MINUTE_BARS = "read_json('%s/bars/timespan=minute/*/*/*.jsonl', hive_partitioning = true, "
            + "hive_types = {'ticker': VARCHAR, 'timespan': VARCHAR, 'date': DATE})";

    @TempDir
    Path tmp;

    private Path root;
    private BarStore store;
    private Connection duckdb;

    @BeforeEach
    void open() throws SQLException {
        root = tmp.resolve("data");
        store = new FileStoreProvider().open(root.toUri(), Map.of());
        duckdb = DriverManager.getConnection("jdbc:duckdb:");
    }

    @AfterEach
    void close() throws SQLException {
        duckdb.close();
    }

    @Test
    void duckDbReadsDailyBarsOfTwoTickersOverTwoYearsWithHivePartitioning() throws Exception {
        List<Bar> aapl = TestBars.weekdays("AAPL", LocalDate.of(2023, 1, 1), LocalDate.of(2024, 12, 31));
        List<Bar> brk = TestBars.weekdays("BRK.A", LocalDate.of(2023, 7, 1), LocalDate.of(2024, 6, 30));
        List<Bar> all = new ArrayList<>(aapl);
        all.addAll(brk);
        store.write(all);
        // Debris and lock files must not be picked up by the glob.
        Path partition = root.resolve(StoreLayout.partitionOf(aapl.get(0)));
        Files.writeString(partition.resolveSibling(".bars.jsonl.crashed.tmp"), "{\"ticker\":\"AA");

        Map<String, String> perTickerAndYear = rows("SELECT ticker || ' ' || year AS k, count(*) AS n FROM "
                + daily() + " GROUP BY ALL ORDER BY k");
        assertThat(perTickerAndYear).containsExactly(
                Map.entry("AAPL 2023", count(aapl, 2023)), Map.entry("AAPL 2024", count(aapl, 2024)),
                Map.entry("BRK.A 2023", count(brk, 2023)), Map.entry("BRK.A 2024", count(brk, 2024)));

        Bar monday = TestBars.day("AAPL", LocalDate.of(2024, 3, 11));
        try (Statement s = duckdb.createStatement(); ResultSet rs = s.executeQuery("SELECT close, volume, vwap, "
                + "start_ms, CAST(trading_date AS VARCHAR), timespan, phase, year FROM " + daily()
                + " WHERE ticker = 'AAPL' AND trading_date = DATE '2024-03-11'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getDouble(1)).isEqualTo(monday.close());
            assertThat(rs.getDouble(2)).isEqualTo(monday.volume());
            assertThat(rs.getDouble(3)).isEqualTo(monday.vwap());
            assertThat(rs.getLong(4)).isEqualTo(monday.startMs());
            assertThat(rs.getString(5)).isEqualTo("2024-03-11");
            assertThat(rs.getString(6)).isEqualTo("day");
            assertThat(rs.getString(7)).isEqualTo("Neutral");
            assertThat(rs.getInt(8)).isEqualTo(2024);
            assertThat(rs.next()).as("one bar per key").isFalse();
        }
    }

    @Test
    void duckDbReadsMinuteBarsWithTheirDatePartition() throws Exception {
        List<Bar> minutes = new ArrayList<>();
        for (int m = 0; m < 390; m++) {
            minutes.add(TestBars.minute("AAPL", LocalDateTime.of(2024, 3, 11, 9, 30).plusMinutes(m)));
            minutes.add(TestBars.minute("AAPL", LocalDateTime.of(2024, 3, 12, 9, 30).plusMinutes(m)));
        }
        store.write(minutes);

        assertThat(rows("SELECT CAST(date AS VARCHAR) AS k, count(*) AS n FROM " + minute()
                + " WHERE ticker = 'AAPL' AND timespan = 'minute' GROUP BY ALL ORDER BY k"))
                .containsExactly(Map.entry("2024-03-11", "390"), Map.entry("2024-03-12", "390"));
    }

    @Test
    void aTickerThatLooksLikeADateStaysTextWithTheDocumentedHiveTypes() throws Exception {
        // Left to auto-casting, DuckDB reads the path value "INFINITY" of a lone partition as a DATE and lets it
        // replace the record's own ticker field; hive_types keeps it the symbol it is.
        store.write(TestBars.weekdays("INFINITY", LocalDate.of(2024, 1, 1), LocalDate.of(2024, 1, 5)));

        assertThat(rows("SELECT ticker AS k, typeof(ticker) AS t FROM read_json('" + root
                + "/bars/timespan=day/ticker=INFINITY/*/*.jsonl', hive_partitioning = true, "
                + "hive_types = {'ticker': VARCHAR, 'timespan': VARCHAR, 'year': INTEGER}) GROUP BY ALL"))
                .containsExactly(Map.entry("INFINITY", "VARCHAR"));
    }

    private String daily() {
        return String.format(DAILY_BARS, root);
    }

    private String minute() {
        return String.format(MINUTE_BARS, root);
    }

    /** First column to second column of every row, in order. */
    private Map<String, String> rows(String sql) throws SQLException {
        Map<String, String> rows = new LinkedHashMap<>();
        try (Statement s = duckdb.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getString(2));
            }
        }
        return rows;
    }

    private static String count(List<Bar> bars, int year) {
        return String.valueOf(bars.stream().filter(b -> b.tradingDate().getYear() == year).count());
    }

    /** The query docs/monitoring.md gives for trending run records; {@code %s} is the store root. */
    static final String RUNS = "SELECT run_id, status, duration_ms, totals.failed_tickers AS failed, "
            + "requests.rate_limited AS limited FROM read_json('%s/runs/*.json') ORDER BY run_id DESC";

    @Test
    void duckDbTrendsRunRecordsWithTheMonitoringQuery() throws Exception {
        java.time.Instant t0 = java.time.Instant.parse("2025-01-31T21:00:00Z");
        dev.tickeretl.RunRecord.RunParameters params = new dev.tickeretl.RunRecord.RunParameters(List.of("AAPL"),
                LocalDate.of(2025, 1, 2), LocalDate.of(2025, 1, 31), dev.tickeretl.Timespan.DAY, true, false,
                "polygon", root.toUri().toString(), "brief");
        store.putRun(new dev.tickeretl.RunRecord("20250131T210000000Z-aaaaaa", dev.tickeretl.RunStatus.SUCCEEDED, t0,
                t0.plusSeconds(2), 2000L, params, new dev.tickeretl.RunRecord.Totals(1, 0, 20, 20, 0, 0, 0, 1, 900),
                new dev.tickeretl.spi.RequestStats(1, 1, 0, 0, 0, 0), Map.of(), List.of(), null));
        store.putRun(new dev.tickeretl.RunRecord("20250201T210000000Z-bbbbbb", dev.tickeretl.RunStatus.PARTIAL,
                t0.plusSeconds(86_400), t0.plusSeconds(86_409), 9000L, params,
                new dev.tickeretl.RunRecord.Totals(1, 1, 0, 0, 0, 0, 0, 0, 0),
                new dev.tickeretl.spi.RequestStats(7, 7, 6, 6, 8000, 1), Map.of(), List.of(), "HTTP 503"));

        List<String> rows = new ArrayList<>();
        try (Statement s = duckdb.createStatement(); ResultSet rs = s.executeQuery(String.format(RUNS, root))) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getLong(3) + " " + rs.getInt(4) + " "
                        + rs.getLong(5));
            }
        }

        assertThat(rows).containsExactly("20250201T210000000Z-bbbbbb PARTIAL 9000 1 6",
                "20250131T210000000Z-aaaaaa SUCCEEDED 2000 0 0");
    }
}
