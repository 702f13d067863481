package dev.tickeretl.simulator;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link PolygonSimulator} until the process is killed. Prints the base URL alone on the first line of
 * standard output (for scripts), the WebSocket URL on the second, the settings on standard error.
 *
 * <pre>
 * java -cp ... dev.tickeretl.simulator.PolygonSimulatorMain --port 8089 --seed 7 --page-size 100 \
 *      --rate-limit 5/PT2S --latency PT0.05S
 * java -cp ... dev.tickeretl.simulator.PolygonSimulatorMain --market-clock 2025-03-03T14:30:00Z --speed 60 \
 *      --universe 3000 --revisions 0.05 --drop-every PT20M
 * </pre>
 *
 * REST options: {@code --port N} (0 = any free port), {@code --seed N}, {@code --page-size N},
 * {@code --rate-limit N/DURATION} (ISO-8601 duration), {@code --latency DURATION}, {@code --fault-rate R}
 * (seeded random faults of every kind, 0..1), {@code --delayed}, {@code --universe N} (the first N symbols of the
 * default universe). Stream options: {@code --market-clock INSTANT} (where the market clock starts, e.g. a session's
 * open), {@code --speed X} (times real time; 0 stands still), {@code --revisions R}, {@code --duplicates R},
 * {@code --out-of-order R} (shares of events, 0..1), {@code --events-per-message N}, {@code --fragment-bytes N},
 * {@code --max-stream-connections N}, {@code --drop-every DURATION} (reset every stream connection each time that
 * much market time has passed, for a day). A key, if wanted, comes from the environment variable
 * {@code SIMULATOR_API_KEY}, never from the command line. Exit code 2 on a usage error.
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
        String key = System.getenv("SIMULATOR_API_KEY");
        if (key != null && !key.isBlank()) {
            builder.requireKey(key.strip());
        }
        PolygonSimulator simulator = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::close, "polygon-simulator-shutdown"));
        System.out.println(simulator.baseUrl());
        System.out.println(simulator.webSocketUrl());
        System.out.flush();
        System.err.println("polygon-simulator: serving " + simulator + ", market clock at " + simulator.marketTime()
                + "; stop with Ctrl-C");
        new CountDownLatch(1).await();
    }

    /** @return the configured builder, or {@code null} when help was asked for */
    static PolygonSimulator.Builder parse(String[] args) {
        PolygonSimulator.Builder builder = PolygonSimulator.builder();
        StreamFaultPlan.Builder stream = StreamFaultPlan.builder();
        Instant clockStart = null;
        Double speed = null;
        Duration dropEvery = null;
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
                case "--fault-rate" -> builder.faults(
                        FaultPlan.builder().randomly(rate(option, value(args, ++i, option)), 1L).build());
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
                case "--universe" -> {
                    int size = integer(option, value(args, ++i, option));
                    List<String> all = PolygonSimulator.defaultUniverse();
                    if (size < 1 || size > all.size()) {
                        throw new IllegalArgumentException(option + ": must be within 1.." + all.size() + ", got "
                                + size);
                    }
                    builder.universe(all.subList(0, size));
                }
                case "--market-clock" -> {
                    String text = value(args, ++i, option);
                    try {
                        clockStart = Instant.parse(text);
                    } catch (DateTimeParseException e) {
                        throw new IllegalArgumentException(option + ": '" + text
                                + "' is not an ISO-8601 instant such as 2025-03-03T14:30:00Z");
                    }
                }
                case "--speed" -> {
                    speed = number(option, value(args, ++i, option));
                    if (!(speed >= 0.0) || speed.isInfinite()) {
                        throw new IllegalArgumentException(option + ": must be 0 (stopped) or a positive factor of"
                                + " real time, got " + speed);
                    }
                }
                case "--revisions" -> stream.revisions(rate(option, value(args, ++i, option)));
                case "--duplicates" -> stream.duplicates(rate(option, value(args, ++i, option)));
                case "--out-of-order" -> stream.outOfOrder(rate(option, value(args, ++i, option)));
                case "--events-per-message" -> stream.eventsPerMessage(positive(option, value(args, ++i, option)));
                case "--fragment-bytes" -> stream.fragmentBytes(positive(option, value(args, ++i, option)));
                case "--max-stream-connections" ->
                        builder.maxStreamConnections(positive(option, value(args, ++i, option)));
                case "--drop-every" -> {
                    dropEvery = duration(option, value(args, ++i, option));
                    if (dropEvery.isNegative() || dropEvery.isZero()) {
                        throw new IllegalArgumentException(option + ": must be positive, got " + dropEvery);
                    }
                }
                default -> throw new IllegalArgumentException("unknown option '" + option + "'");
            }
        }
        if (clockStart != null || speed != null) {
            clockStart = clockStart != null ? clockStart : Instant.now();
            builder.marketClock(clockStart, speed != null ? speed : 1.0);
        }
        if (dropEvery != null) {
            Instant from = clockStart != null ? clockStart : Instant.now();
            Instant until = from.plus(Duration.ofDays(1));
            for (Instant at = from.plus(dropEvery); !at.isAfter(until); at = at.plus(dropEvery)) {
                stream.at(at, StreamFault.DROP);
            }
        }
        return builder.streamFaults(stream.build());
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

    private static int positive(String option, String text) {
        int value = integer(option, text);
        if (value < 1) {
            throw new IllegalArgumentException(option + ": must be at least 1, got " + value);
        }
        return value;
    }

    private static long longValue(String option, String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + text + "' is not an integer");
        }
    }

    private static double number(String option, String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + text + "' is not a number");
        }
    }

    private static double rate(String option, String text) {
        double rate = number(option, text);
        if (!(rate >= 0.0 && rate <= 1.0)) {
            throw new IllegalArgumentException(option + ": must be within 0..1, got " + text);
        }
        return rate;
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
                + " [--latency PT0.05S] [--fault-rate R] [--delayed] [--universe N]");
        out.println("         [--market-clock 2025-03-03T14:30:00Z] [--speed 60] [--revisions R] [--duplicates R]"
                + " [--out-of-order R]");
        out.println("         [--events-per-message N] [--fragment-bytes N] [--max-stream-connections N]"
                + " [--drop-every PT20M]");
        out.println("  key (optional): environment variable SIMULATOR_API_KEY");
    }
}
