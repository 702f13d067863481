package dev.tickeretl.bench;

import dev.tickeretl.internal.AsciiBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

/**
 * Proves {@link AsciiBuffer#shortDecimal(double)} on the running JDK: for every value of its domain ({@code m / 10^k}, k = 0..4,
 * 0 &lt; m &lt; 10^9, value in [0.001, 10^7)) it must write exactly {@link Double#toString(double)}. About 2.8 billion
 * values; minutes on all cores. Exit code 1 with the first differences on a mismatch.
 *
 * <pre>java -cp ticker-etl-bench/target/benchmarks.jar dev.tickeretl.bench.DecimalFormatCheck</pre>
 */
public final class DecimalFormatCheck {

    private static final long[] POW10 = {1L, 10L, 100L, 1_000L, 10_000L};

    private DecimalFormatCheck() {
    }

    public static void main(String[] args) {
        long started = System.nanoTime();
        AtomicLong checked = new AtomicLong();
        AtomicLong mismatches = new AtomicLong();
        for (int k = 0; k < POW10.length; k++) {
            int fractionDigits = k;
            long first = Math.max(1, (long) Math.ceil(0.001 * POW10[k]));
            long last = Math.min(999_999_999L, 10_000_000L * POW10[k] - 1);
            // Chunks of 10^6 so the common pool spreads the work.
            LongStream.rangeClosed(first / 1_000_000, last / 1_000_000).parallel().forEach(chunk -> {
                AsciiBuffer buffer = new AsciiBuffer(32);
                long n = 0;
                for (long m = Math.max(first, chunk * 1_000_000); m <= Math.min(last, chunk * 1_000_000 + 999_999);
                        m++) {
                    if (fractionDigits > 0 && m % 10 == 0) {
                        continue; // the same value with fewer digits: checked under k - 1
                    }
                    double value = m / (double) POW10[fractionDigits];
                    buffer.truncate(0);
                    if (!buffer.shortDecimal(value) || !buffer.toAsciiString().equals(Double.toString(value))) {
                        if (mismatches.incrementAndGet() <= 20) {
                            System.out.println("MISMATCH " + m + "/10^" + fractionDigits + ": fast '"
                                    + buffer.toAsciiString() + "' JDK '" + Double.toString(value) + "'");
                        }
                    }
                    n++;
                }
                checked.addAndGet(n);
            });
            System.out.printf("k=%d done: %,d values checked so far, %,d mismatches, %d s%n", k, checked.get(),
                    mismatches.get(), (System.nanoTime() - started) / 1_000_000_000L);
        }
        System.out.printf("%s %s: %,d values, %,d mismatches%n", System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), checked.get(), mismatches.get());
        System.exit(mismatches.get() == 0 ? 0 : 1);
    }
}
