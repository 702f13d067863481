package dev.tickeretl.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.Tickers;
import dev.tickeretl.testkit.TestBars;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Whatever a client sends, the answer is 200 or a 4xx JSON error (never a 500), and the only things that reach the
 * store are valid symbols and dates within the served years: request text never becomes a path.
 */
class RequestInputProperties {

    private static Path dir;
    private static ServedStore served;

    @BeforeContainer
    static void start() throws IOException {
        dir = Files.createTempDirectory("ticker-etl-server-input");
        served = ServedStore.start(dir);
        served.write(TestBars.weekdays("AAPL", LocalDate.of(2025, 1, 1), LocalDate.of(2025, 1, 31)));
    }

    @AfterContainer
    static void stop() {
        served.close();
        deleteTree(dir);
    }

    @Property(tries = 200)
    void anyQueryIsAnsweredWithoutA500AndOnlyValidatedValuesReachTheStore(
            @ForAll("endpoints") String endpoint, @ForAll("queries") String query) {
        RecordingStoreProvider.READS.clear();

        ServedStore.Response r = served.get(endpoint + "?" + query);

        String target = endpoint + "?" + query;
        assertThat(r.status()).as(target + " -> " + r.text()).isIn(200, 400);
        if (r.status() == 400 && ServedStore.isUri(target)) {
            assertThat(r.json().get("error").get("field").isTextual()).isTrue();
        }
        for (RecordingStoreProvider.Read read : RecordingStoreProvider.READS) {
            assertThat(Tickers.isValid(read.ticker())).as(read.toString()).isTrue();
            assertThat(read.from()).isBetween(StoreReads.FIRST_DATE, StoreReads.LAST_DATE);
            assertThat(read.to()).isBetween(StoreReads.FIRST_DATE, StoreReads.LAST_DATE);
        }
    }

    static void deleteTree(Path root) {
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Provide
    Arbitrary<String> endpoints() {
        return Arbitraries.of("/v1/bars", "/v1/latest", "/v1/runs");
    }

    /** Mostly well-formed parameters with hostile or broken values, sometimes raw junk. */
    @Provide
    Arbitrary<String> queries() {
        Arbitrary<String> names = Arbitraries.of("ticker", "tickers", "from", "to", "timespan", "adjusted", "format",
                "limit", "date", "x", "");
        Arbitrary<String> values = Arbitraries.oneOf(
                Arbitraries.of("AAPL", "aapl", "BRK.A", "AAPL,MSFT", "../../etc/passwd", "AAPL/../../x", "A\u0000",
                        "%2e%2e%2f", "2025-01-02", "2025-01-31", "1969-12-31", "2100-01-01", "9999-12-31",
                        "2025-02-30", "day", "minute", "true", "false", "ndjson", "json", "csv", "10", "-1",
                        "99999999999", "", " ", "%", "%zz", "\u00e4\u00f6", "AAPL,AAPL", "A.B.C"),
                Arbitraries.strings().ofMaxLength(12),
                Arbitraries.strings().withCharRange('A', 'Z').withChars('.', ',', '/', '-').ofMaxLength(12));
        Arbitrary<String> pair = net.jqwik.api.Combinators.combine(names, values, Arbitraries.of(true, false))
                .as((n, v, encode) -> n + "=" + (encode ? URLEncoder.encode(v, StandardCharsets.UTF_8) : safe(v)));
        return Arbitraries.oneOf(
                pair.list().ofMaxSize(7).map(l -> String.join("&", l)),
                Arbitraries.just("ticker=AAPL&from=2025-01-02&to=2025-01-31"),
                Arbitraries.strings().ofMaxLength(40).map(RequestInputProperties::safe));
    }

    /** Characters a URI can carry unencoded; the rest percent-encoded as a browser would. */
    private static String safe(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~%&=,/".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }
}
