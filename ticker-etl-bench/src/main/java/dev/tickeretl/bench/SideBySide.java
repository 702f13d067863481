package dev.tickeretl.bench;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Two builds of the Polygon source in one JVM, measured in alternation (issue 10: "side by side in one run"): each
 * benchmarks jar is loaded in its own class loader with its own fixed-latency server, and every round runs each
 * build's {@code RequestOverheadBenchmark.polygonSource} once, plus the bare-client and sleep baselines, in a rotating
 * order. A busy machine then slows every variant alike, which separate JMH runs minutes apart cannot promise.
 *
 * <pre>
 * java -cp benchmarks.jar dev.tickeretl.bench.SideBySide ROUNDS LATENCY_MS LABEL=JAR [LABEL=JAR...]
 * </pre>
 * Prints one Markdown table of milliseconds per request (median, mean, quartiles). {@code bench/overhead.sh}
 * builds the jars and runs it.
 */
public final class SideBySide {

    private static final String BENCHMARK = "dev.tickeretl.polygon.RequestOverheadBenchmark";

    private record Variant(String label, Object bench, Method method, int requests) {
        double msPerRequest() throws Exception {
            long start = System.nanoTime();
            method.invoke(bench);
            return (System.nanoTime() - start) / 1e6 / requests;
        }
    }

    private SideBySide() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: SideBySide ROUNDS LATENCY_MS LABEL=JAR [LABEL=JAR...]");
            System.exit(2);
        }
        int rounds = Integer.parseInt(args[0]);
        int latencyMs = Integer.parseInt(args[1]);
        List<Variant> variants = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            String[] labelJar = args[i].split("=", 2);
            URLClassLoader loader = new URLClassLoader(new URL[] {new File(labelJar[1]).toURI().toURL()},
                    ClassLoader.getPlatformClassLoader());
            Class<?> type = loader.loadClass(BENCHMARK);
            Object bench = type.getConstructor().newInstance();
            type.getField("server").set(bench, "fixed");
            type.getField("latencyMs").setInt(bench, latencyMs);
            type.getMethod("start").invoke(bench);
            int requests = type.getField("REQUESTS").getInt(null);
            variants.add(new Variant("source, " + labelJar[0], bench, type.getMethod("polygonSource"), requests));
            if (i == 2) {
                variants.add(new Variant("bare HttpURLConnection", bench, type.getMethod("rawUrlConnection"),
                        requests));
                variants.add(new Variant("bare HttpClient (send)", bench, type.getMethod("rawHttpClient"),
                        requests));
                variants.add(new Variant("sleep only", bench, type.getMethod("sleepOnly"), requests));
            }
        }
        Map<String, List<Double>> results = new LinkedHashMap<>();
        int warmup = Math.max(3, rounds / 10);
        for (int round = 0; round < warmup + rounds; round++) {
            for (int k = 0; k < variants.size(); k++) {
                Variant v = variants.get((round + k) % variants.size());
                double ms = v.msPerRequest();
                if (round >= warmup) {
                    results.computeIfAbsent(v.label(), x -> new ArrayList<>()).add(ms);
                }
            }
        }
        System.out.println("| " + latencyMs + " ms server, ms per request | median | mean | p25 | p75 |");
        System.out.println("|---|---|---|---|---|");
        for (Variant v : variants) {
            List<Double> ms = results.get(v.label());
            Collections.sort(ms);
            double mean = ms.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f |%n", v.label(), ms.get(ms.size() / 2),
                    mean, ms.get(ms.size() / 4), ms.get(3 * ms.size() / 4));
        }
        System.out.println("(" + rounds + " rounds of " + variants.size() + " variants, " + variants.get(0).requests()
                + " requests each, after "
                + warmup + " warm-up rounds)");
        System.exit(0);
    }
}
