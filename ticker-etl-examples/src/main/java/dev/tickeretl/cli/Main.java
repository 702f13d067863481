package dev.tickeretl.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.event.Level;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The reference command line: {@code ticker-etl ingest|stream|runs|bars|serve|chart}. */
@Command(name = "ticker-etl", mixinStandardHelpOptions = true, version = "ticker-etl 0.1.0",
        description = "Ingest US market aggregates into phase-tagged, timezone-correct JSON records.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:succeeded", "1:failed", "2:usage error (the message names the option)",
                "3:partial (some tickers or bars failed; the rest is stored)",
                "130:cancelled by SIGINT/SIGTERM (what was fetched is stored and recorded)"},
        footerHeading = "%nExamples:%n",
        footer = {"  ticker-etl ingest                  # default tickers, latest completed day",
                "  ticker-etl ingest --tickers AAPL,BRK.A --from 2025-01-02 --to 2025-01-31",
                "  ticker-etl runs --limit 5",
                "  ticker-etl bars --ticker AAPL --from 2025-01-02 --to 2025-01-31",
                "  ticker-etl stream --tickers AAPL,MSFT   # live minute bars (simulator unless POLYGON_API_KEY)",
                "  ticker-etl serve --port 8080            # read API and charts over the store",
                "",
                "'ticker-etl COMMAND --help' shows a command's options.",
                "Log level: TICKER_ETL_LOG_LEVEL=debug|info|warn|error (default warn).",
                ""})
public final class Main implements Runnable {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_PARTIAL = 3;
    /** 128 + SIGINT, as shells report a command stopped by Ctrl-C; the run record says CANCELLED. */
    static final int EXIT_CANCELLED = 130;

    /** The commands, in the order help lists them. */
    private static final Map<String, Class<?>> COMMANDS = commands();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        Signals.enable();
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line with the given streams and returns the exit code; tests call this. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return commandLine(out, err, Clock.systemUTC(), args).execute(args);
    }

    /** The configured command line with every command; {@code clock} decides "today" for defaults and checks. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, Clock clock) {
        return commandLine(out, err, clock, new String[0]);
    }

    /**
     * The configured command line for {@code args}. Picocli builds a command's model by reflection, which costs tens
     * of milliseconds per command in a fresh JVM, so when the first argument names a command only that one is
     * added: its parsing, help and errors never show the others.
     */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, Clock clock, String[] args) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == IngestCommand.class ? type.cast(new IngestCommand(clock)) : defaults.create(type);
            }
        };
        CommandLine cli = new CommandLine(new Main(), factory);
        String first = args.length > 0 ? args[0] : "";
        boolean named = COMMANDS.containsKey(first);
        for (Map.Entry<String, Class<?>> command : COMMANDS.entrySet()) {
            if (!named || command.getKey().equals(first)) {
                try {
                    cli.addSubcommand(command.getKey(), new CommandLine(factory.create(command.getValue()), factory));
                } catch (Exception e) {
                    throw new IllegalStateException("cannot create command " + command.getKey(), e);
                }
            }
        }
        // After the commands are added: these settings reach only the commands present when they are made.
        cli.setOut(out);
        cli.setErr(err);
        // Log lines share the command's error stream; --quiet lowers this to errors only.
        CliLog.configure(err, CliLog.configuredLevel());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean trace = CliLog.threshold() == Level.DEBUG || CliLog.threshold() == Level.TRACE;
            if (CliLog.json()) {
                // Standard error holds JSON lines only: the failure is one more, with its stack trace at DEBUG.
                LoggingEventBuilder line = LoggerFactory.getLogger(Main.class).atError()
                        .addKeyValue("event", "command_failed");
                (trace ? line.setCause(e) : line).log("ticker-etl: {}", message(e));
            } else {
                commandLine.getErr().println("ticker-etl: " + message(e));
                if (trace) {
                    e.printStackTrace(commandLine.getErr());
                }
            }
            return e instanceof IllegalArgumentException ? EXIT_USAGE : EXIT_FAILED;
        });
        return cli;
    }

    /** One line: what failed and why. The stack trace only at DEBUG ({@code TICKER_ETL_LOG_LEVEL=debug}). */
    private static String message(Exception e) {
        if (e instanceof IllegalArgumentException && e.getMessage() != null) {
            return e.getMessage();
        }
        return CliLog.describe(e);
    }

    private static Map<String, Class<?>> commands() {
        Map<String, Class<?>> commands = new LinkedHashMap<>();
        commands.put("ingest", IngestCommand.class);
        commands.put("stream", StreamCommand.class);
        commands.put("runs", RunsCommand.class);
        commands.put("bars", BarsCommand.class);
        commands.put("serve", ServeCommand.class);
        commands.put("chart", ChartCommand.class);
        commands.put("check", CheckCommand.class);
        return commands;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed: ingest, stream, runs, bars, serve, chart or check");
    }
}
