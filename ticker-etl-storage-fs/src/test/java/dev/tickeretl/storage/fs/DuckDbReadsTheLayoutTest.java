package dev.tickeretl.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.Bar;
import dev.tickeretl.RequestStats;
import dev.tickeretl.RunRecord;
import dev.tickeretl.RunStatus;
import dev.tickeretl.Timespan;
import dev.tickeretl.internal.DataStore;
import dev.tickeretl.internal.StoreLayout;
import dev.tickeretl.testkit.TestBars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
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
 * auto-casts path values, so the documented query pins their types with {@code hive_types}. Adjusted and unadjusted
 * bars are separate datasets ({@code bars/} and {@code bars-unadjusted/}), so one query never mixes them.
 */
class DuckDbReadsTheLayoutTest {

    private static final String DAY_TYPES = "hive_types = {'ticker': VARCHAR, 'timespan': VARCHAR, 'year': INTEGER}";
    private static final String MINUTE_TYPES = "hive_types = {'ticker': VARCHAR, 'timespan': VARCHAR, 'date': DATE}";

    /** The query the documentation gives for daily bars; {@code %s} is the store root. */
    static final String DAILY_BARS = "read_json('%s/bars/timespan=day/*/*/*.jsonl', hive_partitioning = true, "
            + DAY_TYPES + ")";
    /** The same for unadjusted daily bars. */
    static final String UNADJUSTED_DAILY_BARS = "read_json('%s/bars-unadjusted/timespan=day/*/*/*.jsonl', "
            + "hive_partitioning = true, " + DAY_TYPES + ")";
    /** Unadjusted minute bars (what the live stream stores). */
    static final String UNADJUSTED_MINUTE_BARS = "read_json('%s/bars-unadjusted/timespan=minute/*/*/*.jsonl', "
            + "hive_partitioning = true, " + MINUTE_TYPES + ")";
    /** Adjusted minute bars (a REST backfill of minutes). */
    static final String MINUTE_BARS = "read_json('%s/bars/timespan=minute/*/*/*.jsonl', hive_partitioning = true, "
            + MINUTE_TYPES + ")";

    @TempDir
    Path tmp;

    private Path root;
    private DataStore store;
    private Connection duckdb;

