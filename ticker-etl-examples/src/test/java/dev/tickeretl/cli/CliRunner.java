package dev.tickeretl.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the CLI in this JVM and captures what a user would see. */
final class CliRunner {

    record Result(int exit, String out, String err) {
        /** The non-blank lines the user saw on standard error. */
        java.util.List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private CliRunner() {
    }

    static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(exit, out.toString(), err.toString());
    }
}
