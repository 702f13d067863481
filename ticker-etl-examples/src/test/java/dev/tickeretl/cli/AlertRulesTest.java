package dev.tickeretl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tickeretl.metrics.MicrometerObserver;
import dev.tickeretl.metrics.PrometheusText;
import dev.tickeretl.spi.Metrics;
import dev.tickeretl.spi.Observer;
import dev.tickeretl.testkit.PrometheusServer;
import dev.tickeretl.testkit.PrometheusServer.ToolResult;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/alerts/ticker-etl-rules.yml: promtool accepts it, its unit tests (ticker-etl-rules.test.yml) pass and show every
 * alert firing and quiet, they notice a changed rule, and rules and tests use only the series the metrics module
 * really exposes. promtool comes from Debian's prometheus package, installed when missing.
 */
class AlertRulesTest {

    private static final Duration PROMTOOL_LIMIT = Duration.ofMinutes(3);
    /** Labels every scraped series gets from Prometheus itself. */
    private static final Set<String> TARGET_LABELS = Set.of("job", "instance");

    @TempDir
    Path dir;

    @Test
    @Timeout(240)
    void promtoolAcceptsTheRules() {
        ToolResult r = PrometheusServer.promtool(PROMTOOL_LIMIT, "check", "rules", AlertRuleFiles.RULES.toString());

        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS: " + AlertRuleFiles.rules().size() + " rules found");
    }

    @Test
    void everyAlertHasASeverityASummaryAndARunbookLineAndAnEntryInMonitoringMd() throws Exception {
        String monitoring = Files.readString(AlertRuleFiles.DIR.resolve("../monitoring.md"));
        String alertsSection = monitoring.substring(monitoring.indexOf("## Alerts"));
        for (JsonNode rule : AlertRuleFiles.rules()) {
            if (!rule.has("alert")) {
                continue;
            }
            String name = rule.path("alert").asText();
            assertThat(rule.path("labels").path("severity").asText()).as(name).isIn("critical", "warning");
            assertThat(rule.path("annotations").path("summary").asText()).as(name).isNotBlank();
            assertThat(rule.path("annotations").path("runbook").asText()).as(name).isNotBlank().doesNotContain("\n");
            assertThat(alertsSection).as("monitoring.md's alert table").contains("`" + name + "`");
        }
        Matcher documented = Pattern.compile("`(TickerEtl[A-Za-z]+)`").matcher(alertsSection);
        while (documented.find()) {
            assertThat(AlertRuleFiles.alertNames()).as("documented alerts exist").contains(documented.group(1));
        }
    }

    @Test
    @Timeout(240)
    void theUnitTestsShowEveryAlertFiringAndQuietAndPass() {
        JsonNode tests = AlertRuleFiles.read(AlertRuleFiles.TESTS);
        Set<String> firing = new TreeSet<>();
        Set<String> quiet = new TreeSet<>();
        Set<Double> sessionValues = new HashSet<>();
        for (JsonNode group : tests.path("tests")) {
            for (JsonNode t : group.path("alert_rule_test")) {
                (t.path("exp_alerts").isEmpty() ? quiet : firing).add(t.path("alertname").asText());
            }
            for (JsonNode t : group.path("promql_expr_test")) {
                if (t.path("expr").asText().equals("ticker_etl:us_regular_session_open")) {
                    t.path("exp_samples").forEach(s -> sessionValues.add(s.path("value").asDouble()));
                }
            }
        }
        List<String> alerts = AlertRuleFiles.alertNames();
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(12);
        assertThat(firing).as("alerts shown firing").containsExactlyInAnyOrderElementsOf(alerts);
        assertThat(quiet).as("alerts shown quiet").containsExactlyInAnyOrderElementsOf(alerts);
        assertThat(sessionValues).as("the session rule shown open and closed").containsExactlyInAnyOrder(0.0, 1.0);

        ToolResult r = PrometheusServer.promtool(PROMTOOL_LIMIT, "test", "rules", AlertRuleFiles.TESTS.toString());

        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }

    @Test
    @Timeout(240)
    void theUnitTestsFailWhenARuleChanges() throws Exception {
        Files.writeString(dir.resolve("ticker-etl-test.yml"), AlertRuleFiles.testsOnly(
                t -> t.path("name").asText().equals("stream connection and process")));
        Path rules = dir.resolve("ticker-etl-rules.yml");
        Files.copy(AlertRuleFiles.RULES, rules);
        ToolResult unchanged = PrometheusServer.promtool(PROMTOOL_LIMIT, "test", "rules",
                dir.resolve("ticker-etl-test.yml").toString());
        assertThat(unchanged.exit()).as(unchanged.output()).isZero();

        // Disconnected for 5 minutes instead of 2 before it fires.
        Files.writeString(rules, AlertRuleFiles.rulesWithFor("TickerEtlStreamDisconnected", "5m"));
        ToolResult changed = PrometheusServer.promtool(PROMTOOL_LIMIT, "test", "rules",
                dir.resolve("ticker-etl-test.yml").toString());

        assertThat(changed.exit()).as(changed.output()).isNotZero();
        assertThat(changed.output()).contains("FAILED").contains("alertname: TickerEtlStreamDisconnected, time: 13m");
    }

