package dev.tickeretl.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Debian's {@code prometheus} for tests of alerting rules: {@link #promtool} runs {@code promtool} (check and unit-test
 * rules), {@link #start} runs a real server with the test's own configuration, its own storage directory and a free
 * loopback port, never the package's service. The package is installed on first use ({@link DebianPackages}). A
 * started server is stopped by {@link #close}.
 */
public final class PrometheusServer implements AutoCloseable {

    public static final String PACKAGE = "prometheus";
    public static final String BINARY = "/usr/bin/prometheus";
    public static final String PROMTOOL = "/usr/bin/promtool";

    private static final Duration START_LIMIT = Duration.ofSeconds(60);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a {@code promtool} run ended with: its exit code and its standard output and error, interleaved. */
    public record ToolResult(int exit, String output) {
    }

    private final Process process;
    private final URI uri;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PrometheusServer(Process process, URI uri, Path log) {
        this.process = process;
        this.uri = uri;
        this.log = log;
    }

    /** Runs {@code promtool args...}, at most {@code limit}; fails the test when it does not end in time. */
    public static ToolResult promtool(Duration limit, String... args) {
        DebianPackages.require(PACKAGE, PROMTOOL);
        List<String> command = new ArrayList<>(List.of(PROMTOOL));
        command.addAll(List.of(args));
        Path out = null;
        try {
            out = Files.createTempFile("promtool-", ".log");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", command) + " did not end within " + limit + ":\n"
                        + Files.readString(out));
            }
            return new ToolResult(p.exitValue(), Files.readString(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running promtool", e);
        } finally {
            deleteQuietly(out);
        }
    }

    /**
     * Starts Prometheus with {@code configYaml} as its configuration file, storage under {@code workDir}, the web API on
     * a free 127.0.0.1 port, and waits until it is ready.
     */
    public static PrometheusServer start(Path workDir, String configYaml) {
        Path binary = DebianPackages.require(PACKAGE, BINARY);
        try {
            Path config = workDir.resolve("prometheus.yml");
            Files.writeString(config, configYaml);
            Path log = workDir.resolve("prometheus.log");
            int port = freePort();
            Process p = new ProcessBuilder(binary.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + workDir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            PrometheusServer server = new PrometheusServer(p, URI.create("http://127.0.0.1:" + port), log);
            try {
                server.awaitReady();
            } catch (RuntimeException | Error e) {
                server.close();
                throw e;
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady() {
        long giveUp = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() - giveUp < 0) {
            if (!process.isAlive()) {
                throw new AssertionError("prometheus exited " + process.exitValue() + " while starting:\n" + log());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri.resolve("/-/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (ConnectException e) {
                // not listening yet
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for prometheus", e);
            }
            sleep(100);
        }
        throw new AssertionError("prometheus was not ready within " + START_LIMIT + ":\n" + log());
    }

    /** {@code http://127.0.0.1:PORT}. */
    public URI uri() {
        return uri;
    }

    /** An instant query at the server's now: the API's {@code data} ({@code resultType}, {@code result}). */
    public JsonNode query(String promql) {
        return api("/api/v1/query", Map.of("query", promql));
    }

    /** A range query: the API's {@code data}, a matrix. */
    public JsonNode queryRange(String promql, Instant start, Instant end, Duration step) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("query", promql);
        form.put("start", Long.toString(start.getEpochSecond()));
        form.put("end", Long.toString(end.getEpochSecond()));
        form.put("step", step.toSeconds() + "s");
        return api("/api/v1/query_range", form);
    }

    /** Active alerts (pending and firing): the API's {@code data.alerts}. */
    public JsonNode alerts() {
        return api("/api/v1/alerts", Map.of()).path("alerts");
    }

    /** The loaded rule groups with each rule's state, health and last evaluation: {@code data.groups}. */
    public JsonNode ruleGroups() {
        return api("/api/v1/rules", Map.of()).path("groups");
    }

    /**
     * Asks an HTTP API endpoint: a GET without {@code form}, else a form POST (a query can be longer than a URL may be).
     * Its {@code data}, or an AssertionError with what the API answered.
     */
    public JsonNode api(String path, Map<String, String> form) {
        String body = form.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(),
                StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri.resolve(path)).timeout(Duration.ofSeconds(30));
        if (!form.isEmpty()) {
            request.header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
        }
        try {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = r.body().startsWith("{") ? JSON.readTree(r.body()) : JSON.nullNode();
            if (r.statusCode() != 200 || !"success".equals(json.path("status").asText())) {
                throw new AssertionError("prometheus " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            return json.path("data");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while asking prometheus", e);
        }
    }

    /** The server's log so far (for failure messages). */
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** Stops the server: SIGTERM, then SIGKILL if it has not ended within 15 s. */
    @Override
    public void close() {
        ChildProcesses.stop(process, STOP_LIMIT);
    }

    /** A port below Linux's ephemeral range (32768+), so that no outgoing connection takes it before Prometheus. */
    private static int freePort() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int candidate = ThreadLocalRandom.current().nextInt(20_000, 32_000);
            try (ServerSocket socket = new ServerSocket(candidate, 1, InetAddress.getLoopbackAddress())) {
                return candidate;
            } catch (IOException e) {
                // taken: try another
            }
        }
        throw new IllegalStateException("no free port between 20000 and 32000 on 127.0.0.1");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }
}
