package dev.tickeretl.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link TransformBenchmark}'s paths measured in bars per second of <em>CPU time</em> (the process's: the measuring
 * thread plus GC), which is what "bars/s/core" means and which, unlike JMH's wall-clock throughput, other work on a
 * shared machine does not distort. After a warm-up each path runs in rounds of about a CPU-second; the table gives
 * the median and the range of the rounds.
 *
 * <pre>java -cp ticker-etl-bench/target/benchmarks.jar dev.tickeretl.bench.CpuTimeRun [rounds]</pre>
 */
public final class CpuTimeRun {

    private static final Blackhole BH = new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

    interface Path {
        long run(TransformBenchmark b) throws Exception;
    }

    private CpuTimeRun() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        String[] names = {"transformTagSerialize", "serializeOnly", "serializeJackson", "transformOnly", "tagOnly"};
        Path[] paths = {b -> b.transformTagSerialize(BH), b -> b.serializeOnly(BH), b -> b.serializeJackson(BH),
                b -> b.transformOnly(BH), b -> b.tagOnly(BH)};
        System.out.println("| path | data | M bars per CPU-second, median (min-max of " + rounds + " rounds) |");
        System.out.println("|---|---|---|");
        for (String data : List.of("realistic", "simulator")) {
            TransformBenchmark b = new TransformBenchmark();
            b.data = data;
            b.setup();
            for (int p = 0; p < paths.length; p++) {
                double[] rates = measure(b, paths[p], rounds);
                System.out.printf(Locale.ROOT, "| %s | %s | %.2f (%.2f-%.2f) |%n", names[p], data,
                        rates[rates.length / 2], rates[0], rates[rates.length - 1]);
            }
        }
    }

    private static double[] measure(TransformBenchmark b, Path path, int rounds) throws Exception {
        // Warm-up: about 3 CPU-seconds, so that C2 has compiled the path.
        long warmEnd = cpuNanos() + 3_000_000_000L;
        while (cpuNanos() < warmEnd) {
            path.run(b);
        }
        List<Double> rates = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            long start = cpuNanos();
            long invocations = 0;
            while (cpuNanos() - start < 1_000_000_000L) {
                path.run(b);
                invocations++;
            }
            double seconds = (cpuNanos() - start) / 1e9;
            rates.add(invocations * (double) TransformBenchmark.BARS / seconds / 1e6);
        }
        double[] sorted = rates.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return sorted;
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
