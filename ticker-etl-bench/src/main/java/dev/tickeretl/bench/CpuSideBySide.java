package dev.tickeretl.bench;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Two or more builds of the per-bar CPU paths in one JVM, measured in alternation: each benchmarks jar is loaded in
 * its own class loader, and every round runs each build's path for 0.3 CPU-seconds, in a rotating order. On this
 * shared virtual machine the speed of a core drifts by up to a factor of two within minutes, so runs of two builds
 * minutes apart cannot be compared; alternating rounds see the same drift, and the median of the per-round ratios
 * is the speed-up.
 *
 * <pre>
 * java -cp benchmarks.jar dev.tickeretl.bench.CpuSideBySide ROUNDS PATH[,PATH...] LABEL=JAR [LABEL=JAR...]
 * </pre>
 * Paths: {@code serialize}, {@code serializeJackson}, {@code transformTagSerialize} ({@link TransformBenchmark} on
 * realistic data), {@code decode}, {@code storeRead} ({@link ReadPathBenchmark}). Prints one Markdown table: bars
 * per CPU-second of the measuring thread (median and quartiles of the rounds), per CPU-second of the whole process
 * (GC and JIT included), and each build's median ratio to the first. {@code bench/cpu-ab.sh} builds the jars and
 * runs it.
 */
public final class CpuSideBySide {

    private static final String BLACKHOLE_PASSWORD =
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.";
    private static final long ROUND_CPU_NANOS = 300_000_000L;
    private static final Map<String, String[]> PATHS = Map.of(
            "serialize", new String[] {"dev.tickeretl.bench.TransformBenchmark", "serializeOnly"},
            "serializeJackson", new String[] {"dev.tickeretl.bench.TransformBenchmark", "serializeJackson"},
            "transformTagSerialize", new String[] {"dev.tickeretl.bench.TransformBenchmark", "transformTagSerialize"},
            "decode", new String[] {"dev.tickeretl.bench.ReadPathBenchmark", "decodeFast"},
            "storeRead", new String[] {"dev.tickeretl.bench.ReadPathBenchmark", "storeRead"});

    /** One build's path: its benchmark object in its own class loader. */
    /** {@code blackhole} is a JMH Blackhole of the build's own class loader, as its methods take. */
    private record Variant(String label, ClassLoader loader, Object bench, Method method, int bars,
                           Object blackhole) {
        /** Removes what the benchmark's set-up made (ReadPathBenchmark's store directory). */
        void tearDown() throws Exception {
            Method tearDown = Arrays.stream(bench.getClass().getMethods())
                    .filter(m -> m.getName().equals("tearDown") && m.getParameterCount() == 0).findFirst().orElse(null);
            if (tearDown != null) {
                tearDown.invoke(bench);
            }
        }

        /** Runs the path once (one benchmark invocation); ServiceLoader lookups see this build's providers. */
        void run() throws Exception {
            Thread thread = Thread.currentThread();
            ClassLoader before = thread.getContextClassLoader();
            thread.setContextClassLoader(loader);
            try {
                if (method.getParameterCount() == 1) {
                    method.invoke(bench, blackhole);
                } else {
                    SINK.consume(method.invoke(bench));
                }
            } finally {
                thread.setContextClassLoader(before);
            }
        }
    }

    private static final Blackhole SINK = new Blackhole(BLACKHOLE_PASSWORD);

    private CpuSideBySide() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: CpuSideBySide ROUNDS PATH[,PATH...] LABEL=JAR [LABEL=JAR...]; paths: "
                    + PATHS.keySet());
            System.exit(2);
        }
        int rounds = Integer.parseInt(args[0]);
        System.out.println("| path | build | M bars per thread CPU-second, median (p25-p75) | per process CPU-second"
                + " | ratio to " + args[2].split("=", 2)[0] + ", median (p25-p75) |");
        System.out.println("|---|---|---|---|---|");
        for (String path : args[1].split(",")) {
            String[] target = PATHS.get(path);
            if (target == null) {
                throw new IllegalArgumentException("path: one of " + PATHS.keySet() + ", got " + path);
            }
            List<Variant> variants = new ArrayList<>();
            for (int i = 2; i < args.length; i++) {
                String[] labelJar = args[i].split("=", 2);
                variants.add(variant(labelJar[0], labelJar[1], target[0], target[1]));
            }
            try {
                measure(path, variants, rounds);
            } finally {
                for (Variant v : variants) {
                    v.tearDown();
                }
            }
        }
        System.out.println("(" + rounds + " rounds of " + ROUND_CPU_NANOS / 1_000_000 + " CPU-ms per build and path,"
                + " after 4 s of warm-up each)");
        System.exit(0);
    }

    private static Variant variant(String label, String jar, String type, String methodName) throws Exception {
        URLClassLoader loader = new URLClassLoader(new URL[] {new File(jar).toURI().toURL()},
                ClassLoader.getPlatformClassLoader());
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            Class<?> benchType = loader.loadClass(type);
            Object bench = benchType.getConstructor().newInstance();
            if (type.endsWith("TransformBenchmark")) {
                benchType.getField("data").set(bench, "realistic");
            }
            int bars = benchType.getField("BARS").getInt(null);
            benchType.getMethod("setup").invoke(bench);
            Method method = Arrays.stream(benchType.getMethods()).filter(m -> m.getName().equals(methodName))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException(label + " has no " + methodName));
            Object blackhole = loader.loadClass(Blackhole.class.getName()).getConstructor(String.class)
                    .newInstance(BLACKHOLE_PASSWORD);
            return new Variant(label, loader, bench, method, bars, blackhole);
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    private static void measure(String path, List<Variant> variants, int rounds) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (Variant v : variants) {
            long end = System.nanoTime() + 4_000_000_000L;
            while (System.nanoTime() < end) {
                v.run();
            }
        }
        int n = variants.size();
        double[][] thread = new double[n][rounds];
        double[][] process = new double[n][rounds];
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < n; k++) {
                int i = (round + k) % n;
                Variant v = variants.get(i);
                long cpu0 = threads.getCurrentThreadCpuTime();
                long process0 = os.getProcessCpuTime();
                long bars = 0;
                while (threads.getCurrentThreadCpuTime() - cpu0 < ROUND_CPU_NANOS) {
                    v.run();
                    bars += v.bars();
                }
                thread[i][round] = bars / ((threads.getCurrentThreadCpuTime() - cpu0) / 1e3);
                process[i][round] = bars / ((os.getProcessCpuTime() - process0) / 1e3);
            }
        }
        for (int i = 0; i < n; i++) {
            double[] ratio = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratio[r] = thread[i][r] / thread[0][r];
            }
            double[] t = sorted(thread[i]);
            double[] p = sorted(process[i]);
            double[] q = sorted(ratio);
            System.out.printf(Locale.ROOT, "| %s | %s | %.2f (%.2f-%.2f) | %.2f | %.2f (%.2f-%.2f) |%n", path,
                    variants.get(i).label(), median(t), t[rounds / 4], t[3 * rounds / 4], median(p), median(q),
                    q[rounds / 4], q[3 * rounds / 4]);
        }
    }

    private static double[] sorted(double[] values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }

    private static double median(double[] sorted) {
        return sorted[sorted.length / 2];
    }
}
