package dev.tickeretl.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tickeretl.Bar;
import dev.tickeretl.Store;
import dev.tickeretl.testkit.TestBars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one-file chart: library, page code and data inlined; nothing fetched when it opens. */
class ChartTest {

    @TempDir
    Path dir;

    /** A store holding exactly {@code bars} (a chart only reads, so they need not be tagged by an ingest). */
    private Store storeWith(List<Bar> bars) {
        StoredBars.put(dir, bars);
        return Store.open(dir.toUri());
    }

    @Test
    void theFileCarriesTheLibraryThePageCodeAndExactlyTheStoredBars() throws Exception {
        List<Bar> bars = TestBars.weekdays("AAPL", LocalDate.of(2025, 1, 6), LocalDate.of(2025, 1, 17));
        try (Store store = storeWith(bars)) {
            Path file = Chart.of(store, "aapl", LocalDate.of(2025, 1, 7), LocalDate.of(2025, 1, 16))
                    .writeHtml(dir.resolve("chart.html"));

            String html = Files.readString(file);
            assertThat(html).startsWith("<!doctype html>").contains(Assets.text(Assets.LIBRARY).substring(0, 200))
                    .contains("function render(view)").doesNotContain("<script src", "<link", "{{");
            Matcher data = Pattern.compile("<script type=\"application/json\" id=\"ticker-etl-data\">(.*?)</script>",
                    Pattern.DOTALL).matcher(html);
            assertThat(data.find()).isTrue();
            JsonNode json = ServedStore.JSON.readTree(data.group(1));
            assertThat(json.get("mode").asText()).isEqualTo("file");
            JsonNode aapl = json.get("tickers").get("AAPL");
            assertThat(aapl).hasSize(8);
            for (int i = 0; i < aapl.size(); i++) {
                assertThat(ServedStore.bar(aapl.get(i))).isEqualTo(bars.get(i + 1));
            }
        }
    }

    @Test
    void textInABarCannotEndTheDataScriptEarly() throws Exception {
        // Stores validate tickers on write and drop a partition's foreign lines on read, so no stored bar carries
        // markup today; the file must stay safe whatever a bar holds, so the chart is built from such a bar directly.
        Bar odd = TestBars.day("AAPL", LocalDate.of(2025, 1, 6));
        Bar hostile = Bar.parse(odd.toJson().replace("\"ticker\":\"AAPL\"",
                "\"ticker\":\"</script><script>alert(1)</script>\""));
        String html = new Chart("AAPL", LocalDate.of(2025, 1, 6), LocalDate.of(2025, 1, 6), List.of(hostile)).html();

        String dataScript = html.substring(html.indexOf("id=\"ticker-etl-data\">"));
        String data = dataScript.substring("id=\"ticker-etl-data\">".length(), dataScript.indexOf("</script>"));
        assertThat(data).doesNotContain("<").contains("\\u003c/script>");
        assertThat(ServedStore.JSON.readTree(data).get("tickers").get("AAPL").get(0).get("ticker").asText())
                .isEqualTo("</script><script>alert(1)</script>");
        assertThat(Template.inlineScript("x='</script><!--'")).isEqualTo("x='<\\/script><\\!--'");
    }

    @Test
    void aPartitionLineOfAnotherTickerNeverReachesTheChart() throws Exception {
        Bar aapl = TestBars.day("AAPL", LocalDate.of(2025, 1, 7));
        String foreign = TestBars.day("AAPL", LocalDate.of(2025, 1, 6)).toJson().replace("\"ticker\":\"AAPL\"",
                "\"ticker\":\"</script><script>alert(1)</script>\"");
        Path partition = dir.resolve("bars/timespan=day/ticker=AAPL/year=2025/bars.jsonl");
        Files.createDirectories(partition.getParent());
        Files.writeString(partition, foreign + "\n" + aapl.toJson() + "\n");
        try (Store store = Store.open(dir.toUri())) {
            Chart chart = Chart.of(store, "AAPL", LocalDate.of(2025, 1, 6), LocalDate.of(2025, 1, 7));

            assertThat(chart.bars()).containsExactly(aapl);
            assertThat(chart.html()).doesNotContain("alert(1)");
        }
    }

    @Test
    void aReversedRangeNamesTheField() {
        try (Store store = storeWith(List.of())) {
            assertThatThrownBy(() -> Chart.of(store, "AAPL", LocalDate.of(2025, 2, 1), LocalDate.of(2025, 1, 1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("from: ");
            assertThatThrownBy(() -> Chart.of(store, "../x", LocalDate.of(2025, 1, 1), LocalDate.of(2025, 1, 2)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("ticker: ");
        }
    }
}
