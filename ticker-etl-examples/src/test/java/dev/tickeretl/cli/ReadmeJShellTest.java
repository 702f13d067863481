package dev.tickeretl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's JShell session, line by line after ticker-etl.jsh, evaluated as JShell would. */
class ReadmeJShellTest {

    @TempDir
    Path dir;

    @Test
    void theReadmeSessionRunsVerbatimAfterTheStartupScript() throws IOException {
        Path module = Path.of("").toAbsolutePath();
        List<String> startup = Files.readAllLines(module.resolve("ticker-etl.jsh")).stream()
                .filter(l -> l.startsWith("import ")).toList();
        List<String> session = Files.readAllLines(module.resolve("../README.md")).stream()
                .filter(l -> l.startsWith("jshell> ")).map(l -> l.substring("jshell> ".length())).toList();
        assertThat(session).isNotEmpty();
        String store = dir.resolve("data").toUri().toString();
        Path chart = dir.resolve("chart.html");

        List<String> values = new ArrayList<>();
        try (JShell shell = JShell.builder().executionEngine("local").build()) {
            for (String line : startup) {
                eval(shell, line);
            }
            for (String line : session) {
                // The only changes: the session's ./data and chart.html go to this test's directory.
                values.add(eval(shell, line.replace("file:./data", store)
                        .replace("Path.of(\"chart.html\")", "Path.of(\"" + chart + "\")")));
            }
        }

        assertThat(values.get(0)).contains("SUCCEEDED");
        assertThat(values).anySatisfy(v -> assertThat(v).isEqualTo("SUCCEEDED"));
        assertThat(values).anySatisfy(v -> assertThat(v).startsWith("Bar[ticker=AAPL")
                .contains("tradingDate=2025-01-02"));
        assertThat(values).contains(chart.toString());
        assertThat(Files.readString(chart)).startsWith("<!doctype html>").contains("\"trading_date\":\"2025-01-31\"");
        assertThat(values).as("the stream stopped within the wait").contains("true");
        assertThat(Integer.parseInt(values.get(values.size() - 1))).as("minute bars the stream stored")
                .isGreaterThan(10);
    }

    private static String eval(JShell shell, String source) {
        String value = null;
        // As the interactive tool does: complete the snippet (e.g. the missing semicolon) before evaluating it.
        String complete = shell.sourceCodeAnalysis().analyzeCompletion(source).source();
        for (SnippetEvent e : shell.eval(complete)) {
            assertThat(e.exception()).as(source).isNull();
            assertThat(e.status()).as(source + " " + shell.diagnostics(e.snippet()).map(d -> d.getMessage(null))
                    .toList()).isIn(Snippet.Status.VALID, Snippet.Status.OVERWRITTEN);
            if (e.value() != null) {
                value = e.value();
            }
        }
        return value;
    }
}
