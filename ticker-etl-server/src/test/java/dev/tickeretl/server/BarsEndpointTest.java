package dev.tickeretl.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tickeretl.Bar;
import dev.tickeretl.Phase;
import dev.tickeretl.testkit.TestBars;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code /v1/bars}: the stored records in three formats, tags that let clients revalidate, and strict input. */
class BarsEndpointTest {

    private static final LocalDate FROM = LocalDate.of(2024, 12, 2);
    private static final LocalDate TO = LocalDate.of(2025, 3, 5);

    @TempDir
    Path dir;

    private ServedStore served;
    private List<Bar> aapl;

    @BeforeEach
    void start() {
        served = ServedStore.start(dir);
        aapl = new ArrayList<>();
        Phase[] phases = Phase.values();
        int i = 0;
        for (Bar b : TestBars.weekdays("AAPL", FROM, TO)) {
            // Every phase, a missing prior volume, and an odd vwap so that all value shapes appear.
            Bar tagged = b.withPhase(phases[i % 3], i == 0 ? null : 1_000_000.0 + i);
            aapl.add(i == 1 ? TestBars.withVolume(tagged, 1234.5) : tagged);
            i++;
        }
        served.write(aapl);
        served.write(TestBars.weekdays("MSFT", FROM, TO));
        RecordingStoreProvider.READS.clear();
    }

    @AfterEach
    void stop() {
        served.close();
    }

    private List<Bar> stored(LocalDate from, LocalDate to) {
        return served.store.bars("AAPL", from, to);
    }

    @Test
    void ndjsonIsTheStoredRecordsOneALineAsBarsJsonlPrintsThem() {
        ServedStore.Response r = served.get("/v1/bars?ticker=AAPL&from=2024-12-30&to=2025-01-10");

        StringBuilder expected = new StringBuilder();
        for (Bar b : stored(LocalDate.of(2024, 12, 30), LocalDate.of(2025, 1, 10))) {
            expected.append(b.toJson()).append('\n'); // what BarsCommand prints for --format jsonl
        }
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("application/x-ndjson");
        assertThat(r.text()).isEqualTo(expected.toString()).hasLineCount(10);
    }

    @Test
    void tickerCaseAndBlanksAreForgivenAsTheCliForgivesThem() {
        assertThat(served.get("/v1/bars?ticker=%20aapl&from=2025-01-02&to=2025-01-03").text())
                .isEqualTo(served.get("/v1/bars?ticker=AAPL&from=2025-01-02&to=2025-01-03").text())
                .isNotEmpty();
    }

