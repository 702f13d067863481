package dev.tickeretl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tickeretl.MarketTime;
import dev.tickeretl.simulator.PolygonSimulator;
import dev.tickeretl.testkit.PrometheusServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert rules in a real Prometheus (Debian's package, one for this class) that scrapes a real {@code stream
 * --metrics-port} following the simulator's WebSocket on loopback.
 */
@Timeout(180)
class AlertRulesPrometheusTest {

    private static final String ALERT = "TickerEtlStreamDisconnected";
    /**
     * The rule says {@code for: 2m}; Prometheus cannot be made to wait less in real time, so this class loads a copy of
     * the rules file in which only this alert's {@code for} is shorter. Everything else (expression, labels, the other
     * rules) is the file as shipped; the promtool unit tests cover the 2 minutes.
     */
    private static final Duration SHORT_FOR = Duration.ofSeconds(10);
    /** The simulator's market clock runs this much faster than real time: a market minute per second. */
    private static final double SPEED = 60;
    private static final Pattern METRICS_URI = Pattern.compile("metrics at (http://127\\.0\\.0\\.1:\\d+)/metrics");

    @TempDir
    static Path dir;

    private static PolygonSimulator simulator;
    private static CliProcess.Running stream;
    private static PrometheusServer prometheus;
    private static String target;

