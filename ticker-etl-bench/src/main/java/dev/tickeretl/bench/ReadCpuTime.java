package dev.tickeretl.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The read-path benchmarks measured in CPU time instead of wall time: what one core spends, whatever else the
 * machine runs. A cross-check for JMH's wall-clock numbers on a shared machine. Run with
 * {@code java -cp ticker-etl-bench/target/benchmarks.jar dev.tickeretl.bench.ReadCpuTime [seconds]}.
 */
public final class ReadCpuTime {

    private static final Blackhole BH = new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

    private ReadCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        for (String line : measure(seconds)) {
            System.out.println(line);
        }
    }

    /** Warms each path for {@code seconds}, then measures it for as long; one line per path. */
    static java.util.List<String> measure(double seconds) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        java.util.List<String> out = new java.util.ArrayList<>();
        ReadPathBenchmark read = new ReadPathBenchmark();
        read.setup();
        try {
            out.add(perBar("decode, fast parser", seconds, threads, () -> read.decodeFast(BH)));
            out.add(perBar("decode, Jackson", seconds, threads, () -> read.decodeJackson(BH)));
            out.add(perBar("Store.bars, 20 years", seconds, threads, () -> BH.consume(read.storeRead())));
        } finally {
            read.tearDown();
        }
        ReadApiBenchmark api = new ReadApiBenchmark();
        api.format = "ndjson";
        api.setup();
        try {
            Action request = () -> BH.consume(api.twentyYearsOfOneTicker());
            repeat(seconds, request);
            long cpu0 = os.getProcessCpuTime();
            long wall0 = System.nanoTime();
            long n = repeat(seconds, request);
            double cpuMs = (os.getProcessCpuTime() - cpu0) / 1e6 / n;
            double wallMs = (System.nanoTime() - wall0) / 1e6 / n;
            out.add(String.format(Locale.ROOT, "GET /v1/bars 20 years ndjson: %.2f ms CPU (server, client and GC"
                    + " together) and %.2f ms wall per request, %d requests", cpuMs, wallMs, n));
        } finally {
            api.tearDown();
        }
        return out;
    }

    private interface Action {
        void run() throws Exception;
    }

    private static String perBar(String name, double seconds, ThreadMXBean threads, Action action)
            throws Exception {
        repeat(seconds, action);
        long cpu0 = threads.getCurrentThreadCpuTime();
        long n = repeat(seconds, action);
        double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
        return String.format(Locale.ROOT, "%s: %.2f M bars per CPU second (%d rounds of %d bars)", name,
                n * (double) ReadPathBenchmark.BARS / cpuSeconds / 1e6, n, ReadPathBenchmark.BARS);
    }

    private static long repeat(double seconds, Action action) throws Exception {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long n = 0;
        do {
            action.run();
            n++;
        } while (System.nanoTime() < end);
        return n;
    }
}
