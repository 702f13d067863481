package dev.tickeretl.polygon;

import dev.tickeretl.Timespan;
import dev.tickeretl.simulator.PolygonSimulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Polygon source's page parser on real response bodies: a per-ticker aggregates page of 5,000 daily bars
 * (20 years of one ticker) and a grouped-daily page (the simulator's 605-symbol market, 500 of them wanted), both
 * fetched once from the simulator. Scores are bars per second.
 *
 * <p>This class sits in the source's package because {@code PageParser} is package-private; the bench module adds
 * nothing to the source's API.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PageParseBenchmark {

    public static final int PAGE_BARS = 5_000;
    public static final int GROUPED_WANTED = 500;
    public static final int GROUPED_MARKET = 605;

    private byte[] aggregatesPage;
    private byte[] groupedPage;
    private PageParser.Target ticker;
    private PageParser.Target grouped;

    @Setup
    public void fetchPages() throws IOException, InterruptedException, PageParser.MalformedPage {
        // The market of 605 symbols the recorded numbers were measured on (the default universe has grown since).
        List<String> market = PolygonSimulator.defaultUniverse().subList(0, GROUPED_MARKET);
        try (PolygonSimulator simulator = PolygonSimulator.builder().universe(market).start()) {
            aggregatesPage = get(simulator.baseUrl() + "/v2/aggs/ticker/AAPL/range/1/day/2000-01-01/2024-12-31"
                    + "?adjusted=true&sort=asc&limit=" + PAGE_BARS);
            groupedPage = get(simulator.baseUrl() + "/v2/aggs/grouped/locale/us/market/stocks/2024-12-31"
                    + "?adjusted=true");
            List<String> wanted = market.subList(0, GROUPED_WANTED);
            ticker = PageParser.Target.ticker("AAPL", Timespan.DAY, true);
            grouped = PageParser.Target.grouped(Set.copyOf(wanted), true);
        }
        requireBars(parseAggregatesPage(), PAGE_BARS);
        requireBars(parseGroupedPage(), GROUPED_WANTED);
    }

    @Benchmark
    @OperationsPerInvocation(PAGE_BARS)
    public PageParser.Page parseAggregatesPage() throws IOException, PageParser.MalformedPage {
        return PageParser.parse(aggregatesPage, ticker);
    }

    /** Bars kept per second (500 of the page's 605 results). */
    @Benchmark
    @OperationsPerInvocation(GROUPED_WANTED)
    public PageParser.Page parseGroupedPage() throws IOException, PageParser.MalformedPage {
        return PageParser.parse(groupedPage, grouped);
    }

    private static byte[] get(String url) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("simulator answered " + response.statusCode() + " for " + url);
        }
        return response.body();
    }

    private static void requireBars(PageParser.Page page, int expected) {
        if (page.bars().size() != expected || !page.invalid().isEmpty()) {
            throw new IllegalStateException("expected " + expected + " bars, parsed " + page.bars().size()
                    + " and " + page.invalid().size() + " invalid");
        }
    }
}