    @BeforeAll
    static void start() throws Exception {
        Instant open = LocalDate.of(2025, 1, 2).atTime(9, 30).atZone(MarketTime.ZONE).toInstant();
        simulator = PolygonSimulator.builder().marketClock(open, SPEED).start();
        stream = CliProcess.start(dir, Map.of(), "stream", "--source", "polygon", "--base-url", simulator.baseUrl(),
                "--ws-url", simulator.webSocketUrl(), "--source-option", "api-key=alerts-test-key", "--tickers",
                "AAPL,MSFT", "--store", dir.resolve("data").toString(), "--metrics-port", "0", "--status-every",
                "PT5S");
        URI metrics = URI.create(await(Duration.ofSeconds(60), "the stream's metrics URL", () -> {
            Matcher m = METRICS_URI.matcher(stream.err());
            return m.find() ? m.group(1) : null;
        }));
        target = metrics.getHost() + ":" + metrics.getPort();

        Path rules = dir.resolve("ticker-etl-rules.yml");
        assertThat(AlertRuleFiles.rule(ALERT).path("for").asText()).isEqualTo("2m");
        Files.writeString(rules, AlertRuleFiles.rulesWithFor(ALERT, SHORT_FOR.toSeconds() + "s"));
        Path work = Files.createDirectories(dir.resolve("prometheus"));
        prometheus = PrometheusServer.start(work, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: ticker-etl-stream
                    static_configs:
                      - targets: ['%s']
                """.formatted(rules, target));
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        if (stream != null) {
            stream.close();
        }
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void streamDisconnectedIsQuietWhileConnectedFiresWhenTheWebSocketGoesAwayAndClearsWhenItIsBack()
            throws Exception {
        // Prometheus scraped the connected stream, and evaluated the rule on that afterwards: inactive.
        Instant connectedSeen = await(Duration.ofSeconds(60), "connected == 1 scraped", () ->
                connected() == 1.0 ? Instant.now() : null);
        JsonNode before = await(Duration.ofSeconds(30), "an evaluation after the connected scrape", () -> {
            JsonNode rule = rule(ALERT);
            return Instant.parse(rule.path("lastEvaluation").asText()).isAfter(connectedSeen.plusSeconds(1))
                    ? rule : null;
        });
        assertThat(before.path("health").asText()).as(before.toString()).isEqualTo("ok");
        assertThat(before.path("state").asText()).isEqualTo("inactive");
        assertThat(alertStates()).isEmpty();

        // The stream goes down for 15 market minutes (15 s): connections reset, handshakes refused; REST stays up.
        long outage = System.nanoTime();
        simulator.stream().outage(Duration.ofMinutes(15));
        Set<String> states = new LinkedHashSet<>();
        JsonNode firing = await(Duration.ofSeconds(40), ALERT + " firing", () -> {
            JsonNode alert = null;
            for (JsonNode a : prometheus.alerts()) {
                if (ALERT.equals(a.path("labels").path("alertname").asText())) {
                    states.add(a.path("state").asText());
                    alert = a;
                }
            }
            return alert != null && alert.path("state").asText().equals("firing") ? alert : null;
        });
        Duration firedAfter = Duration.ofNanos(System.nanoTime() - outage);

        assertThat(states).as("pending first, for the rule's `for`").containsExactly("pending", "firing");
        assertThat(firedAfter).isGreaterThanOrEqualTo(SHORT_FOR);
        assertThat(firing.path("labels").path("instance").asText()).isEqualTo(target);
        assertThat(firing.path("labels").path("job").asText()).isEqualTo("ticker-etl-stream");
        assertThat(firing.path("labels").path("severity").asText()).isEqualTo("critical");
        assertThat(firing.path("annotations").path("summary").asText())
                .isEqualTo("ticker-etl stream on " + target + " has been disconnected for over 2 minutes");
        assertThat(firing.path("value").asDouble()).isZero();

        // The outage ends; the stream reconnects by itself (its backoff is at most 60 s) and the alert clears.
        await(Duration.ofSeconds(90), "reconnected and the alert cleared", () ->
                connected() == 1.0 && alertStates().isEmpty() ? Boolean.TRUE : null);
    }

    @Test
    void theSessionRuleIsOpenExactlyInNewYorksWeekdayRegularSessionFrom2024To2030() {
        String expr = AlertRuleFiles.rule("ticker_etl:us_regular_session_open").path("expr").asText();
        // Every half hour: the session's edges (09:30, 16:00 New York) are on it in winter and in summer.
        Duration step = Duration.ofMinutes(30);
        List<String> wrong = new ArrayList<>();
        int points = 0;
        // A quarter per query: within the API's 11,000 points.
        for (YearMonth m = YearMonth.of(2024, 1); !m.isAfter(YearMonth.of(2030, 12)); m = m.plusMonths(3)) {
            Instant start = m.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant end = m.plusMonths(3).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().minus(step);
            JsonNode series = prometheus.queryRange(expr, start, end, step).path("result");
            assertThat(series).as("one series for %s", m).hasSize(1);
            JsonNode values = series.get(0).path("values");
            assertThat(values).as("a value every half hour from %s", m)
                    .hasSize((int) (Duration.between(start, end).dividedBy(step) + 1));
            for (JsonNode v : values) {
                Instant t = Instant.ofEpochSecond(v.get(0).asLong());
                double expected = inRegularSession(t) ? 1 : 0;
                if (v.get(1).asDouble() != expected && wrong.size() < 20) {
                    wrong.add(t + " (" + t.atZone(MarketTime.ZONE) + "): " + v.get(1).asText());
                }
                points++;
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(points).isGreaterThan(7 * 365 * 48);
    }

    /** Monday to Friday, 09:30 to 16:00 in New York (holidays and early closes are not the rule's business). */
    private static boolean inRegularSession(Instant t) {
        ZonedDateTime ny = t.atZone(MarketTime.ZONE);
        LocalTime time = ny.toLocalTime();
        return ny.getDayOfWeek() != DayOfWeek.SATURDAY && ny.getDayOfWeek() != DayOfWeek.SUNDAY
                && !time.isBefore(LocalTime.of(9, 30)) && time.isBefore(LocalTime.of(16, 0));
    }

    /** Our stream's {@code ticker_etl_stream_connected} as Prometheus has it now, or NaN when it has none. */
    private static double connected() {
        JsonNode result = prometheus.query("ticker_etl_stream_connected{instance=\"" + target + "\"}")
                .path("result");
        return result.isEmpty() ? Double.NaN : result.get(0).path("value").get(1).asDouble();
    }

    private static JsonNode rule(String alert) {
        for (JsonNode group : prometheus.ruleGroups()) {
            for (JsonNode rule : group.path("rules")) {
                if (alert.equals(rule.path("name").asText())) {
                    return rule;
                }
            }
        }
        throw new AssertionError("Prometheus has not loaded " + alert + ":\n" + prometheus.log());
    }

    /** States of the active {@value #ALERT} alerts. */
    private static List<String> alertStates() {
        List<String> states = new ArrayList<>();
        for (JsonNode a : prometheus.alerts()) {
            if (ALERT.equals(a.path("labels").path("alertname").asText())) {
                states.add(a.path("state").asText());
            }
        }
        return states;
    }

    /** Polls {@code probe} every 200 ms until it gives a value, at most {@code limit}. */
    private static <T> T await(Duration limit, String what, Probe<T> probe) throws Exception {
        long giveUp = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() - giveUp < 0) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not within " + limit + ": " + what + "\nstream:\n" + stream.err()
                + (prometheus == null ? "" : "\nprometheus:\n" + prometheus.log()));
    }

    @FunctionalInterface
    private interface Probe<T> {
        T get() throws Exception;
    }
}
