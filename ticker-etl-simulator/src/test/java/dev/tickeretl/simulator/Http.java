package dev.tickeretl.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A plain java.net.http client for talking to the simulator in tests. */
final class Http {

    static final HttpClient SHARED = newClient();

    private Http() {
    }

    static HttpClient newClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    static Answer get(String url, String... headers) {
        return get(SHARED, url, headers);
    }

    static Answer get(HttpClient client, String url, String... headers) {
        try {
            return send(client, url, headers);
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + url, e);
        }
    }

    /** Lets a test see the IOException a broken answer causes. */
    static Answer send(HttpClient client, String url, String... headers) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Follows next_url from {@code firstUrl} and returns every page's JSON, in order. */
    static List<JsonNode> pages(String firstUrl) {
        List<JsonNode> pages = new ArrayList<>();
        String url = firstUrl;
        while (url != null) {
            Answer answer = get(url);
            if (answer.status() != 200) {
                throw new AssertionError("page " + url + " answered " + answer.status() + ": " + answer.body());
            }
            JsonNode page = answer.json();
            pages.add(page);
            url = page.has("next_url") ? page.get("next_url").asText() : null;
            if (pages.size() > 10_000) {
                throw new AssertionError("pagination does not end");
            }
        }
        return pages;
    }

    /** Every result of every page, in order. */
    static List<JsonNode> results(List<JsonNode> pages) {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode page : pages) {
            if (page.has("results")) {
                page.get("results").forEach(all::add);
            }
        }
        return all;
    }

    record Answer(int status, HttpHeaders headers, String body) {
        JsonNode json() {
            try {
                return new ObjectMapper().readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }
    }
}
