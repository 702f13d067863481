package dev.tickeretl.cli;

import static dev.tickeretl.cli.CliRunner.cli;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve} and {@code chart} as a user runs them, against a store the {@code ingest} command wrote. */
class ServeAndChartCommandTest {

    private static final Pattern SERVING = Pattern.compile("serving \\S+ read-only on (http://127\\.0\\.0\\.1:\\d+/)");

    @TempDir
    Path dir;

    private String store;

    @BeforeEach
    void ingest() {
        store = dir.resolve("data").toUri().toString();
        CliRunner.Result r = cli("ingest", "--source", "simulator", "--tickers", "AAPL,MSFT", "--from", "2025-01-02",
                "--to", "2025-02-28", "--store", store, "--quiet");
        assertThat(r.exit()).as(r.err()).isZero();
    }

    @Test
    void serveAnswersBarsByteForByteAsTheBarsCommandPrintsThemAndStopsCleanly() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread serving = new Thread(() -> exit.set(Main.run(new PrintWriter(out, true), new PrintWriter(err, true),
                "serve", "--store", store, "--port", "0")));
        serving.start();
        URI base = awaitServing(out, err);

        HttpClient http = HttpClient.newHttpClient();
        String[] args = {"--ticker", "AAPL", "--from", "2025-01-15", "--to", "2025-02-14"};
        String api = http.send(HttpRequest.newBuilder(base.resolve("/v1/bars?ticker=AAPL&from=2025-01-15"
                + "&to=2025-02-14")).build(), HttpResponse.BodyHandlers.ofString()).body();
        CliRunner.Result bars = cli("bars", args[0], args[1], args[2], args[3], args[4], args[5], "--format", "jsonl",
                "--store", store);

        assertThat(api).isEqualTo(bars.out()).hasLineCount(22); // trading days: MLK Day is a holiday
        serving.interrupt();
        serving.join(10_000);
        assertThat(serving.isAlive()).isFalse();
        assertThat(exit.get()).as(err.toString()).isZero();
        assertThat(refused(http, base)).isTrue();
    }

    private static URI awaitServing(StringWriter out, StringWriter err) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            Matcher m = SERVING.matcher(out.toString());
            if (m.find()) {
                return URI.create(m.group(1));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("serve never said where it listens; out: " + out + " err: " + err);
    }

    private static boolean refused(HttpClient http, URI base) throws InterruptedException {
        try {
            http.send(HttpRequest.newBuilder(base.resolve("/v1/runs")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return e.getCause() instanceof ConnectException;
        }
    }

    @Test
    void serveNamesTheFieldOfABadAddress() {
        CliRunner.Result r = cli("serve", "--store", store, "--bind", "no such host!", "--port", "0");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("ticker-etl: bind: 'no such host!' is not an address of this"
                + " machine");
    }

    @Test
    void chartWritesOneSelfContainedFile() throws IOException {
        Path file = dir.resolve("chart.html");

        CliRunner.Result r = cli("chart", "--ticker", "msft", "--from", "2025-02-03", "--to", "2025-02-07", "--out",
                file.toString(), "--store", store);

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("wrote " + file + ": 5 daily bars of MSFT, 2025-02-03..2025-02-07\n");
        String html = Files.readString(file);
        assertThat(html).contains("\"trading_date\":\"2025-02-07\"").doesNotContain("<script src");
    }

    @Test
    void chartOfNothingStoredWritesNothingAndSaysWhy() {
        Path file = dir.resolve("none.html");

        CliRunner.Result r = cli("chart", "--ticker", "NVDA", "--from", "2025-01-02", "--to", "2025-01-31", "--out",
                file.toString(), "--store", store);

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("no NVDA bars stored").contains("ingest them first");
        assertThat(file).doesNotExist();
    }

    @Test
    void chartNamesTheFieldOfBadInput() {
        CliRunner.Result ticker = cli("chart", "--ticker", "../x", "--from", "2025-01-02", "--to", "2025-01-31",
                "--out", dir.resolve("x.html").toString(), "--store", store);
        CliRunner.Result range = cli("chart", "--ticker", "AAPL", "--from", "2025-02-02", "--to", "2025-01-31",
                "--out", dir.resolve("x.html").toString(), "--store", store);

        assertThat(ticker.exit()).isEqualTo(2);
        assertThat(ticker.err()).startsWith("ticker-etl: ticker: '../X' is not a valid symbol");
        assertThat(range.exit()).isEqualTo(2);
        assertThat(range.err()).startsWith("ticker-etl: from: 2025-02-02 is after to: 2025-01-31");
    }
}