    @Test
    void rulesAndTheirTestsUseOnlySeriesAndLabelsTheMetricsModuleExposes() {
        Map<String, Set<String>> exposed = exposedSeries();
        List<String> problems = new ArrayList<>();

        Pattern selector = Pattern.compile("\\b(ticker_etl_[a-z0-9_]+)(\\{([^}]*)})?");
        Pattern matcher = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)");
        Pattern grouping = Pattern.compile("\\b(without|ignoring|by|on)\\s*\\(([^)]*)\\)");
        for (JsonNode rule : AlertRuleFiles.rules()) {
            String name = rule.has("alert") ? rule.path("alert").asText() : rule.path("record").asText();
            String expr = rule.path("expr").asText();
            Set<String> labelsInExpr = new HashSet<>(TARGET_LABELS);
            Matcher m = selector.matcher(expr);
            while (m.find()) {
                Set<String> labels = exposed.get(m.group(1));
                if (labels == null) {
                    problems.add(name + ": " + m.group(1) + " is not exposed");
                    continue;
                }
                labelsInExpr.addAll(labels);
                if (m.group(3) != null) {
                    Matcher l = matcher.matcher(m.group(3));
                    while (l.find()) {
                        if (!labels.contains(l.group(1))) {
                            problems.add(name + ": " + m.group(1) + " has no label " + l.group(1));
                        }
                    }
                }
            }
            Matcher g = grouping.matcher(expr);
            while (g.find()) {
                for (String label : g.group(2).split(",")) {
                    if (!label.isBlank() && !labelsInExpr.contains(label.strip())) {
                        problems.add(name + ": " + g.group(1) + " (" + label.strip() + ") names no label of its series");
                    }
                }
            }
        }

        Pattern series = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{(.*)}");
        Pattern label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*=\\s*\"");
        for (JsonNode group : AlertRuleFiles.read(AlertRuleFiles.TESTS).path("tests")) {
            for (JsonNode input : group.path("input_series")) {
                Matcher s = series.matcher(input.path("series").asText());
                assertThat(s.matches()).as(input.path("series").asText()).isTrue();
                Set<String> labels = s.group(1).equals("up") ? Set.of() : exposed.get(s.group(1));
                if (labels == null) {
                    problems.add("test input " + s.group(1) + " is not exposed");
                    continue;
                }
                Matcher l = label.matcher(s.group(2));
                while (l.find()) {
                    if (!labels.contains(l.group(1)) && !TARGET_LABELS.contains(l.group(1))) {
                        problems.add("test input " + s.group(1) + " has no label " + l.group(1));
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    /**
     * Every series name a PrometheusMeterRegistry exposes for the vocabulary, with its label keys: each metric reported
     * once through the metrics module, then scraped.
     */
    private static Map<String, Set<String>> exposedSeries() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Observer observer = MicrometerObserver.builder(registry).tickers(List.of("AAPL")).build();
        for (Metrics.Definition d : Metrics.all()) {
            String[] tags = d.tags().stream().flatMap(k -> Stream.of(k, k.equals(Metrics.TICKER) ? "AAPL" : "x"))
                    .toArray(String[]::new);
            switch (d.kind()) {
                case COUNTER -> observer.count(d.name(), 1, tags);
                case GAUGE -> observer.gauge(d.name(), 1, tags);
                case TIMER -> observer.time(d.name(), Duration.ofMillis(5), tags);
                case DISTRIBUTION -> observer.record(d.name(), 1, tags);
                default -> throw new IllegalStateException("unknown kind " + d.kind());
            }
        }
        Map<String, Set<String>> exposed = new HashMap<>();
        for (PrometheusText.Sample s : PrometheusText.parse(registry.scrape()).samples) {
            Set<String> labels = exposed.computeIfAbsent(s.name(), n -> new HashSet<>());
            labels.addAll(s.labels().keySet());
            labels.remove("le");
        }
        assertThat(exposed).containsKeys("ticker_etl_runs_total", "ticker_etl_request_duration_seconds_bucket",
                "ticker_etl_stream_connected");
        return exposed;
    }
}