    @Test
    void jsonIsOneArrayOfTheSameRecords() {
        ServedStore.Response r = served.get("/v1/bars?ticker=AAPL&from=2025-01-01&to=2025-01-31&format=json");

        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        JsonNode array = r.json();
        List<Bar> expected = stored(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 1, 31));
        assertThat(array).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(ServedStore.bar(array.get(i))).isEqualTo(expected.get(i));
        }
        assertThat(served.get("/v1/bars?ticker=AAPL&from=2025-01-04&to=2025-01-05&format=json").text())
                .isEqualTo("[]");
    }

    @Test
    void csvCellsAreTheJsonValuesUnderTheContractsFieldNames() {
        ServedStore.Response csv = served.get("/v1/bars?ticker=AAPL&from=2024-12-02&to=2024-12-06&format=csv");
        JsonNode json = served.get("/v1/bars?ticker=AAPL&from=2024-12-02&to=2024-12-06&format=json").json();

        assertThat(csv.header("Content-Type")).isEqualTo("text/csv; charset=utf-8");
        List<String> rows = csv.text().lines().toList();
        String[] header = rows.get(0).split(",", -1);
        assertThat(rows).hasSize(json.size() + 1);
        for (int row = 1; row < rows.size(); row++) {
            String[] cells = rows.get(row).split(",", -1);
            JsonNode record = json.get(row - 1);
            assertThat(cells).hasSameSizeAs(header);
            Iterator<String> names = record.fieldNames();
            int column = 0;
            while (names.hasNext()) {
                String name = names.next();
                assertThat(header[column]).isEqualTo(name);
                JsonNode value = record.get(name);
                assertThat(cells[column]).as(name).isEqualTo(value.isNull() ? "" : value.asText());
                column++;
            }
        }
        assertThat(csv.text()).contains(",,"); // the first bar's null prior_volume is an empty cell
    }

    @Test
    void minuteBarsAreServedFromTheUnadjustedDatasetUnlessTheAdjustedOneIsAsked() {
        LocalDate day = LocalDate.of(2025, 3, 4);
        List<Bar> unadjusted = List.of(
                TestBars.minute("AAPL", LocalDateTime.of(day, LocalTime.of(9, 30)), 1, 2, 0.5, 1.5, 100),
                TestBars.minute("AAPL", LocalDateTime.of(day, LocalTime.of(9, 31)), 1.5, 2, 1, 1.2, 90));
        // The same minute after a 2:1 split, as an adjusted REST ingest would store it.
        Bar adjusted = TestBars.withAdjusted(TestBars.minute("AAPL", LocalDateTime.of(day, LocalTime.of(9, 30)),
                0.5, 1, 0.25, 0.75, 200), true);
        served.write(unadjusted);
        served.write(List.of(adjusted));
        String url = "/v1/bars?ticker=AAPL&from=2025-03-04&to=2025-03-04&timespan=minute";

        ServedStore.Response byDefault = served.get(url);
        List<String> defaultReads = List.copyOf(RecordingStoreProvider.READS);
        RecordingStoreProvider.READS.clear();
        ServedStore.Response asked = served.get(url + "&adjusted=true");

        assertThat(byDefault.bars()).isEqualTo(unadjusted);
        assertThat(byDefault.text()).isEqualTo(unadjusted.get(0).toJson() + "\n" + unadjusted.get(1).toJson() + "\n");
        // Exactly the one day partition of the minute dataset asked for, and that dataset's stream segments.
        // (The segments are listed first: a compaction between the two reads cannot hide a bar.)
        assertThat(defaultReads).containsExactly(
                "list state/segments/bars-unadjusted/timespan=minute/",
                "read bars-unadjusted/timespan=minute/ticker=AAPL/date=2025-03-04/bars.jsonl");
        assertThat(asked.bars()).containsExactly(adjusted);
        assertThat(RecordingStoreProvider.READS).containsExactly(
                "list state/segments/bars/timespan=minute/",
                "read bars/timespan=minute/ticker=AAPL/date=2025-03-04/bars.jsonl");
    }

    @Test
    void dayBarsAreServedSplitAdjustedUnlessTheUnadjustedOnesAreAsked() {
        LocalDate day = LocalDate.of(2025, 1, 2);
        Bar adjusted = stored(day, day).get(0);
        Bar unadjusted = TestBars.withAdjusted(TestBars.day("AAPL", day, 200, 210, 190, 205, 500_000), false);
        served.write(List.of(unadjusted));
        RecordingStoreProvider.READS.clear();

        assertThat(served.get("/v1/bars?ticker=AAPL&from=2025-01-02&to=2025-01-02").bars()).containsExactly(adjusted);
        assertThat(served.get("/v1/bars?ticker=AAPL&from=2025-01-02&to=2025-01-02&adjusted=false").bars())
                .containsExactly(unadjusted);
        assertThat(RecordingStoreProvider.READS).containsExactly(
                "read bars/timespan=day/ticker=AAPL/year=2025/bars.jsonl",
                "read bars-unadjusted/timespan=day/ticker=AAPL/year=2025/bars.jsonl");
    }

    @Test
    void anUnchangedAnswerIsNotSentAgainToAClientThatHasIt() {
        String url = "/v1/bars?ticker=AAPL&from=2025-01-02&to=2025-01-31";
        ServedStore.Response first = served.get(url);
        String etag = first.header("ETag");

        ServedStore.Response again = served.get(url, "If-None-Match", etag);

        assertThat(etag).matches("\"[0-9a-f]{16}-[0-9a-f]+\"");
        assertThat(served.get(url).header("ETag")).isEqualTo(etag);
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(served.get(url, "If-None-Match", "W/" + etag + ", \"other\"").status()).isEqualTo(304);
        assertThat(served.get(url, "If-None-Match", "\"something-else\"").status()).isEqualTo(200);
        assertThat(served.get(url + "&format=csv").header("ETag")).isNotEqualTo(etag);
    }

    @Test
    void aCorrectionChangesTheTagSoNoClientKeepsTheOldBars() {
        String url = "/v1/bars?ticker=AAPL&from=2025-01-02&to=2025-01-31";
        String before = served.get(url).header("ETag");
        Bar jan15 = stored(LocalDate.of(2025, 1, 15), LocalDate.of(2025, 1, 15)).get(0);

        served.write(List.of(TestBars.withVolume(jan15, jan15.volume() + 1)));
        ServedStore.Response after = served.get(url, "If-None-Match", before);

        assertThat(after.status()).isEqualTo(200);
        assertThat(after.header("ETag")).isNotEqualTo(before);
    }

    @Test
    void settledRangesMayBeReusedForAnHourAndRecentOnesAreAlwaysRevalidated() {
        // Today is Wed 2025-03-05 in New York: Tuesday's session may still be corrected, Monday's is settled.
        assertThat(served.get("/v1/bars?ticker=AAPL&from=2025-01-02&to=2025-03-03").header("Cache-Control"))
                .isEqualTo("public, max-age=3600");
        assertThat(served.get("/v1/bars?ticker=AAPL&from=2025-01-02&to=2025-03-04").header("Cache-Control"))
                .isEqualTo("no-cache");
        assertThat(served.get("/v1/bars?ticker=AAPL&from=2025-03-05&to=2025-03-05").header("Cache-Control"))
                .isEqualTo("no-cache");
    }

    @Test
    void headAnswersTheHeadersWithoutTheBody() {
        ServedStore.Response get = served.get("/v1/bars?ticker=AAPL&from=2025-01-02&to=2025-01-31");
        ServedStore.Response head = served.send("HEAD", "/v1/bars?ticker=AAPL&from=2025-01-02&to=2025-01-31");

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.header("ETag")).isEqualTo(get.header("ETag"));
        assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(get.body().length));
    }

    @ParameterizedTest(name = "{0} -> {1} names {2}")
    @CsvSource(delimiter = '|', value = {
        "/v1/bars?from=2025-01-02&to=2025-01-31                                     | 400 | ticker",
        "/v1/bars?ticker=&from=2025-01-02&to=2025-01-31                             | 400 | ticker",
        "/v1/bars?ticker=..%2F..%2Fetc&from=2025-01-02&to=2025-01-31                | 400 | ticker",
        "/v1/bars?ticker=AAPL%2F..%2F..&from=2025-01-02&to=2025-01-31               | 400 | ticker",
        "/v1/bars?ticker=AAPL,MSFT&from=2025-01-02&to=2025-01-31                    | 400 | ticker",
        "/v1/bars?ticker=AAPL&to=2025-01-31                                         | 400 | from",
        "/v1/bars?ticker=AAPL&from=2025-13-02&to=2025-01-31                         | 400 | from",
        "/v1/bars?ticker=AAPL&from=2025-02-30&to=2025-03-31                         | 400 | from",
        "/v1/bars?ticker=AAPL&from=+12025-01-01&to=2025-01-31                       | 400 | from",
        "/v1/bars?ticker=AAPL&from=1969-12-31&to=2025-01-31                         | 400 | from",
        "/v1/bars?ticker=AAPL&from=2025-02-01&to=2025-01-31                         | 400 | from",
        "/v1/bars?ticker=AAPL&from=2025-01-02&to=2100-01-01                         | 400 | to",
        "/v1/bars?ticker=AAPL&from=2025-01-02&to=2025-01-31&timespan=hour           | 400 | timespan",
        "/v1/bars?ticker=AAPL&from=2025-01-02&to=2025-02-28&timespan=minute         | 400 | to",
        "/v1/bars?ticker=AAPL&from=2025-01-02&to=2025-01-31&adjusted=yes            | 400 | adjusted",
        "/v1/bars?ticker=AAPL&from=2025-01-02&to=2025-01-31&format=xml              | 400 | format",
        "/v1/bars?ticker=AAPL&from=2025-01-02&to=2025-01-31&tickr=MSFT              | 400 | tickr",
        "/v1/bars?ticker=AAPL&ticker=MSFT&from=2025-01-02&to=2025-01-31             | 400 | ticker",
        "/v1/latest                                                                 | 400 | tickers",
        "/v1/latest?tickers=AAPL,,MSFT                                              | 400 | tickers",
        "/v1/runs?limit=0                                                           | 400 | limit",
        "/v1/runs?limit=ten                                                         | 400 | limit",
        "/v1/stream?tickers=AAPL&date=2025-3-5                                      | 400 | date",
        "/v1/nothing                                                                | 404 | ",
        "/assets/..%2F..%2Fpom.xml                                                  | 404 | ",
        "/assets/../../pom.xml                                                      | 404 | "})
    void badInputIsA4xxJsonErrorNamingTheFieldAndNeverReachesTheStore(String url, int status, String field) {
        ServedStore.Response r = served.get(url.trim());

        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        JsonNode error = r.json().get("error");
        assertThat(error.get("status").asInt()).isEqualTo(status);
        if (field == null) {
            assertThat(error.get("field").isNull()).isTrue();
        } else {
            assertThat(error.get("field").asText()).isEqualTo(field);
            assertThat(error.get("message").asText()).startsWith(field + ": ");
        }
        assertThat(RecordingStoreProvider.READS).isEmpty();
    }

    @Test
    void aRequestTargetThatIsNoUriIsRefusedByTheHttpLayerBeforeAnyRead() {
        // The JDK's server answers these itself (a plain-text 400): there is no field to name, only broken bytes.
        ServedStore.Response r = served.get("/v1/bars?ticker=AAPL&from=2025-01-02&to=2025-01-31&x=%zz");

        assertThat(r.status()).isEqualTo(400);
        assertThat(RecordingStoreProvider.READS).isEmpty();
    }

    @Test
    void aPageElsewhereCannotReadTheStoreByRebindingItsNameToLoopback() {
        ServedStore.Response foreign = served.raw("GET /v1/bars?ticker=AAPL&from=2025-01-02&to=2025-01-31",
                "attacker.example:" + served.server.port());
        ServedStore.Response local = served.raw("GET /v1/bars?ticker=AAPL&from=2025-01-02&to=2025-01-31",
                "localhost:" + served.server.port());

        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.json().get("error").get("field").asText()).isEqualTo("Host");
        assertThat(local.status()).isEqualTo(200);
        assertThat(RecordingStoreProvider.READS)
                .containsExactly("read bars/timespan=day/ticker=AAPL/year=2025/bars.jsonl");
    }

    @Test
    void writesAreRefusedWithTheAllowedMethods() {
        ServedStore.Response r = served.send("DELETE", "/v1/bars?ticker=AAPL&from=2025-01-02&to=2025-01-31");

        assertThat(r.status()).isEqualTo(405);
        assertThat(r.header("Allow")).isEqualTo("GET, HEAD");
        assertThat(r.json().get("error").get("message").asText()).contains("read-only");
    }

    @Test
    void aStoreThatCannotBeReadIsA503NotAStackTrace(@TempDir Path other) {
        try (ServedStore failing = ServedStore.start(other, Map.of("fail", "true"), b -> b)) {
            ServedStore.Response r = failing.get("/v1/bars?ticker=AAPL&from=2025-01-02&to=2025-01-31");

            assertThat(r.status()).isEqualTo(503);
            assertThat(r.json().get("error").get("message").asText()).isEqualTo("the store cannot be read right now");
            assertThat(r.text()).doesNotContain(other.toString());
        }
    }
}
