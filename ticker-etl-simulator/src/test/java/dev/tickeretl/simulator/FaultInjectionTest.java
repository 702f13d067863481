package dev.tickeretl.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultInjectionTest {

    private PolygonSimulator sim;
    // A fresh client per test, so no test inherits another's connection state.
    private HttpClient client;
    private String url;

    @BeforeEach
    void start() {
        sim = PolygonSimulator.builder().seed(3).start();
        client = Http.newClient();
        url = sim.baseUrl() + "/v2/aggs/ticker/AAPL/range/1/day/2024-01-01/2024-03-31";
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void scriptedServerErrorsAnswerInOrderThenServiceResumes() {
        sim.faults(FaultPlan.builder().next(1, Fault.HTTP_500).next(1, Fault.HTTP_502).next(1, Fault.HTTP_503)
                .build());
        assertThat(sim.pendingFaults()).isEqualTo(3);

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Http.Answer answer = Http.get(client, url);
            statuses.add(answer.status());
            assertThat(answer.json().get("status").asText()).isIn("ERROR", "OK");
        }

        assertThat(statuses).containsExactly(500, 502, 503, 200);
        assertThat(sim.pendingFaults()).isZero();
        assertThat(sim.requestLog()).extracting(RecordedRequest::fault)
                .containsExactly(Fault.HTTP_500, Fault.HTTP_502, Fault.HTTP_503, null);
    }

    @Test
    void http429FaultCarriesNoRetryAfter() {
        sim.faults(FaultPlan.builder().next(1, Fault.HTTP_429).build());

        Http.Answer answer = Http.get(client, url);

        assertThat(answer.status()).isEqualTo(429);
        assertThat(answer.headers().firstValue("Retry-After")).isEmpty();
        assertThat(answer.json().get("status").asText()).isEqualTo("ERROR");
    }

    @Test
    void connectionResetClosesWithoutAResponse() throws IOException {
        // Two, because the JDK client retries a GET once by itself when the connection closes before any answer.
        sim.faults(FaultPlan.builder().next(2, Fault.CONNECTION_RESET).build());

        assertThatThrownBy(() -> Http.send(client, url)).isInstanceOf(IOException.class);

        assertThat(sim.requestLog()).hasSize(2).allSatisfy(r -> {
            assertThat(r.status()).isZero();
            assertThat(r.fault()).isEqualTo(Fault.CONNECTION_RESET);
        });
        assertThat(Http.send(client, url).status()).isEqualTo(200);
    }

    @Test
    void singleConnectionResetIsAbsorbedByTheJdkClientsOwnRetry() throws IOException {
        sim.faults(FaultPlan.builder().next(1, Fault.CONNECTION_RESET).build());

        assertThat(Http.send(client, url).status()).isEqualTo(200);

        assertThat(sim.requestLog()).extracting(RecordedRequest::status).containsExactly(0, 200);
    }

    @Test
    void malformedJsonIsACompleteResponseWhoseBodyDoesNotParse() throws IOException {
        String good = Http.get(client, url).body();
        sim.faults(FaultPlan.builder().next(1, Fault.MALFORMED_JSON).build());

        Http.Answer answer = Http.send(client, url);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(answer.body()).hasSize(good.length() / 2);
        assertThat(good).startsWith(answer.body());
        assertThatThrownBy(() -> new ObjectMapper().readTree(answer.body())).isInstanceOf(IOException.class);
    }

    @Test
    void htmlPageArrivesInsteadOfJson() throws IOException {
        sim.faults(FaultPlan.builder().next(1, Fault.HTML_PAGE).build());

        Http.Answer answer = Http.send(client, url);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));
        assertThat(answer.body()).startsWith("<!DOCTYPE html>");
    }

    @Test
    void truncatedBodyPromisesMoreBytesThanItSends() throws IOException {
        sim.faults(FaultPlan.builder().next(1, Fault.TRUNCATED_BODY).build());

        assertThatThrownBy(() -> Http.send(client, url)).isInstanceOf(IOException.class);

        assertThat(sim.requestLog()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.fault()).isEqualTo(Fault.TRUNCATED_BODY);
        });
        assertThat(Http.send(client, url).status()).isEqualTo(200);
    }

    @Test
    void targetFilterFaultsOnlyMatchingRequests() {
        sim.faults(FaultPlan.builder().next(2, Fault.HTTP_503, "/MSFT/").build());
        String msft = url.replace("/AAPL/", "/MSFT/");

        assertThat(Http.get(client, url).status()).isEqualTo(200);
        assertThat(Http.get(client, msft).status()).isEqualTo(503);
        assertThat(Http.get(client, url).status()).isEqualTo(200);
        assertThat(Http.get(client, msft).status()).isEqualTo(503);
        assertThat(Http.get(client, msft).status()).isEqualTo(200);
    }

    @Test
    void faultsGivenToTheBuilderApplyFromTheFirstRequest() {
        try (PolygonSimulator faulty = PolygonSimulator.builder()
                .faults(FaultPlan.builder().next(1, Fault.HTTP_502).build()).start()) {
            String first = faulty.baseUrl() + "/v2/aggs/grouped/locale/us/market/stocks/2024-01-02";
            assertThat(Http.get(client, first).status()).isEqualTo(502);
            assertThat(Http.get(client, first).status()).isEqualTo(200);
        }
    }

    @Test
    void seededRandomFaultsRepeatExactlyForTheSameSeed() {
        FaultPlan plan = FaultPlan.builder().randomly(0.3, 99L, Fault.HTTP_500, Fault.HTTP_503).build();
        List<Integer> first = statuses(plan, 120);
        List<Integer> second = statuses(plan, 120);
        List<Integer> otherSeed = statuses(FaultPlan.builder().randomly(0.3, 100L, Fault.HTTP_500, Fault.HTTP_503)
                .build(), 120);

        assertThat(second).isEqualTo(first);
        assertThat(otherSeed).isNotEqualTo(first);
        long faulted = first.stream().filter(s -> s != 200).count();
        assertThat(faulted).isBetween(15L, 60L);
        assertThat(first).containsOnly(200, 500, 503).contains(500, 503);
    }

    private List<Integer> statuses(FaultPlan plan, int requests) {
        sim.faults(plan);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            statuses.add(Http.get(client, sim.baseUrl() + "/v2/aggs/ticker/AAPL/range/1/day/2024-01-02/2024-01-02")
                    .status());
        }
        return statuses;
    }

    @Test
    void faultPlanRejectsNonsense() {
        assertThatThrownBy(() -> FaultPlan.builder().next(0, Fault.HTTP_500))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("count");
        assertThatThrownBy(() -> FaultPlan.builder().randomly(1.5, 1L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rate");
        assertThat(FaultPlan.builder().next(2, Fault.HTML_PAGE).next(3, Fault.HTTP_500, "x").build().scriptedCount())
                .isEqualTo(5);
    }
}
