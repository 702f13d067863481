package dev.tickeretl.polygon;

import static dev.tickeretl.polygon.Fixtures.D1;
import static dev.tickeretl.polygon.Fixtures.D2;
import static dev.tickeretl.polygon.Fixtures.D3;
import static dev.tickeretl.polygon.Fixtures.D4;
import static dev.tickeretl.polygon.Fixtures.base;
import static dev.tickeretl.polygon.Fixtures.days;
import static dev.tickeretl.polygon.Fixtures.fast;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 point 8: every log line, reason and message that carries a URL or a server's text goes through one
 * redactor, so the key shows nowhere in any spelling, even when a same-origin next_url carries it.
 */
class RedactionTest {

    /** A key with characters a URL encodes: its plain and encoded forms differ. */
    private static final String KEY = "k3y+/LEAK=Zq~9";
    private static final String ENCODED = URLEncoder.encode(KEY, StandardCharsets.UTF_8);
    /** The same with lower-case hex digits ({@code %2b}), as some encoders write it. */
    private static final String ENCODED_LOWER_HEX = Pattern.compile("%[0-9A-F]{2}").matcher(ENCODED)
            .replaceAll(m -> m.group().toLowerCase(Locale.ROOT));
    /** Someone else's credential in a parameter named like one: masked although it is not our key. */
    private static final String OTHER = "tok-OTHER-SECRET-5521";

    private static List<String> spellings() {
        return List.of(KEY, ENCODED, ENCODED_LOWER_HEX, OTHER);
    }

    @Test
    void theRedactorMasksTheKeyInAnySpellingAndEveryCredentialParameter() {
        Redactor redactor = Redactor.of(new ApiKey(KEY));

        assertThat(ENCODED).isNotEqualTo(KEY);
        assertThat(redactor.redact("/v2/x/" + KEY + "/y")).isEqualTo("/v2/x/<redacted>/y");
        assertThat(redactor.redact("/v2/x?cursor=a&k=" + ENCODED)).isEqualTo("/v2/x?cursor=a&k=<redacted>");
        assertThat(ENCODED_LOWER_HEX).isNotEqualTo(ENCODED);
        assertThat(redactor.redact("echo " + ENCODED_LOWER_HEX)).isEqualTo("echo <redacted>");
        assertThat(redactor.redact("{\"path\":\"k3y+\\/LEAK=Zq~9\"}")).doesNotContain("LEAK");
        for (String name : List.of("apiKey", "APIKEY", "api_key", "Api-Key", "api%5Fkey", "token", "access_token",
                "ACCESS_TOKEN", "x_apikey")) {
            assertThat(redactor.redact("/v2/x?cursor=c1&" + name + "=" + OTHER + "&limit=5"))
                    .as(name).isEqualTo("/v2/x?cursor=c1&" + name + "=<redacted>&limit=5");
        }
        assertThat(redactor.redact("{\"error\":\"bad\",\"apiKey\":\"" + OTHER + "\"}")).doesNotContain(OTHER);
        assertThat(redactor.redact("Authorization: Bearer " + OTHER)).doesNotContain(OTHER);
        assertThat(Redactor.of(null).redact("/v2/x?apiKey=" + OTHER)).isEqualTo("/v2/x?apiKey=<redacted>");
        assertThat(redactor.redact("/v2/aggs/ticker/AAPL/range/1/day/2024-01-02/2024-01-05?cursor=abc"))
                .as("nothing else changes")
                .isEqualTo("/v2/aggs/ticker/AAPL/range/1/day/2024-01-02/2024-01-05?cursor=abc");
    }

    @Test
    void aNextUrlCarryingTheKeyLeavesItInNoLogLineReasonOrRequestUrl() throws Exception {
        LogCapture log = LogCapture.start();
        List<String> visible = new ArrayList<>();
        List<String> targets;
        try (MockWebServer server = new MockWebServer()) {
            ScriptedPolygon polygon = new ScriptedPolygon();
            server.setDispatcher(polygon);
            server.start();
            String path = base(server) + "/v2/aggs/ticker/AAPL/range/1/day/1704171600000/2024-01-05";
            polygon.answer("AAPL", page(path + "?cursor=p2&apiKey=" + KEY, D1));
            polygon.answer("p2", page(path + "?cursor=p3&api_key=" + ENCODED, D2));
            polygon.answer("p3", page(path + "?cursor=p4&access_token=" + OTHER + "&alias=" + ENCODED, D3));
            // p4 fails twice (WARN retry lines, DEBUG request lines), echoing all of it back, then answers.
            String echo = "{\"status\":\"ERROR\",\"error\":\"upstream said " + KEY + " " + ENCODED + " token=" + OTHER
                    + "\"}";
            polygon.answer("p4", Json.json(503, echo), Json.json(502, echo), page(null, D4));
            // MSFT's next_url leaves the origin: its failure reason quotes that URL.
            polygon.answer("MSFT", page("http://127.0.0.2:1/v2/x?cursor=q&apiKey=" + ENCODED, D1));

            Drained run;
            try (PolygonSource source = fast(server).apiKey(KEY).build()) {
                run = Drained.run(source, days("AAPL", "MSFT"));
            }
            run.events().forEach(e -> visible.add(e.toString()));

            assertThat(run.bars("AAPL")).hasSize(4);
            assertThat(run.failed()).containsOnlyKeys("MSFT");
            targets = polygon.arrivals().stream().map(ScriptedPolygon.Arrival::target).toList();
        }

        String logged = log.text();
        // Proves the capture holds this run's request lines (DEBUG) and retry lines (WARN).
        assertThat(logged).contains("cursor=p4").contains("HTTP 503").contains("HTTP 502").contains("<redacted>");
        assertThat(log.at("DEBUG")).isNotEmpty();
        for (String secret : spellings()) {
            assertThat(logged).as("log").doesNotContain(secret);
            assertThat(visible).as("events").noneMatch(v -> v.contains(secret));
        }
        assertThat(Files.readString(LogCapture.FILE)).doesNotContain(KEY).doesNotContain(ENCODED);
        // The key goes out only in the header: next_url parameters that carry it are dropped before following.
        assertThat(targets).hasSize(7).noneMatch(t -> t.contains(KEY) || t.contains(ENCODED)
                || t.contains(ENCODED_LOWER_HEX));
        assertThat(targets).anyMatch(t -> t.contains("cursor=p4"));
    }

    private static MockResponse page(String nextUrl, java.time.LocalDate day) {
        return Json.json(200, Json.page("AAPL", "OK", nextUrl, Json.bar(day, 100 + day.getDayOfMonth())));
    }
}
