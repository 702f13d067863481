package dev.tickeretl.server;

import dev.tickeretl.Bar;
import dev.tickeretl.Store;
import dev.tickeretl.Timespan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One ticker's daily bars as a chart in a single self-contained HTML file (the charting library and the data
 * inlined; it opens offline and can be mailed): candlesticks coloured by phase, volume bars and the prior-volume
 * line, as on the server's page.
 *
 * <pre>
 * Chart.of(Store.open("file:./data"), "AAPL", LocalDate.of(2025, 1, 2), LocalDate.of(2025, 1, 31))
 *      .writeHtml(Path.of("chart.html"));
 * </pre>
 */
public final class Chart {

    private final String ticker;
    private final LocalDate from;
    private final LocalDate to;
    private final List<Bar> bars;

    /** Package-private for tests that need bars no store would hand out. */
    Chart(String ticker, LocalDate from, LocalDate to, List<Bar> bars) {
        this.ticker = ticker;
        this.from = from;
        this.to = to;
        this.bars = bars;
    }

    /** Reads {@code ticker}'s stored daily bars of [from, to] now; the chart does not change afterwards. */
    public static Chart of(Store store, String ticker, LocalDate from, LocalDate to) {
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("from: " + from + " is after to: " + to);
        }
        String symbol = ticker.trim().toUpperCase(Locale.ROOT);
        List<Bar> bars = StoreReads.bars(store, symbol, Timespan.DAY, true, from, to);
        return new Chart(symbol, from, to, List.copyOf(bars));
    }

    /** The bars the chart shows, in time order. */
    public List<Bar> bars() {
        return bars;
    }

    /** The whole HTML document. */
    public String html() {
        StringBuilder data = new StringBuilder(128 + bars.size() * 340);
        data.append("{\"mode\":\"file\",\"timespan\":\"day\",\"from\":\"").append(from).append("\",\"to\":\"")
                .append(to).append("\",\"tickers\":{\"").append(ticker).append("\":[");
        for (int i = 0; i < bars.size(); i++) {
            data.append(i == 0 ? "" : ",").append(bars.get(i).toJson());
        }
        data.append("]}}");
        String title = ticker + " " + from + " to " + to;
        return Template.fill(Assets.text("web/chart.html"), Map.of(
                "TITLE", title,
                "STYLE", Assets.text("web/style.css"),
                "LIBRARY", Template.inlineScript(Assets.text(Assets.LIBRARY)),
                // JSON inside <script>: a '<' could close the element early; as \u003c it is the same JSON.
                "DATA", data.toString().replace("<", "\\u003c"),
                "APP", Template.inlineScript(Assets.text("web/app.js"))));
    }

    /** Writes {@link #html()} to {@code file} (UTF-8), replacing it; returns the file. */
    public Path writeHtml(Path file) {
        try {
            Files.writeString(file, html(), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write chart to " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "Chart[" + ticker + " " + from + ".." + to + ", " + bars.size() + " bars]";
    }
}