    @BeforeEach
    void open() throws SQLException {
        root = tmp.resolve("data");
        store = TestStores.open(root);
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
        TestStores.write(store, all);
        // Debris and lock files must not be picked up by the glob.
        Path partition = root.resolve(StoreLayout.partitionOf(aapl.get(0)));
        Files.writeString(partition.resolveSibling(".bars.jsonl.crashed.tmp"), "{\"ticker\":\"AA");
        assertThat(partition.resolveSibling(".bars.jsonl.lock")).exists();

        Map<String, String> perTickerAndYear = rows("SELECT ticker || ' ' || year AS k, count(*) AS n FROM "
                + daily() + " GROUP BY ALL ORDER BY k");
        assertThat(perTickerAndYear).containsExactly(
                Map.entry("AAPL 2023", count(aapl, 2023)), Map.entry("AAPL 2024", count(aapl, 2024)),
                Map.entry("BRK.A 2023", count(brk, 2023)), Map.entry("BRK.A 2024", count(brk, 2024)));

        Bar monday = store.read("AAPL", Timespan.DAY, true, LocalDate.of(2024, 3, 11), LocalDate.of(2024, 3, 11))
                .get(0);
        Bar friday = store.read("AAPL", Timespan.DAY, true, LocalDate.of(2024, 3, 8), LocalDate.of(2024, 3, 8))
                .get(0);
        assertThat(monday.priorVolume()).as("tagged against the previous session").isEqualTo(friday.volume());
        try (Statement s = duckdb.createStatement(); ResultSet rs = s.executeQuery("SELECT close, volume, vwap, "
                + "start_ms, CAST(trading_date AS VARCHAR), timespan, phase, year, prior_volume, adjusted FROM "
                + daily() + " WHERE ticker = 'AAPL' AND trading_date = DATE '2024-03-11'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getDouble(1)).isEqualTo(monday.close());
            assertThat(rs.getDouble(2)).isEqualTo(monday.volume());
            assertThat(rs.getDouble(3)).isEqualTo(monday.vwap());
            assertThat(rs.getLong(4)).isEqualTo(monday.startMs());
            assertThat(rs.getString(5)).isEqualTo("2024-03-11");
            assertThat(rs.getString(6)).isEqualTo("day");
            assertThat(rs.getString(7)).isEqualTo(monday.phase().label());
            assertThat(rs.getInt(8)).isEqualTo(2024);
            assertThat(rs.getDouble(9)).isEqualTo(friday.volume());
            assertThat(rs.getBoolean(10)).isTrue();
            assertThat(rs.next()).as("one bar per key").isFalse();
        }
    }

    @Test
    void adjustedAndUnadjustedDailyBarsAreSeparateDatasetsThatNeverMix() throws Exception {
        List<Bar> adjusted = TestBars.weekdays("AAPL", LocalDate.of(2024, 12, 2), LocalDate.of(2025, 1, 31));
        List<Bar> unadjusted = adjusted.stream().filter(b -> b.tradingDate().getMonthValue() == 1)
                .map(b -> TestBars.withAdjusted(TestBars.withClose(b, b.close() * 4), false)).toList();
        List<Bar> all = new ArrayList<>(adjusted);
        all.addAll(unadjusted);
        TestStores.write(store, all);

        assertThat(rows("SELECT adjusted::VARCHAR || ' ' || year AS k, count(*) AS n FROM " + daily()
                + " GROUP BY ALL ORDER BY k"))
                .containsExactly(Map.entry("true 2024", count(adjusted, 2024)),
                        Map.entry("true 2025", count(adjusted, 2025)));
        assertThat(rows("SELECT adjusted::VARCHAR || ' ' || year AS k, count(*) AS n FROM " + unadjustedDaily()
                + " GROUP BY ALL ORDER BY k"))
                .containsExactly(Map.entry("false 2025", String.valueOf(unadjusted.size())));
        Bar jan2 = unadjusted.stream().filter(b -> b.tradingDate().equals(LocalDate.of(2025, 1, 2))).findFirst()
                .orElseThrow();
        String jan2Close = " WHERE ticker = 'AAPL' AND trading_date = DATE '2025-01-02'";
        assertThat(doubles("SELECT close FROM " + unadjustedDaily() + jan2Close)).containsExactly(jan2.close());
        assertThat(doubles("SELECT close FROM " + daily() + jan2Close)).containsExactly(jan2.close() / 4);
    }

    @Test
    void duckDbReadsMinuteBarsOfBothDatasetsWithTheirDatePartition() throws Exception {
        List<Bar> minutes = new ArrayList<>();
        for (int m = 0; m < 390; m++) {
            minutes.add(TestBars.minute("AAPL", LocalDateTime.of(2024, 3, 11, 9, 30).plusMinutes(m)));
            minutes.add(TestBars.minute("AAPL", LocalDateTime.of(2024, 3, 12, 9, 30).plusMinutes(m)));
        }
        minutes.add(TestBars.minute("MSFT", LocalDateTime.of(2024, 3, 12, 23, 59)));
        List<Bar> adjustedMinutes = List.of(
                TestBars.withAdjusted(TestBars.minute("AAPL", LocalDateTime.of(2024, 3, 13, 4, 0)), true),
                TestBars.withAdjusted(TestBars.minute("AAPL", LocalDateTime.of(2024, 3, 13, 4, 1)), true));
        List<Bar> all = new ArrayList<>(minutes);
        all.addAll(adjustedMinutes);
        TestStores.write(store, all);

        assertThat(rows("SELECT ticker || ' ' || CAST(date AS VARCHAR) AS k, count(*) AS n FROM "
                + unadjustedMinute() + " WHERE timespan = 'minute' AND NOT adjusted GROUP BY ALL ORDER BY k"))
                .containsExactly(Map.entry("AAPL 2024-03-11", "390"), Map.entry("AAPL 2024-03-12", "390"),
                        Map.entry("MSFT 2024-03-12", "1"));
        assertThat(rows("SELECT CAST(date AS VARCHAR) AS k, count(*) AS n FROM " + minute()
                + " WHERE ticker = 'AAPL' AND adjusted GROUP BY ALL ORDER BY k"))
                .containsExactly(Map.entry("2024-03-13", "2"));
        // A minute bar starting 23:59 New York lies in the next UTC day; its partition is its New York date.
        assertThat(rows("SELECT CAST(date AS VARCHAR) AS k, start_utc FROM " + unadjustedMinute()
                + " WHERE ticker = 'MSFT'")).containsOnlyKeys("2024-03-12");
        assertThat(rows("SELECT 'phase' AS k, count(*) FROM " + unadjustedMinute() + " WHERE phase IS NOT NULL"))
                .as("minute bars carry no phase").containsExactly(Map.entry("phase", "0"));
    }

    @Test
    void aTickerThatLooksLikeADateStaysTextWithTheDocumentedHiveTypes() throws Exception {
        // Left to auto-casting, DuckDB reads the path value "INFINITY" of a lone partition as a DATE and lets it
        // replace the record's own ticker field; hive_types keeps it the symbol it is.
        TestStores.write(store, TestBars.weekdays("INFINITY", LocalDate.of(2024, 1, 1), LocalDate.of(2024, 1, 5)));

        assertThat(rows("SELECT ticker AS k, typeof(ticker) AS t FROM read_json('" + root
                + "/bars/timespan=day/ticker=INFINITY/*/*.jsonl', hive_partitioning = true, " + DAY_TYPES
                + ") GROUP BY ALL"))
                .containsExactly(Map.entry("INFINITY", "VARCHAR"));
    }

    private String daily() {
        return String.format(DAILY_BARS, root);
    }

    private String unadjustedDaily() {
        return String.format(UNADJUSTED_DAILY_BARS, root);
    }

    private String minute() {
        return String.format(MINUTE_BARS, root);
    }

    private String unadjustedMinute() {
        return String.format(UNADJUSTED_MINUTE_BARS, root);
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

    /** The first column of every row, as numbers. */
    private List<Double> doubles(String sql) throws SQLException {
        List<Double> values = new ArrayList<>();
        try (Statement s = duckdb.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getDouble(1));
            }
        }
        return values;
    }

