package dev.tickeretl.bench;

import dev.tickeretl.Bar;
import dev.tickeretl.Store;
import dev.tickeretl.server.BarServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code GET /v1/bars} for one ticker's 20 years of daily bars (5,033 bars, 1.7 MB of JSON Lines) from a client on
 * the same machine over loopback, warm: time from sending the request to holding the whole body. The server reads
 * the file store each time (no cache).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
public class ReadApiBenchmark {

    @Param({"ndjson", "json", "csv"})
    public String format;

    private Path dir;
    private Store store;
    private BarServer server;
    private HttpClient http;
    private HttpRequest request;

    @Setup
    public void setup() throws IOException {
        List<Bar> history = BenchData.taggedDays("AAPL", BenchData.firstDay(20), BenchData.LAST_DAY);
        dir = Files.createTempDirectory("ticker-etl-bench-api");
        BenchData.writeFileStore(dir, "AAPL", history);
        store = Store.open(dir.toUri());
        server = BarServer.builder(store).port(0).start();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        request = HttpRequest.newBuilder(server.uri().resolve(URI.create("/v1/bars?ticker=AAPL&from="
                + BenchData.firstDay(20) + "&to=" + BenchData.LAST_DAY + "&format=" + format))).build();
    }

    @TearDown
    public void tearDown() {
        server.close();
        store.close();
        BenchData.deleteTree(dir);
    }

    @Benchmark
    public byte[] twentyYearsOfOneTicker() throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + r.statusCode());
        }
        return r.body();
    }
}
