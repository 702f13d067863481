package dev.tickeretl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** The files in docs/alerts as the tests read them: the rules, their promtool unit tests, and changed copies. */
final class AlertRuleFiles {

    static final Path DIR = Path.of("").toAbsolutePath().resolve("../docs/alerts").normalize();
    static final Path RULES = DIR.resolve("ticker-etl-rules.yml");
    static final Path TESTS = DIR.resolve("ticker-etl-rules.test.yml");

    private static final YAMLMapper YAML = new YAMLMapper();

    private AlertRuleFiles() {
    }

    static JsonNode read(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String write(JsonNode tree) {
        try {
            return YAML.writeValueAsString(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every rule of every group, alerting and recording. */
    static List<JsonNode> rules() {
        List<JsonNode> all = new ArrayList<>();
        read(RULES).path("groups").forEach(g -> g.path("rules").forEach(all::add));
        return all;
    }

    static List<String> alertNames() {
        return rules().stream().filter(r -> r.has("alert")).map(r -> r.path("alert").asText()).toList();
    }

    /** The rule that records {@code name}, or the alert called {@code name}. */
    static JsonNode rule(String name) {
        return rules().stream().filter(r -> name.equals(r.path("alert").asText())
                        || name.equals(r.path("record").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no rule " + name + " in " + RULES));
    }

    /** The rules file as YAML text with {@code alert}'s {@code for} replaced by {@code newFor}. */
    static String rulesWithFor(String alert, String newFor) {
        JsonNode tree = read(RULES);
        int changed = 0;
        for (JsonNode group : tree.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (alert.equals(rule.path("alert").asText())) {
                    ((ObjectNode) rule).put("for", newFor);
                    changed++;
                }
            }
        }
        if (changed != 1) {
            throw new AssertionError(changed + " alerts named " + alert + " in " + RULES);
        }
        return write(tree);
    }

    /** The unit-test file as YAML text with only the test groups {@code keep} accepts. */
    static String testsOnly(Predicate<JsonNode> keep) {
        ObjectNode tree = (ObjectNode) read(TESTS);
        ArrayNode kept = YAML.createArrayNode();
        tree.path("tests").forEach(t -> {
            if (keep.test(t)) {
                kept.add(t);
            }
        });
        tree.set("tests", kept);
        return write(tree);
    }
}
