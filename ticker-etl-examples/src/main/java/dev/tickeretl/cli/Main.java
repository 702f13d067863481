package dev.tickeretl.cli;

import dev.tickeretl.TickerEtlException;
import java.io.PrintWriter;
import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The reference command line: {@code ticker-etl ingest|runs|bars|serve|chart}. */
@Command(name = "ticker-etl", mixinStandardHelpOptions = true, version = "ticker-etl 0.1.0",
        description = "Ingest US market aggregates into phase-tagged, timezone-correct JSON records.",
        subcommands = {IngestCommand.class, StreamCommand.class, RunsCommand.class, BarsCommand.class, ServeCommand.class,
                ChartCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:succeeded", "1:failed", "2:usage error", "3:partial (some tickers or bars failed)",
                "130:cancelled by SIGINT/SIGTERM (what was fetched is stored and recorded)"})
public final class Main implements Runnable {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_PARTIAL = 3;
    /** 128 + SIGINT, as shells report a command stopped by Ctrl-C; the run record says CANCELLED. */
    static final int EXIT_CANCELLED = 130;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // The Kafka client logs a warning for every refused connection; the sink itself reports what failed in
        // one line (and the run record), so only the client's errors are shown unless asked for.
        if (System.getProperty("org.slf4j.simpleLogger.log.org.apache.kafka") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
        }
        Signals.enable();
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line with the given streams and returns the exit code; tests call this. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return commandLine(out, err, Clock.systemUTC()).execute(args);
    }

    /** The configured command line; {@code clock} decides "today" for defaults and validation. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, Clock clock) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine cli = new CommandLine(new Main(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == IngestCommand.class ? type.cast(new IngestCommand(clock)) : defaults.create(type);
            }
        });
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("ticker-etl: " + message(e));
            return e instanceof IllegalArgumentException ? EXIT_USAGE : EXIT_FAILED;
        });
        return cli;
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
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed: ingest, runs, bars, serve or chart");
    }
}
