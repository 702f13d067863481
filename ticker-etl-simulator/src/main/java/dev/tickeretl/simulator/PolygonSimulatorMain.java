package dev.tickeretl.simulator;

import java.io.PrintStream;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link PolygonSimulator} until the process is killed. Prints the base URL alone on the first line of
 * standard output (for scripts), the settings on standard error.
 *
 * <pre>
 * java -cp ... dev.tickeretl.simulator.PolygonSimulatorMain --port 8089 --seed 7 --page-size 100 \
 *      --rate-limit 5/PT2S --latency PT0.05S
 * </pre>
 *
 * Options: {@code --port N} (0 = any free port), {@code --seed N}, {@code --page-size N},
 * {@code --rate-limit N/DURATION} (ISO-8601 duration), {@code --latency DURATION}, {@code --fault-rate R}
 * (seeded random faults of every kind, 0..1), {@code --delayed}. Exit code 2 on a usage error.
 */
public final class PolygonSimulatorMain {

    private PolygonSimulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        PolygonSimulator.Builder builder;
        try {
            builder = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("polygon-simulator: " + e.getMessage());
            usage(System.err);
            System.exit(2);
            return;
        }
        if (builder == null) {
            usage(System.out);
            return;
        }
        PolygonSimulator simulator = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::close, "polygon-simulator-shutdown"));
        System.out.println(simulator.baseUrl());
        System.out.flush();
        System.err.println("polygon-simulator: serving " + simulator + "; stop with Ctrl-C");
        new CountDownLatch(1).await();
    }

    /** @return the configured builder, or {@code null} when help was asked for */
    static PolygonSimulator.Builder parse(String[] args) {
        PolygonSimulator.Builder builder = PolygonSimulator.builder();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "--help", "-h" -> {
                    return null;
                }
                case "--delayed" -> builder.delayed(true);
                case "--port" -> builder.port(integer(option, value(args, ++i, option)));
                case "--seed" -> builder.seed(longValue(option, value(args, ++i, option)));
                case "--page-size" -> builder.pageSize(integer(option, value(args, ++i, option)));
                case "--latency" -> builder.latency(duration(option, value(args, ++i, option)));
                case "--fault-rate" -> {
                    String text = value(args, ++i, option);
                    double rate;
                    try {
                        rate = Double.parseDouble(text);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(option + ": '" + text + "' is not a number");
                    }
                    builder.faults(FaultPlan.builder().randomly(rate, 1L).build());
                }
                case "--rate-limit" -> {
                    String text = value(args, ++i, option);
                    int slash = text.indexOf('/');
                    if (slash < 0) {
                        throw new IllegalArgumentException(option + ": expected N/DURATION such as 5/PT2S, got '"
                                + text + "'");
                    }
                    builder.rateLimit(integer(option, text.substring(0, slash)),
                            duration(option, text.substring(slash + 1)));
                }
                default -> throw new IllegalArgumentException("unknown option '" + option + "'");
            }
        }
        return builder;
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + ": a value is required");
        }
        return args[index];
    }

    private static int integer(String option, String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + text + "' is not an integer");
        }
    }

    private static long longValue(String option, String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + text + "' is not an integer");
        }
    }

    private static Duration duration(String option, String text) {
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + ": '" + text + "' is not an ISO-8601 duration such as PT2S");
        }
    }

    private static void usage(PrintStream out) {
        out.println("usage: PolygonSimulatorMain [--port N] [--seed N] [--page-size N] [--rate-limit N/PT2S]"
                + " [--latency PT0.05S] [--fault-rate R] [--delayed]");
    }
}
