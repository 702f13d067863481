package dev.tickeretl.cli;

import static dev.tickeretl.cli.CliRunner.cli;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tickeretl.Bar;
import dev.tickeretl.Phase;
import dev.tickeretl.RunRecord;
import dev.tickeretl.RunStatus;
import dev.tickeretl.Store;
import dev.tickeretl.TickerEtl;
import dev.tickeretl.Timespan;
import dev.tickeretl.TradingCalendar;
import dev.tickeretl.internal.BriefPhaseTagger;
import dev.tickeretl.internal.DataStore;
import dev.tickeretl.internal.Providers;
import dev.tickeretl.server.BarServer;
import dev.tickeretl.spi.ProviderContext;
import dev.tickeretl.spi.Storage;
import dev.tickeretl.testkit.HeadlessChromium;
import dev.tickeretl.testkit.TestBars;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart page in a real browser (Debian's chromium, headless, installed on first use) over a store written by a
 * real ingest from the offline simulator: every candle is drawn, in its day's phase colour, in date order; the minute
 * view follows the store live over Server-Sent Events; the chart file draws the same without a server.
 */
class ChartPageBrowserTest {

    private static final LocalDate FROM = LocalDate.of(2025, 1, 2);
    private static final LocalDate TO = LocalDate.of(2025, 1, 31);
    private static final Map<Phase, String> COLOURS = Map.of(Phase.BULL, "#16a34a", Phase.BEAR, "#dc2626",
            Phase.NEUTRAL, "#64748b");
    /** The screenshot the day-view test takes; copied into docs/chart.png for the README. */
    static final Path SCREENSHOT = Path.of("target", "chart.png");

    @TempDir
    static Path dir;
    private static URI storeUri;

    @BeforeAll
    static void ingest() {
        storeUri = dir.resolve("data").toUri();
        RunRecord run = TickerEtl.builder().tickers("AAPL", "MSFT").from(FROM).to(TO).source("simulator")
                .store(storeUri).build().run();
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    private static List<Phase> storedPhases(Store store, String ticker) {
        return store.bars(ticker, FROM, TO).stream().map(Bar::phase).toList();
    }

    @Test
    void theDayViewDrawsEveryStoredDayAsACandleInItsPhaseColourInDateOrder() throws IOException {
        try (Store store = Store.open(storeUri); BarServer server = BarServer.builder(store).port(0).start()) {
            String dom = HeadlessChromium.dumpDom(dir, server.uri().resolve("/?tickers=AAPL,msft&from=" + FROM + "&to="
                    + TO), Duration.ofSeconds(8), 1200, 1600);

            assertThat(attribute(dom, "body", "data-state")).isEqualTo("ready");
            for (String ticker : List.of("AAPL", "MSFT")) {
                List<Phase> phases = storedPhases(store, ticker);
                assertThat(phases).contains(Phase.BULL, Phase.BEAR, Phase.NEUTRAL).hasSize(20);
                String section = section(dom, ticker);
                assertThat(attribute(section, "section", "data-bars")).isEqualTo("20");
                assertThat(attribute(section, "section", "data-bull")).isEqualTo(count(phases, Phase.BULL));
                assertThat(attribute(section, "section", "data-bear")).isEqualTo(count(phases, Phase.BEAR));
                // What ECharts drew: one path per candle, filled and outlined in its phase colour, left to right.
                assertThat(candleColoursLeftToRight(section)).as(ticker).isEqualTo(colours(phases));
                assertThat(tableRowPhases(section)).isEqualTo(phases.stream().map(Phase::label).toList());
            }
        }
    }

    @Test
    void theScreenshotShowsTheCandlesInTheirPhaseColours() throws IOException {
        try (Store store = Store.open(storeUri); BarServer server = BarServer.builder(store).port(0).start()) {
            URI page = server.uri().resolve("/?tickers=AAPL&from=" + FROM + "&to=" + TO);
            String dom = HeadlessChromium.dumpDom(dir, page, Duration.ofSeconds(8), 1200, 680);
            Files.createDirectories(SCREENSHOT.getParent());
            HeadlessChromium.screenshot(dir, page, SCREENSHOT, Duration.ofSeconds(8), 1200, 680);

            BufferedImage image = ImageIO.read(SCREENSHOT.toFile());
            String[] plot = attribute(section(dom, "AAPL"), "section", "data-plot").split(",");
            List<Phase> seen = phasesByColumn(image, Integer.parseInt(plot[0]), Integer.parseInt(plot[1]),
                    Integer.parseInt(plot[2]), Integer.parseInt(plot[3]));
            assertThat(seen).isEqualTo(storedPhases(store, "AAPL"));
        }
    }

    @Test
    void theMinuteViewAddsAndRedrawsBarsThatAnotherWriterStoresWhileItIsOpen() throws IOException {
        LocalDate day = LocalDate.of(2025, 1, 3);
        List<Bar> minutes = new ArrayList<>();
        for (int m = 0; m < 10; m++) {
            minutes.add(minute(day, m, 1000 + m));
        }
        // Another writer, as the core writes: a minute ingest into the day partition, then a stream's group commits.
        DataStore writer = new DataStore(Providers.store(storeUri).open(storeUri, ProviderContext.of(Map.of()),
                Storage.Access.READ_WRITE), TradingCalendar.nyse());
        writer.write("AAPL", Timespan.MINUTE, false, minutes, new BriefPhaseTagger());
        try (Store store = Store.open(storeUri);
             BarServer server = BarServer.builder(store).port(0).pollInterval(Duration.ofMillis(200)).start();
             HeadlessChromium browser = HeadlessChromium.open(dir, server.uri().resolve(
                     "/?tickers=AAPL&view=minute&date=" + day), 1200, 900)) {
            browser.await("document.body.dataset.state === 'ready' && document.body.dataset.live === 'open'",
                    JsonNode::asBoolean, Duration.ofSeconds(30));
            assertThat(browser.evaluate("document.getElementById('chart-AAPL').dataset.bars").asText())
                    .isEqualTo("10");

            writer.appendSegment(Timespan.MINUTE, false, List.of(minute(day, 10, 5000), minute(day, 11, 6000),
                    TestBars.withVolume(minutes.get(5), 9000)), "browser-test");

            browser.await("document.getElementById('chart-AAPL').dataset.updates", v -> v.asText().equals("3"),
                    Duration.ofSeconds(20));
            assertThat(browser.evaluate("document.getElementById('chart-AAPL').dataset.bars").asText())
                    .isEqualTo("12");
            assertThat(browser.evaluate("document.querySelectorAll('#chart-AAPL svg path[fill=\"#64748b\"]')"
                    + ".length").asInt()).isEqualTo(12); // minute bars are drawn in the Neutral colour
            assertThat(browser.evaluate("document.querySelector('#chart-AAPL .summary').textContent").asText())
                    .contains("12 minutes").contains("live").contains("3 updates");
            Files.write(Path.of("target", "chart-minute-live.png"), browser.screenshot());
        } finally {
            writer.close();
        }
    }

    @Test
    void theChartFileDrawsTheSameCandlesWithNoServerRunning() throws IOException {
        Path file = dir.resolve("aapl.html");
        CliRunner.Result r = cli("chart", "--ticker", "AAPL", "--from", FROM.toString(), "--to", TO.toString(),
                "--out", file.toString(), "--store", storeUri.toString());
        assertThat(r.exit()).as(r.err()).isZero();

        String dom = HeadlessChromium.dumpDom(dir, file.toUri(), Duration.ofSeconds(8), 1200, 900);

        try (Store store = Store.open(storeUri)) {
            assertThat(attribute(dom, "body", "data-state")).isEqualTo("ready");
            assertThat(candleColoursLeftToRight(section(dom, "AAPL"))).isEqualTo(colours(storedPhases(store,
                    "AAPL")));
        }
    }

    private static Bar minute(LocalDate day, int minute, double volume) {
        return TestBars.minute("AAPL", LocalDateTime.of(day, LocalTime.of(9, 30).plusMinutes(minute)), 100 + minute,
                101 + minute, 99 + minute, 100.5 + minute, volume);
    }

    private static String count(List<Phase> phases, Phase phase) {
        return Long.toString(phases.stream().filter(p -> p == phase).count());
    }

    private static List<String> colours(List<Phase> phases) {
        return phases.stream().map(COLOURS::get).toList();
    }

    /** The markup of one ticker's section. */
    private static String section(String dom, String ticker) {
        int start = dom.indexOf("<section class=\"ticker\" id=\"chart-" + ticker + "\"");
        assertThat(start).as("section of " + ticker).isNotNegative();
        int end = dom.indexOf("</section>", start);
        return dom.substring(start, end);
    }

    private static String attribute(String html, String tag, String name) {
        Matcher m = Pattern.compile("<" + tag + "\\b[^>]*\\s" + name + "=\"([^\"]*)\"").matcher(html);
        assertThat(m.find()).as(tag + " " + name).isTrue();
        return m.group(1);
    }

    /** Candle paths (fill and outline in one phase colour), ordered by where they start on the x axis. */
    private static List<String> candleColoursLeftToRight(String section) {
        Matcher m = Pattern.compile("<path d=\"M([0-9.]+) [^\"]*\" fill=\"(#[0-9a-f]{6})\" stroke=\"\\2\"")
                .matcher(section);
        List<double[]> found = new ArrayList<>();
        List<String> colours = new ArrayList<>();
        while (m.find()) {
            if (COLOURS.containsValue(m.group(2))) {
                found.add(new double[]{Double.parseDouble(m.group(1)), colours.size()});
                colours.add(m.group(2));
            }
        }
        found.sort(Comparator.comparingDouble(a -> a[0]));
        return found.stream().map(a -> colours.get((int) a[1])).toList();
    }

    private static List<String> tableRowPhases(String section) {
        Matcher m = Pattern.compile("<tr data-start=\"\\d+\" data-phase=\"([A-Za-z]*)\"").matcher(section);
        List<String> phases = new ArrayList<>();
        while (m.find()) {
            phases.add(m.group(1));
        }
        return phases;
    }

    /**
     * Reads the candles off the picture: inside the price plot, each run of pixel columns showing one phase colour
     * is one candle. Only colours close to the three phase colours count, so grid lines and text do not.
     */
    static List<Phase> phasesByColumn(BufferedImage image, int left, int top, int width, int height) {
        List<Phase> candles = new ArrayList<>();
        Phase current = null;
        for (int x = left + 1; x < Math.min(image.getWidth(), left + width - 1); x++) {
            Phase column = null;
            for (int y = top + 1; y < Math.min(image.getHeight(), top + height - 2); y++) {
                Phase p = phaseOf(image.getRGB(x, y));
                if (p != null) {
                    assertThat(column == null || column == p).as("one colour per column at x=" + x).isTrue();
                    column = p;
                }
            }
            if (column != null && column != current) {
                candles.add(column);
            }
            current = column;
        }
        return candles;
    }

    private static Phase phaseOf(int rgb) {
        for (Map.Entry<Phase, String> e : COLOURS.entrySet()) {
            int want = Integer.parseInt(e.getValue().substring(1), 16);
            if (Math.abs(((rgb >> 16) & 0xff) - ((want >> 16) & 0xff)) <= 12
                    && Math.abs(((rgb >> 8) & 0xff) - ((want >> 8) & 0xff)) <= 12
                    && Math.abs((rgb & 0xff) - (want & 0xff)) <= 12) {
                return e.getKey();
            }
        }
        return null;
    }
}
