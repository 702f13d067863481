package dev.tickeretl.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeyAndRequestLogTest {

    private static final String KEY = "test-key-5f3c9a";

    @Test
    void requiredKeyRejectsMissingAndWrongBearerWith401() {
        try (PolygonSimulator sim = PolygonSimulator.builder().requireKey(KEY).start()) {
            String url = sim.baseUrl() + "/v2/aggs/ticker/AAPL/range/1/day/2024-01-02/2024-01-05";

            Http.Answer missing = Http.get(url);
            Http.Answer wrong = Http.get(url, "Authorization", "Bearer not-the-key");
            Http.Answer inQuery = Http.get(url + "?apiKey=" + KEY);
            Http.Answer right = Http.get(url, "Authorization", "Bearer " + KEY);

            assertThat(missing.status()).isEqualTo(401);
            assertThat(missing.json().get("status").asText()).isEqualTo("ERROR");
            assertThat(missing.json().get("error").asText()).isEqualTo("API Key was not provided");
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(wrong.json().get("error").asText()).isEqualTo("Unknown API Key");
            assertThat(inQuery.status()).as("only the Bearer header counts").isEqualTo(401);
            assertThat(right.status()).isEqualTo(200);
        }
    }

    @Test
    void withoutRequireKeyAnyOrNoKeyIsServed() {
        try (PolygonSimulator sim = PolygonSimulator.builder().start()) {
            String url = sim.baseUrl() + "/v2/aggs/ticker/AAPL/range/1/day/2024-01-02/2024-01-05";
            assertThat(Http.get(url).status()).isEqualTo(200);
            assertThat(Http.get(url, "Authorization", "Bearer anything").status()).isEqualTo(200);
        }
    }

    @Test
    void requestLogRecordsRequestsWithTheKeyRedactedEverywhere() {
        try (PolygonSimulator sim = PolygonSimulator.builder().requireKey(KEY).start()) {
            String path = "/v2/aggs/ticker/AAPL/range/1/day/2024-01-02/2024-01-05";
            Http.get(sim.baseUrl() + path + "?adjusted=false&sort=asc", "Authorization", "Bearer " + KEY,
                    "X-Trace", "trace " + KEY);
            Http.get(sim.baseUrl() + path + "?apiKey=" + KEY);

            List<RecordedRequest> log = sim.requestLog();

            assertThat(sim.requestCount()).isEqualTo(2);
            assertThat(log).hasSize(2);
            RecordedRequest bearer = log.get(0);
            assertThat(bearer.sequence()).isEqualTo(1);
            assertThat(bearer.method()).isEqualTo("GET");
            assertThat(bearer.path()).isEqualTo(path);
            assertThat(bearer.query()).isEqualTo("adjusted=false&sort=asc");
            assertThat(bearer.queryParameter("adjusted")).hasValue("false");
            assertThat(bearer.hadBearer()).isTrue();
            assertThat(bearer.status()).isEqualTo(200);
            assertThat(bearer.headers().get("authorization")).containsExactly("Bearer REDACTED");
            assertThat(bearer.headers().get("X-Trace")).containsExactly("trace REDACTED");

            RecordedRequest query = log.get(1);
            assertThat(query.hadBearer()).isFalse();
            assertThat(query.status()).isEqualTo(401);
            assertThat(query.queryParameter("apiKey")).hasValue("REDACTED");

            assertThat(log.toString()).doesNotContain(KEY);
            assertThat(sim.toString()).doesNotContain(KEY);
        }
    }

    @Test
    void requestLogIsBoundedButTheCountIsNot() {
        try (PolygonSimulator sim = PolygonSimulator.builder().requestLogCapacity(3).start()) {
            for (int i = 0; i < 5; i++) {
                Http.get(sim.baseUrl() + "/v2/aggs/grouped/locale/us/market/stocks/2024-01-0" + (i + 1));
            }
            assertThat(sim.requestCount()).isEqualTo(5);
            assertThat(sim.requestLog()).extracting(RecordedRequest::sequence).containsExactly(3L, 4L, 5L);

            sim.clearRequestLog();
            assertThat(sim.requestCount()).isZero();
            assertThat(sim.requestLog()).isEmpty();
        }
    }
}
