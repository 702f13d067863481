package dev.tickeretl.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's {@code chromium} in headless mode, for tests of web pages: installed on first use
 * ({@link DebianPackages}), each run with a fresh profile, no sync, no background traffic, no sandbox (tests run as
 * root). Two ways to use it:
 * <ul>
 *   <li>{@link #dumpDom} and {@link #screenshot}: one run that loads a page, lets its scripts run for a budget of
 *   virtual time, and prints the DOM or saves a PNG. For pages that settle.</li>
 *   <li>{@link #open}: a browser kept open and driven over the DevTools protocol, for pages that never settle (an
 *   open event stream stops virtual time): evaluate JavaScript, wait for a condition, take screenshots.</li>
 * </ul>
 * Every process this starts is ended by the time the call returns or the handle closes.
 */
public final class HeadlessChromium implements AutoCloseable {

    public static final String PACKAGE = "chromium";
    public static final String BINARY = "/usr/bin/chromium";

    private static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--disable-default-apps", "--hide-scrollbars", "--force-device-scale-factor=1", "--mute-audio");
    private static final Duration RUN_LIMIT = Duration.ofSeconds(90);
    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final WebSocket socket;
    /** Calls sent and not answered yet, by id; the socket's listener completes them. */
    private final Map<Integer, CompletableFuture<JsonNode>> pending;
    private final AtomicInteger ids = new AtomicInteger();

    private HeadlessChromium(Process process, WebSocket socket, Map<Integer, CompletableFuture<JsonNode>> pending) {
        this.process = process;
        this.socket = socket;
        this.pending = pending;
    }

    /** The page's DOM after its scripts ran for {@code budget} of virtual time ({@code --dump-dom}). */
    public static String dumpDom(Path workDir, URI page, Duration budget, int width, int height) {
        Path out = workDir.resolve("dom-" + System.nanoTime() + ".html");
        runOnce(workDir, out, List.of("--virtual-time-budget=" + budget.toMillis(),
                "--window-size=" + width + "," + height, "--dump-dom", page.toString()));
        try {
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot read chromium's DOM dump " + out, e);
        }
    }

    /** Saves a PNG of the page after its scripts ran for {@code budget} of virtual time; returns {@code png}. */
    public static Path screenshot(Path workDir, URI page, Path png, Duration budget, int width, int height) {
        runOnce(workDir, null, List.of("--virtual-time-budget=" + budget.toMillis(),
                "--window-size=" + width + "," + height, "--screenshot=" + png.toAbsolutePath(), page.toString()));
        if (!Files.isRegularFile(png)) {
            throw new AssertionError("chromium wrote no screenshot to " + png);
        }
        return png;
    }

    private static void runOnce(Path workDir, Path stdout, List<String> args) {
        Path binary = DebianPackages.require(PACKAGE, BINARY);
        List<String> command = command(binary, workDir);
        command.addAll(args);
        Path log = workDir.resolve("chromium-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.redirectOutput(stdout == null ? ProcessBuilder.Redirect.appendTo(log.toFile())
                : ProcessBuilder.Redirect.to(stdout.toFile()));
        Process p = start(pb);
        try {
            if (!p.waitFor(RUN_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("chromium did not finish within " + RUN_LIMIT + ": " + args);
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("chromium exited " + p.exitValue() + " for " + args + "; log:\n"
                        + tail(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while chromium ran", e);
        } finally {
            end(p);
        }
    }

    /** Starts a browser on {@code page} and connects to it over the DevTools protocol. */
    public static HeadlessChromium open(Path workDir, URI page, int width, int height) {
        Path binary = DebianPackages.require(PACKAGE, BINARY);
        List<String> command = command(binary, workDir);
        command.addAll(List.of("--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--remote-allow-origins=*", "--window-size=" + width + "," + height, page.toString()));
        Path log = workDir.resolve("chromium-devtools-" + System.nanoTime() + ".log");
        Process p = start(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))));
        try {
            URI browser = awaitDevToolsUri(p, log);
            URI pageSocket = pageSocket(browser, page);
            Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(pageSocket, new Listener(pending)).get(20, TimeUnit.SECONDS);
            return new HeadlessChromium(p, socket, pending);
        } catch (AssertionError e) {
            end(p);
            throw e;
        } catch (InterruptedException e) {
            end(p);
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while starting chromium", e);
        } catch (IOException | ExecutionException | TimeoutException e) {
            end(p);
            throw new AssertionError("cannot drive chromium over DevTools: " + e + "; log:\n" + tail(log), e);
        }
    }

    /** The value of a JavaScript expression in the page (promises awaited), as JSON. */
    public JsonNode evaluate(String expression) {
        ObjectNode params = JSON.createObjectNode();
        params.put("expression", expression);
        params.put("returnByValue", true);
        params.put("awaitPromise", true);
        JsonNode result = call("Runtime.evaluate", params);
        if (result.has("exceptionDetails")) {
            throw new AssertionError("page script failed: " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /**
     * Evaluates {@code expression} every 100 ms until {@code done} accepts its value; fails after {@code limit}. A
     * script error counts as "not yet" (the page may still be loading) and is reported if the time runs out.
     */
    public JsonNode await(String expression, Predicate<JsonNode> done, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        Object last = null;
        while (true) {
            try {
                JsonNode value = evaluate(expression);
                if (done.test(value)) {
                    return value;
                }
                last = value;
            } catch (AssertionError notYet) {
                last = notYet.getMessage();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("page never satisfied the condition within " + limit + ": " + expression
                        + " was " + last);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** A PNG of what the page shows now. */
    public byte[] screenshot() {
        ObjectNode params = JSON.createObjectNode();
        params.put("format", "png");
        return Base64.getDecoder().decode(call("Page.captureScreenshot", params).path("data").asText());
    }

    private JsonNode call(String method, ObjectNode params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode message = JSON.createObjectNode();
        message.put("id", id);
        message.put("method", method);
        message.set("params", params);
        try {
            socket.sendText(message.toString(), true).get(20, TimeUnit.SECONDS);
            JsonNode reply = answer.get(30, TimeUnit.SECONDS);
            if (reply.has("error")) {
                throw new AssertionError(method + " failed: " + reply.get("error"));
            }
            return reply.path("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted during " + method, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError(method + " got no answer: " + e, e);
        } finally {
            pending.remove(id);
        }
    }

    @Override
    public void close() {
        try {
            if (socket != null) {
                socket.abort();
            }
        } finally {
            end(process);
        }
    }

    /** Collects a message's frames and completes the call it answers; events are ignored. */
    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        private final Map<Integer, CompletableFuture<JsonNode>> pending;

        Listener(Map<Integer, CompletableFuture<JsonNode>> pending) {
            this.pending = pending;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    JsonNode message = JSON.readTree(text);
                    if (message.has("id")) {
                        CompletableFuture<JsonNode> answer = pending.get(message.get("id").asInt());
                        if (answer != null) {
                            answer.complete(message);
                        }
                    }
                } catch (IOException e) {
                    // not JSON: nothing waits for it
                }
            }
            webSocket.request(1);
            return null;
        }
    }

    private static List<String> command(Path binary, Path workDir) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(FLAGS);
        command.add("--user-data-dir=" + workDir.resolve("profile-" + System.nanoTime()).toAbsolutePath());
        return command;
    }

    private static Process start(ProcessBuilder pb) {
        try {
            return pb.start();
        } catch (IOException e) {
            throw new AssertionError("cannot start chromium: " + e.getMessage(), e);
        }
    }

    private static URI awaitDevToolsUri(Process p, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)) {
                Matcher m = DEVTOOLS.matcher(Files.readString(log, StandardCharsets.UTF_8));
                if (m.find()) {
                    return URI.create(m.group(1));
                }
            }
            if (!p.isAlive()) {
                throw new AssertionError("chromium exited " + p.exitValue() + " before DevTools listened; log:\n"
                        + tail(log));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("chromium's DevTools did not listen within 30 s; log:\n" + tail(log));
    }

    /** The DevTools socket of the tab showing {@code page}. */
    private static URI pageSocket(URI browser, URI page) throws IOException, InterruptedException {
        URI list = URI.create("http://" + browser.getHost() + ":" + browser.getPort() + "/json/list");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(list).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (JsonNode target : JSON.readTree(r.body())) {
                if ("page".equals(target.path("type").asText()) && target.has("webSocketDebuggerUrl")) {
                    return URI.create(target.get("webSocketDebuggerUrl").asText());
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("chromium opened no tab for " + page);
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Ends the browser and every process it started (renderers, zygotes). */
    private static void end(Process p) {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle child : children) {
            child.destroyForcibly();
        }
    }
}
