package dev.tickeretl.polygon;

import static dev.tickeretl.polygon.Fixtures.D1;
import static dev.tickeretl.polygon.Fixtures.KEY;
import static dev.tickeretl.polygon.Fixtures.days;
import static dev.tickeretl.polygon.Fixtures.fast;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okio.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 9 point 9: no cleartext key to a remote host by accident, and no unbounded response body. */
class SecurityEdgesTest {

    private static PolygonSourceProvider provider() {
        return new PolygonSourceProvider(Map.of("POLYGON_API_KEY", KEY)::get);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://api.polygon.io", "http://192.168.1.20:8080", "http://[2001:db8::1]:80",
            "http://127.0.0.1.example.com", "http://localhost.example.com"})
    void plainHttpToAHostThatIsNotLoopbackIsRefusedNamingTheOption(String url) {
        assertThatThrownBy(() -> provider().open(dev.tickeretl.spi.ProviderContext.of(Map.of("base-url", url))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("base-url:")
                .hasMessageContaining("cleartext")
                .hasMessageContaining("allow-insecure-http=true")
                .hasMessageNotContaining(KEY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080", "http://127.10.20.30", "http://localhost:9", "http://LOCALHOST",
            "http://[::1]:8080", "https://api.polygon.io", "https://192.168.1.20"})
    void plainHttpToLoopbackAndHttpsAnywhereAreAccepted(String url) {
        assertThat(((PolygonSource) provider().open(dev.tickeretl.spi.ProviderContext.of(Map.of("base-url", url)))).settings().baseUrl().getScheme())
                .isIn("http", "https");
    }

    @Test
    void allowInsecureHttpLetsPlainHttpGoToAnyHost() {
        PolygonSource source = (PolygonSource) provider().open(dev.tickeretl.spi.ProviderContext.of(Map.of("base-url", "http://192.168.1.20:8080",
                "allow-insecure-http", "true")));

        assertThat(source.settings().allowInsecureHttp()).isTrue();
        assertThatThrownBy(() -> provider().open(dev.tickeretl.spi.ProviderContext.of(Map.of("allow-insecure-http", "yes"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("allow-insecure-http:");
    }

    @Test
    void maxResponseBytesIsReadAndValidated() {
        assertThat(((PolygonSource) provider().open(dev.tickeretl.spi.ProviderContext.of(Map.of()))).settings().maxResponseBytes()).isEqualTo(64L << 20);
        assertThat(((PolygonSource) provider().open(dev.tickeretl.spi.ProviderContext.of(Map.of("max-response-bytes", "1048576")))).settings()
                .maxResponseBytes()).isEqualTo(1L << 20);
        for (String bad : new String[] {"0", "1023", "64MiB", "3000000000"}) {
            assertThatThrownBy(() -> provider().open(dev.tickeretl.spi.ProviderContext.of(Map.of("max-response-bytes", bad))))
                    .as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("max-response-bytes:");
        }
    }

    @Test
    void aBodyLargerThanTheCapFailsItsTickerNamingTheCapAndTheOthersAreStored() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            ScriptedPolygon polygon = new ScriptedPolygon();
            server.setDispatcher(polygon);
            server.start();
            polygon.answer("AAPL", Json.json(200, paddedPage(8 * 1024)));
            polygon.answer("MSFT", new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                    .chunkedBody(paddedPage(8 * 1024), 1024).build());
            polygon.answer("NVDA", Json.ok("NVDA", D1));

            Drained run;
            try (PolygonSource source = fast(server).maxResponseBytes(4096).build()) {
                run = Drained.run(source, days("AAPL", "MSFT", "NVDA"));
            }

            assertThat(run.failure()).isNull();
            assertThat(run.failed()).containsOnlyKeys("AAPL", "MSFT");
            assertThat(run.failed().get("AAPL")).contains("too large")
                    .contains("max-response-bytes (4096 bytes = 4 KiB)");
            assertThat(run.failed().get("MSFT")).contains("too large").contains("max-response-bytes");
            assertThat(run.done()).containsExactly("NVDA");
            // Final, not retried: the same answer would come again.
            assertThat(polygon.arrivals("AAPL")).hasSize(1);
        }
    }

    @Test
    void aGzipBombIsStoppedAtTheDefaultCapAfterInflating() throws Exception {
        // 80 MiB of JSON whitespace inflate from ~80 KB: beyond the default 64 MiB cap only after gunzip.
        byte[] bomb = gzip(80);
        assertThat(bomb.length).isLessThan(1 << 20);
        try (MockWebServer server = new MockWebServer()) {
            ScriptedPolygon polygon = new ScriptedPolygon();
            server.setDispatcher(polygon);
            server.start();
            polygon.answer("AAPL", new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                    .setHeader("Content-Encoding", "gzip").body(new Buffer().write(bomb)).build());
            polygon.answer("MSFT", Json.ok("MSFT", D1));

            Drained run;
            try (PolygonSource source = fast(server).build()) {
                run = Drained.run(source, days("AAPL", "MSFT"));
            }

            assertThat(run.failed()).containsOnlyKeys("AAPL");
            assertThat(run.failed().get("AAPL")).contains("after gunzip")
                    .contains("max-response-bytes (67108864 bytes = 64 MiB)");
            assertThat(run.done()).containsExactly("MSFT");
            assertThat(polygon.arrivals("AAPL")).hasSize(1);
        }
    }

    /** A valid aggregates page padded with whitespace to about {@code bytes}. */
    private static String paddedPage(int bytes) {
        char[] pad = new char[bytes];
        Arrays.fill(pad, ' ');
        return "{\"status\":\"OK\",\"resultsCount\":0," + new String(pad) + "\"results\":[]}";
    }

    private static byte[] gzip(int mebibytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] spaces = new byte[1 << 20];
        Arrays.fill(spaces, (byte) ' ');
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write("{\"status\":\"OK\",\"results\":[".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < mebibytes; i++) {
                gzip.write(spaces);
            }
            gzip.write("]}".getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
