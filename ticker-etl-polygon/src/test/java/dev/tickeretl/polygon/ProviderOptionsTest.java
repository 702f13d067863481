package dev.tickeretl.polygon;

import static dev.tickeretl.polygon.Fixtures.D1;
import static dev.tickeretl.polygon.Fixtures.KEY;
import static dev.tickeretl.polygon.Fixtures.base;
import static dev.tickeretl.polygon.Fixtures.days;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickeretl.internal.Providers;
import dev.tickeretl.spi.ProviderContext;
import dev.tickeretl.spi.Source;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ProviderOptionsTest {

    private static final Map<String, String> NO_ENV = Map.of();

    private static PolygonSourceProvider provider(Map<String, String> env) {
        return new PolygonSourceProvider(env::get);
    }

    /** Opens the source as the pipeline does: options in a {@link ProviderContext}. */
    private static Source open(PolygonSourceProvider provider, Map<String, String> options) {
        return provider.open(ProviderContext.of(options));
    }

    private static Settings settings(Map<String, String> options, Map<String, String> env) {
        return ((PolygonSource) open(provider(env), options)).settings();
    }

    @Test
    void isFoundByNameThroughServiceLoader() {
        assertThat(Providers.source("polygon")).isInstanceOf(PolygonSourceProvider.class);
        assertThat(new PolygonSourceProvider().name()).isEqualTo("polygon");
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        Settings s = settings(Map.of(), Map.of("POLYGON_API_KEY", KEY));

        assertThat(s.baseUrl()).hasToString("https://api.massive.com");
        assertThat(s.apiKey()).isNotNull();
        assertThat(s.rateLimit()).isNull();
        assertThat(s.retryBudget()).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.concurrency()).isEqualTo(4);
        assertThat(s.pageLimit()).isEqualTo(50_000);
        assertThat(s.plan()).isEqualTo(PolygonSource.Plan.AUTO);
        assertThat(s.minBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.maxBackoff()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void everyOptionIsRead() {
        Map<String, String> options = new HashMap<>();
        options.put("base-url", "https://api.polygon.io/");
        options.put("api-key", KEY);
        options.put("rate-limit", "5/PT2S");
        options.put("retry-budget", "PT2M");
        options.put("request-timeout", "PT5S");
        options.put("concurrency", "8");
        options.put("page-limit", "120");
        options.put("plan", "grouped");
        options.put("min-backoff", "PT0.1S");
        options.put("max-backoff", "PT3S");

        Settings s = settings(options, NO_ENV);

        assertThat(s.baseUrl()).hasToString("https://api.polygon.io");
        assertThat(s.rateLimit()).isEqualTo(new Settings.RateLimit(5, Duration.ofSeconds(2)));
        assertThat(s.retryBudget()).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.concurrency()).isEqualTo(8);
        assertThat(s.pageLimit()).isEqualTo(120);
        assertThat(s.plan()).isEqualTo(PolygonSource.Plan.GROUPED);
        assertThat(s.minBackoff()).isEqualTo(Duration.ofMillis(100));
        assertThat(s.maxBackoff()).isEqualTo(Duration.ofSeconds(3));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"base-url", "api-key", "require-key", "max-requests-per-minute", "rate-limit",
            "retry-budget", "request-timeout", "concurrency", "page-limit", "plan", "min-backoff", "max-backoff",
            "ws-url", "feed", "ping-interval", "stream-timeout", "repair-breaker-delay"})
    void everyDocumentedOptionIsKnown(String key) {
        // Blank counts as absent, so only the check for unknown options could reject this.
        Settings s = settings(Map.of(key, " "), Map.of("POLYGON_API_KEY", KEY));

        assertThat(s.baseUrl()).hasToString(PolygonSource.DEFAULT_BASE_URL);
    }

    @Test
    void anUnknownOptionIsRejectedNamingItAndTheKnownOnes() {
        // A typo must not fall back to a default silently: this one would run without the client-side limit.
        assertThatThrownBy(() -> open(provider(Map.of("POLYGON_API_KEY", KEY)),
                Map.of("max-request-per-minute", "5", "concurrency", "2")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("max-request-per-minute: not an option of the polygon source")
                .hasMessageContaining("max-requests-per-minute")
                .hasMessageContaining("base-url");
    }

    @Test
    void aMisspelledKeyOptionIsNamedBeforeTheMissingKeyAndItsValueIsNotEchoed() {
        assertThatThrownBy(() -> open(provider(NO_ENV), Map.of("apikey", KEY)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("apikey: not an option")
                .hasMessageNotContaining(KEY);
    }

    @Test
    void maxRequestsPerMinuteIsARollingMinute() {
        Settings s = settings(Map.of("max-requests-per-minute", "5", "plan", "per-ticker"),
                Map.of("POLYGON_API_KEY", KEY));

        assertThat(s.rateLimit()).isEqualTo(new Settings.RateLimit(5, Duration.ofMinutes(1)));
        assertThat(s.plan()).isEqualTo(PolygonSource.Plan.PER_TICKER);
    }

    @Test
    void missingKeyIsAClearErrorNamingBothVariables() {
        assertThatThrownBy(() -> open(provider(NO_ENV), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("api-key:")
                .hasMessageContaining("POLYGON_API_KEY")
                .hasMessageContaining("MASSIVE_API_KEY");
    }

    @Test
    void polygonVariableWinsOverMassiveAndMassiveAloneIsEnough() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            ScriptedPolygon polygon = new ScriptedPolygon();
            server.setDispatcher(polygon);
            server.start();
            polygon.answer("AAPL", Json.ok("AAPL", D1));
            Map<String, String> options = Map.of("base-url", base(server), "plan", "per-ticker");

            try (Source both = open(provider(Map.of("POLYGON_API_KEY", "polygon-key",
                    "MASSIVE_API_KEY", "massive-key")), options)) {
                Drained.run(both, days("AAPL"));
            }
            try (Source massive = open(provider(Map.of("MASSIVE_API_KEY", "massive-key")), options)) {
                Drained.run(massive, days("AAPL"));
            }
            try (Source explicit = open(provider(Map.of("POLYGON_API_KEY", "polygon-key")),
                    Map.of("base-url", base(server), "api-key", "option-key"))) {
                Drained.run(explicit, days("AAPL"));
            }

            assertThat(polygon.arrivals()).extracting(ScriptedPolygon.Arrival::authorization)
                    .containsExactly("Bearer polygon-key", "Bearer massive-key", "Bearer option-key");
        }
    }

    @Test
    void requireKeyFalseRunsWithoutAKeyAndSendsNoAuthorization() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            ScriptedPolygon polygon = new ScriptedPolygon();
            server.setDispatcher(polygon);
            server.start();
            polygon.answer("AAPL", Json.ok("AAPL", D1));

            Drained run;
            try (Source source = open(provider(NO_ENV), Map.of("base-url", base(server), "require-key", "false"))) {
                run = Drained.run(source, days("AAPL"));
            }

            assertThat(run.done()).containsExactly("AAPL");
            assertThat(polygon.arrivals()).singleElement().extracting(ScriptedPolygon.Arrival::authorization)
                    .isNull();
        }
    }

    @Test
    void withoutRequireKeyAKeyInTheEnvironmentIsNeverSent() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            ScriptedPolygon polygon = new ScriptedPolygon();
            server.setDispatcher(polygon);
            server.start();
            polygon.answer("AAPL", Json.ok("AAPL", D1));

            try (Source source = open(provider(Map.of("POLYGON_API_KEY", "env-key", "MASSIVE_API_KEY", "other-key")),
                    Map.of("base-url", base(server), "require-key", "false"))) {
                Drained.run(source, days("AAPL"));
            }

            assertThat(polygon.arrivals()).singleElement().extracting(ScriptedPolygon.Arrival::authorization)
                    .isNull();
        }
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "base-url, ftp://example.com",
            "base-url, not a url",
            "require-key, maybe",
            "max-requests-per-minute, 0",
            "max-requests-per-minute, five",
            "rate-limit, 5",
            "rate-limit, 5/2s",
            "rate-limit, 0/PT1S",
            "retry-budget, 10m",
            "retry-budget, -PT1S",
            "request-timeout, PT0S",
            "concurrency, 0",
            "concurrency, 65",
            "page-limit, 50001",
            "page-limit, 0",
            "plan, fastest",
            "min-backoff, 1s",
            "max-backoff, PT0S",
            "repair-breaker-delay, 30s",
            "repair-breaker-delay, PT0S",
            "repair-breaker-delay, -PT1S",
    })
    void aBadValueIsRejectedNamingItsKey(String key, String value) {
        Map<String, String> options = Map.of(key, value);

        assertThatThrownBy(() -> open(provider(Map.of("POLYGON_API_KEY", KEY)), options))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(key + ":");
    }

    @Test
    void aStreamsRepairBreakerDelayDefaultsToThirtySecondsAndIsReadFromItsOption() {
        Map<String, String> env = Map.of("POLYGON_API_KEY", KEY);

        StreamSettings defaults = ((PolygonSource) open(provider(env), Map.of())).streamSettings();
        StreamSettings given = ((PolygonSource) open(provider(env), Map.of("repair-breaker-delay", "PT5S")))
                .streamSettings();

        assertThat(defaults.repairBreakerDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(given.repairBreakerDelay()).isEqualTo(Duration.ofSeconds(5));
        // The other stream settings keep their defaults.
        assertThat(given).isEqualTo(new StreamSettings(defaults.url(), defaults.pingInterval(),
                defaults.silenceTimeout(), defaults.minReconnect(), defaults.maxReconnect(), defaults.stablePeriod(),
                defaults.repairLookback(), defaults.maxRepairSpan(), defaults.repairConcurrency(),
                defaults.frameQueue(), Duration.ofSeconds(5)));
    }

    @Test
    void bothRateLimitFormsTogetherAreRejected() {
        assertThatThrownBy(() -> open(provider(Map.of("POLYGON_API_KEY", KEY)),
                Map.of("rate-limit", "5/PT2S", "max-requests-per-minute", "5")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("rate-limit:").hasMessageContaining("max-requests-per-minute");
    }

    @Test
    void minBackoffAboveMaxIsRejected() {
        assertThatThrownBy(() -> open(provider(Map.of("POLYGON_API_KEY", KEY)),
                Map.of("min-backoff", "PT10S", "max-backoff", "PT1S")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("max-backoff:");
    }

    @Test
    void aBaseUrlWithAQueryIsRejectedWithoutEchoingIt() {
        assertThatThrownBy(() -> open(provider(NO_ENV),
                Map.of("base-url", "https://api.polygon.io?apiKey=" + KEY, "require-key", "false")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("base-url:")
                .hasMessageNotContaining(KEY);
    }
}