    private static String count(List<Bar> bars, int year) {
        return String.valueOf(bars.stream().filter(b -> b.tradingDate().getYear() == year).count());
    }

    /** A DuckDB query for trending run records; {@code %s} is the store root. */
    static final String RUNS = "SELECT run_id, status, duration_ms, totals.failed_tickers AS failed, "
            + "requests.rate_limited AS limited FROM read_json('%s/runs/*.json') ORDER BY run_id DESC";

    @Test
    void duckDbTrendsRunRecordsWithTheMonitoringQuery() throws Exception {
        Instant t0 = Instant.parse("2025-01-31T21:00:00Z");
        RunRecord.RunParameters params = new RunRecord.RunParameters(RunRecord.RunParameters.BATCH, List.of("AAPL"),
                LocalDate.of(2025, 1, 2), LocalDate.of(2025, 1, 31), Timespan.DAY, true, false, "polygon",
                root.toUri().toString(), List.of(), "brief");
        RunRecord.RunProcess process = new RunRecord.RunProcess("host-a", 4242, t0, t0, 30_000);
        store.putRun(new RunRecord("20250131T210000000Z-aaaaaa", RunStatus.SUCCEEDED, t0, t0.plusSeconds(2), 2000L,
                process, params, new RunRecord.Totals(1, 0, 20, 20, 0, 0, 0, 1, 900),
                new RequestStats(1, 1, 0, 0, 0, 0), Map.of(), Map.of(), Map.of(), List.of(), null));
        store.putRun(new RunRecord("20250201T210000000Z-bbbbbb", RunStatus.PARTIAL, t0.plusSeconds(86_400),
                t0.plusSeconds(86_409), 9000L, process, params, new RunRecord.Totals(1, 1, 0, 0, 0, 0, 0, 0, 0),
                new RequestStats(7, 7, 6, 6, 8000, 1), Map.of(), Map.of(), Map.of(), List.of(), "HTTP 503"));

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
