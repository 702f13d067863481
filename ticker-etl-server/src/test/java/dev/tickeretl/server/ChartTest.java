package dev.tickeretl.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tickeretl.Bar;
import dev.tickeretl.Store;
import dev.tickeretl.internal.Providers;
import dev.tickeretl.spi.BarStore;
import dev.tickeretl.spi.JsonCodec;
import dev.tickeretl.testkit.TestBars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one-file chart: library, page code and data inlined; nothing fetched when it opens. */
class ChartTest {

    @TempDir
    Path dir;

    private Store storeWith(List<Bar> bars) {
        BarStore writer = Providers.store(dir.toUri()).open(dir.toUri(), Map.of());
        writer.write(bars);
        writer.close();
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
            JsonNode json = JsonCodec.mapper().readTree(data.group(1));
            assertThat(json.get("mode").asText()).isEqualTo("file");
            JsonNode aapl = json.get("tickers").get("AAPL");
            assertThat(aapl).hasSize(8);
            for (int i = 0; i < aapl.size(); i++) {
                assertThat(JsonCodec.mapper().treeToValue(aapl.get(i), Bar.class)).isEqualTo(bars.get(i + 1));
            }
        }
    }

    @Test
    void textFromTheStoreCannotEndTheDataScriptEarly() throws Exception {
        // Stores validate tickers on write, but the file must be safe whatever a partition holds.
        Bar odd = TestBars.day("AAPL", LocalDate.of(2025, 1, 6));
        String line = JsonCodec.toJson(odd).replace("\"ticker\":\"AAPL\"",
                "\"ticker\":\"</script><script>alert(1)</script>\"");
        Path partition = dir.resolve("bars/timespan=day/ticker=AAPL/year=2025/bars.jsonl");
        Files.createDirectories(partition.getParent());
        Files.writeString(partition, line + "\n");
        try (Store store = Store.open(dir.toUri())) {
            String html = Chart.of(store, "AAPL", LocalDate.of(2025, 1, 6), LocalDate.of(2025, 1, 6)).html();

            String dataScript = html.substring(html.indexOf("id=\"ticker-etl-data\">"));
            String data = dataScript.substring("id=\"ticker-etl-data\">".length(), dataScript.indexOf("</script>"));
            assertThat(data).doesNotContain("<").contains("\\u003c/script>");
            assertThat(JsonCodec.mapper().readTree(data).get("tickers").get("AAPL").get(0).get("ticker").asText())
                    .isEqualTo("</script><script>alert(1)</script>");
            assertThat(Template.inlineScript("x='</script><!--'")).isEqualTo("x='<\\/script><\\!--'");
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
