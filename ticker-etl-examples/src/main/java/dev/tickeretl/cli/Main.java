package dev.tickeretl.cli;

import dev.tickeretl.TickerEtlException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The reference command line: {@code ticker-etl ingest|runs|bars}. */
@Command(name = "ticker-etl", mixinStandardHelpOptions = true, version = "ticker-etl 0.1.0",
        description = "Ingest US market aggregates into phase-tagged, timezone-correct JSON records.",
        subcommands = {IngestCommand.class, RunsCommand.class, BarsCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:succeeded", "1:failed", "2:usage error", "3:partial (some tickers or bars failed)"})
public final class Main implements Runnable {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_PARTIAL = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("ticker-etl: " + message(e));
            return e instanceof IllegalArgumentException ? EXIT_USAGE : EXIT_FAILED;
        });
        return cli.execute(args);
    }

    private static String message(Exception e) {
        String m = e.getMessage();
        if (e instanceof TickerEtlException || e instanceof IllegalArgumentException) {
            return m;
        }
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed: ingest, runs or bars");
    }
}
