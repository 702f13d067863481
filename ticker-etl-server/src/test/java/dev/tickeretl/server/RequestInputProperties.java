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
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
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

    /** A partition read: dataset, timespan, ticker, and a year or a date. */
    private static final Pattern PARTITION = Pattern.compile("read (bars|bars-unadjusted)/timespan=(day|minute)"
            + "/ticker=([^/]+)/(?:year=(\\d{4})|date=(\\d{4}-\\d{2}-\\d{2}))/bars\\.jsonl");
    /** What else the server may touch: a dataset's stream segments (minute reads), the run records. */
    private static final Pattern OTHER = Pattern.compile("list state/segments/(bars|bars-unadjusted)/timespan=minute/"
            + "|list runs/|read runs/[0-9A-Za-z-]+\\.json");

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
        check(endpoint + "?" + query);
    }

    /** Hostile values where a valid request has them: what slipped past the checks would reach the store here. */
    @Property(tries = 200)
    void oneValueOfAValidRequestReplacedByAnythingStillReachesTheStoreOnlyValidated(
            @ForAll("oneReplaced") String target) {
        check(target);
    }

    private static void check(String target) {
        RecordingStoreProvider.READS.clear();

        ServedStore.Response r = served.get(target);

        assertThat(r.status()).as(target + " -> " + r.text()).isIn(200, 400);
        if (r.status() == 400 && ServedStore.isUri(target)) {
            assertThat(r.json().get("error").get("field").isTextual()).isTrue();
        }
        for (String access : RecordingStoreProvider.READS) {
            Matcher partition = PARTITION.matcher(access);
            if (!partition.matches()) {
                assertThat(access).as(target).matches(OTHER);
                continue;
            }
            assertThat(Tickers.isValid(partition.group(3))).as(target + " -> " + access).isTrue();
            if (partition.group(4) != null) {
                assertThat(Integer.parseInt(partition.group(4))).as(target + " -> " + access)
                        .isBetween(StoreReads.FIRST_DATE.getYear(), StoreReads.LAST_DATE.getYear());
            } else {
                assertThat(LocalDate.parse(partition.group(5))).as(target + " -> " + access)
                        .isBetween(StoreReads.FIRST_DATE, StoreReads.LAST_DATE);
            }
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

    private static final Arbitrary<String> LISTED = Arbitraries.of("AAPL", "aapl", "BRK.A", "AAPL,MSFT",
            "../../etc/passwd", "AAPL/../../x", "A\u0000", "%2e%2e%2f", "2025-01-02", "2025-01-31", "1969-12-31",
            "2100-01-01", "9999-12-31", "2025-02-30", "day", "minute", "true", "false", "ndjson", "json", "csv", "10",
            "-1", "99999999999", "", " ", "%", "%zz", "\u00e4\u00f6", "AAPL,AAPL", "A.B.C");

    /** Mostly well-formed parameters with hostile or broken values, sometimes raw junk. */
    @Provide
    Arbitrary<String> queries() {
        Arbitrary<String> names = Arbitraries.of("ticker", "tickers", "from", "to", "timespan", "adjusted", "format",
                "limit", "date", "x", "");
        Arbitrary<String> pair = Combinators.combine(names, values(), Arbitraries.of(true, false))
                .as((n, v, encode) -> n + "=" + encoded(v, encode));
        return Arbitraries.oneOf(
                pair.list().ofMaxSize(7).map(l -> String.join("&", l)),
                Arbitraries.just("ticker=AAPL&from=2025-01-02&to=2025-01-31"),
                Arbitraries.strings().ofMaxLength(40).map(RequestInputProperties::safe));
    }

    /** A valid {@code /v1/bars} or {@code /v1/latest} request with one of its values replaced. */
    @Provide
    Arbitrary<String> oneReplaced() {
        Arbitrary<String> bars = Combinators.combine(Arbitraries.of("ticker", "from", "to", "timespan", "adjusted"),
                values(), Arbitraries.of(true, false)).as((n, v, encode) -> target("/v1/bars", Map.of("ticker",
                "AAPL", "from", "2025-01-02", "to", "2025-01-31", "timespan", "day", "adjusted", "true"), n,
                encoded(v, encode)));
        Arbitrary<String> latest = Combinators.combine(Arbitraries.of("tickers", "timespan", "adjusted"), values(),
                Arbitraries.of(true, false)).as((n, v, encode) -> target("/v1/latest", Map.of("tickers", "AAPL,MSFT",
                "timespan", "day", "adjusted", "true"), n, encoded(v, encode)));
        return Arbitraries.oneOf(bars, latest);
    }

    private static String target(String endpoint, Map<String, String> valid, String replaced, String value) {
        Map<String, String> query = new TreeMap<>(valid);
        query.put(replaced, value);
        StringBuilder target = new StringBuilder(endpoint);
        query.forEach((n, v) -> target.append(target.indexOf("?") < 0 ? '?' : '&').append(n).append('=').append(v));
        return target.toString();
    }

    /** Listed hostile values half of the time, else random text. */
    private static Arbitrary<String> values() {
        return Arbitraries.oneOf(LISTED, LISTED,
                Arbitraries.strings().ofMaxLength(12),
                Arbitraries.strings().withCharRange('A', 'Z').withChars('.', ',', '/', '-').ofMaxLength(12));
    }

    private static String encoded(String value, boolean percentEncodeAll) {
        return percentEncodeAll ? URLEncoder.encode(value, StandardCharsets.UTF_8) : safe(value);
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
