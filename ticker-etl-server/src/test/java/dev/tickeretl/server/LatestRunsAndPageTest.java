package dev.tickeretl.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tickeretl.Bar;
import dev.tickeretl.RunRecord;
import dev.tickeretl.RunStatus;
import dev.tickeretl.internal.JsonCodec;
import dev.tickeretl.testkit.TestBars;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /v1/latest}, {@code /v1/runs}, and the page with its assets, all from the jar. */
class LatestRunsAndPageTest {

    @TempDir
    Path dir;

    private ServedStore served;

    @BeforeEach
    void start() {
        served = ServedStore.start(dir);
    }

    @AfterEach
    void stop() {
        served.close();
    }

    @Test
    void latestIsEachTickersLastStoredBarHoweverLongAgoAndNullForNone() {
        served.write(TestBars.weekdays("AAPL", LocalDate.of(2025, 2, 24), LocalDate.of(2025, 3, 5)));
        // MSFT stopped trading two years ago; a bar after "today" (2025-03-05) is not the latest yet.
        served.write(TestBars.weekdays("MSFT", LocalDate.of(2022, 12, 1), LocalDate.of(2023, 1, 13)));
        served.write(List.of(TestBars.day("AAPL", LocalDate.of(2025, 3, 7))));

        JsonNode latest = served.get("/v1/latest?tickers=AAPL,msft,NVDA").json();

        assertThat(latest.fieldNames()).toIterable().containsExactly("AAPL", "MSFT", "NVDA");
        assertThat(ServedStore.bar(latest.get("AAPL")))
                .isEqualTo(TestBars.day("AAPL", LocalDate.of(2025, 3, 5)));
        assertThat(ServedStore.bar(latest.get("MSFT")))
                .isEqualTo(TestBars.day("MSFT", LocalDate.of(2023, 1, 13)));
        assertThat(latest.get("NVDA").isNull()).isTrue();
    }

    @Test
    void latestMinuteIsTheLastMinuteOfTheLastDayThatHasOne() {
        Bar last = TestBars.minute("AAPL", LocalDateTime.of(LocalDate.of(2025, 3, 3), LocalTime.of(15, 59)), 1, 1, 1,
                1, 1);
        served.write(List.of(TestBars.minute("AAPL", LocalDateTime.of(LocalDate.of(2025, 3, 3), LocalTime.of(9,
                30)), 1, 1, 1, 1, 1), last));

        JsonNode latest = served.get("/v1/latest?tickers=AAPL&timespan=minute").json();

        assertThat(ServedStore.bar(latest.get("AAPL"))).isEqualTo(last);
    }

    @Test
    void runsAreTheRunRecordsNewestFirst() {
        served.data.putRun(run("20250101T000000000Z-aaaaaa", Instant.parse("2025-01-01T00:00:00Z")));
        served.data.putRun(run("20250102T000000000Z-bbbbbb", Instant.parse("2025-01-02T00:00:00Z")));

        JsonNode all = served.get("/v1/runs").json();
        JsonNode one = served.get("/v1/runs?limit=1").json();

        assertThat(all).extracting(r -> r.get("run_id").asText())
                .containsExactly("20250102T000000000Z-bbbbbb", "20250101T000000000Z-aaaaaa");
        assertThat(one).hasSize(1);
        assertThat(all.get(0).get("status").asText()).isEqualTo("SUCCEEDED");
    }

    /** Built from its JSON form, so the test does not depend on the record's Java constructor. */
    private static RunRecord run(String id, Instant started) {
        return JsonCodec.parseRun(("{\"run_id\":\"" + id + "\",\"status\":\"" + RunStatus.SUCCEEDED
                + "\",\"started_at\":\"" + started + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void thePageLoadsItsChartingLibraryFromThisServerNeverFromACdn() {
        ServedStore.Response page = served.get("/");
        ServedStore.Response library = served.get("/assets/echarts.min.js");
        ServedStore.Response app = served.get("/assets/app.js");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(page.text()).contains("<script src=\"assets/echarts.min.js\"></script>")
                .doesNotContain("http://", "https://");
        assertThat(library.status()).isEqualTo(200);
        assertThat(library.header("Content-Type")).startsWith("text/javascript");
        assertThat(library.body().length).isGreaterThan(500_000);
        assertThat(new String(library.body(), 0, 2000, StandardCharsets.UTF_8)).contains("Apache");
        assertThat(app.text()).contains("v1/bars?").contains("v1/stream?");
        assertThat(served.get("/assets/echarts-LICENSE.txt").text()).contains("Apache License");
        assertThat(served.get("/assets/echarts-LICENSE-d3.txt").status()).isEqualTo(200);
        assertThat(served.get("/assets/echarts.min.js", "If-None-Match", library.header("ETag")).status())
                .isEqualTo(304);
    }
}
