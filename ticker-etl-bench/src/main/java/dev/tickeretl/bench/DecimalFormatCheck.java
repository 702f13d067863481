package dev.tickeretl.bench;

import dev.tickeretl.internal.AsciiBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongToDoubleFunction;
import java.util.stream.LongStream;

/**
 * Checks {@link AsciiBuffer#shortDecimal(double)} on the running JDK: it must write exactly
 * {@link Double#toString(double)} for
 * <ul>
 *   <li>{@code plain}: every value of {@code m / 10^k}, k = 0..4, 0 &lt; m &lt; 10^9, value in [0.001, 10^7)
 *       (about 2.8 billion values);</li>
 *   <li>{@code whole}: every whole number in [10^7, 10^9) (990 million), every {@code d * 10^e} and
 *       {@code d * 10^e +- 1} up to 2^53, and {@code SAMPLES} (default 10^9) seeded random whole numbers in
 *       [10^9, 2^53);</li>
 *   <li>{@code wide}: the parts too large to check in full, by the first and last 10^7 values of each and
 *       {@code SAMPLES} seeded random ones: {@code m / 10^k} with 10^9 &lt;= m &lt; 10^10 below 10^7 (plain), and
 *       {@code m / 10^k}, k = 1..4, in [10^7, 10^10) (scientific);</li>
 *   <li>{@code 0.0001} .. {@code 0.0009}, always.</li>
 * </ul>
 * Minutes on all cores each. Exit code 1 with the first differences on a mismatch.
 *
 * <pre>java -cp ticker-etl-bench/target/benchmarks.jar dev.tickeretl.bench.DecimalFormatCheck [plain|whole|wide|all]</pre>
 */
public final class DecimalFormatCheck {

    private static final long[] POW10 = {1L, 10L, 100L, 1_000L, 10_000L};
    private static final long TWO_TO_53 = 1L << 53;

    private final AtomicLong checked = new AtomicLong();
    private final AtomicLong mismatches = new AtomicLong();
    private final long started = System.nanoTime();

    private DecimalFormatCheck() {
    }

    public static void main(String[] args) {
        String which = args.length > 0 ? args[0] : "all";
        DecimalFormatCheck check = new DecimalFormatCheck();
        if (which.equals("plain") || which.equals("all")) {
            check.plain();
        }
        if (which.equals("whole") || which.equals("all")) {
            check.whole(Long.getLong("SAMPLES", Long.parseLong(System.getenv().getOrDefault("SAMPLES",
                    "1000000000"))));
        }
        if (which.equals("wide") || which.equals("all")) {
            check.wide(Long.getLong("SAMPLES", Long.parseLong(System.getenv().getOrDefault("SAMPLES",
                    "1000000000"))));
        }
        for (long ticks = 1; ticks <= 9; ticks++) {
            check.compare(ticks / 10_000.0, "sub-milli " + ticks);
        }
        System.out.printf("%s %s: %,d values, %,d mismatches%n", System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), check.checked.get(), check.mismatches.get());
        System.exit(check.mismatches.get() == 0 ? 0 : 1);
    }

    private void plain() {
        for (int k = 0; k < POW10.length; k++) {
            int fractionDigits = k;
            long first = Math.max(1, (long) Math.ceil(0.001 * POW10[k]));
            long last = Math.min(999_999_999L, 10_000_000L * POW10[k] - 1);
            // The same value with fewer digits (m divisible by 10) is checked under k - 1.
            range(first, last,
                    m -> fractionDigits > 0 && m % 10 == 0 ? Double.NaN : m / (double) POW10[fractionDigits]);
            progress("plain k=" + k);
        }
    }

    private void whole(long samples) {
        range(10_000_000L, 999_999_999L, m -> (double) m);
        progress("whole [1e7, 1e9)");
        for (long pow = 10_000_000L; pow < TWO_TO_53 / 10 * 10 && pow > 0; pow *= 10) {
            for (long d = 1; d <= 9 && d * pow < TWO_TO_53; d++) {
                compare(d * pow, "round");
                compare(d * pow + 1, "round+1");
                compare(d * pow - 1, "round-1");
            }
        }
        compare(TWO_TO_53 - 1, "2^53-1");
        LongStream.range(0, 64).parallel().forEach(chunk -> {
            SplittableRandom random = new SplittableRandom(chunk);
            AsciiBuffer buffer = new AsciiBuffer(32);
            long n = 0;
            for (long i = chunk; i < samples; i += 64) {
                long m = random.nextLong(1_000_000_000L, TWO_TO_53);
                compare(buffer, m, m);
                n++;
            }
            checked.addAndGet(n);
        });
        progress("whole samples in [1e9, 2^53)");
    }

    private void wide(long samples) {
        for (int k = 0; k < POW10.length; k++) {
            int fractionDigits = k;
            // Plain notation with ten significant digits: m in [10^9, 10^10), value below 10^7.
            long plainLast = Math.min(9_999_999_999L, 10_000_000L * POW10[k] - 1);
            if (plainLast >= 1_000_000_000L) {
                ends(1_000_000_000L, plainLast, m -> m / (double) POW10[fractionDigits]);
                sample(1_000_000_000L, plainLast + 1, samples / 9, m -> m / (double) POW10[fractionDigits]);
            }
            if (k > 0) {
                // Scientific notation with a fraction: value in [10^7, 10^10).
                long first = 10_000_000L * POW10[k];
                long last = 10_000_000_000L * POW10[k] - 1;
                ends(first, last, m -> m / (double) POW10[fractionDigits]);
                sample(first, last + 1, samples / 9, m -> m / (double) POW10[fractionDigits]);
                // Around every power of ten inside, where the exponent changes.
                for (long pow = 100_000_000L; pow < 10_000_000_000L; pow *= 10) {
                    long at = pow * POW10[k];
                    range(at - 5_000_000, at + 5_000_000, m -> m / (double) POW10[fractionDigits]);
                }
            }
            progress("wide k=" + k);
        }
    }

    /** The first and the last 10^7 values of [first, last]. */
    private void ends(long first, long last, LongToDoubleFunction valueOf) {
        range(first, Math.min(last, first + 9_999_999), valueOf);
        range(Math.max(first, last - 9_999_999), last, valueOf);
    }

    /** {@code n} seeded random values of [from, to). */
    private void sample(long from, long to, long n, LongToDoubleFunction valueOf) {
        LongStream.range(0, 64).parallel().forEach(chunk -> {
            SplittableRandom random = new SplittableRandom(from ^ chunk);
            AsciiBuffer buffer = new AsciiBuffer(32);
            long count = 0;
            for (long i = chunk; i < n; i += 64) {
                long m = random.nextLong(from, to);
                compare(buffer, valueOf.applyAsDouble(m), m);
                count++;
            }
            checked.addAndGet(count);
        });
    }

    /** Every value {@code valueOf(m)} for m in [first, last], in parallel chunks; NaN means skip. */
    private void range(long first, long last, LongToDoubleFunction valueOf) {
        LongStream.rangeClosed(first / 1_000_000, last / 1_000_000).parallel().forEach(chunk -> {
            AsciiBuffer buffer = new AsciiBuffer(32);
            long n = 0;
            for (long m = Math.max(first, chunk * 1_000_000); m <= Math.min(last, chunk * 1_000_000 + 999_999); m++) {
                double value = valueOf.applyAsDouble(m);
                if (!Double.isNaN(value)) {
                    compare(buffer, value, m);
                    n++;
                }
            }
            checked.addAndGet(n);
        });
    }

    private void compare(double value, String what) {
        compare(new AsciiBuffer(32), value, what);
        checked.incrementAndGet();
    }

    private void compare(AsciiBuffer buffer, double value, Object what) {
        buffer.truncate(0);
        if (!buffer.shortDecimal(value) || !buffer.toAsciiString().equals(Double.toString(value))) {
            if (mismatches.incrementAndGet() <= 20) {
                System.out.println("MISMATCH " + what + ": fast '" + buffer.toAsciiString() + "' JDK '"
                        + Double.toString(value) + "'");
            }
        }
    }

    private void progress(String step) {
        System.out.printf("%s done: %,d values checked so far, %,d mismatches, %d s%n", step, checked.get(),
                mismatches.get(), (System.nanoTime() - started) / 1_000_000_000L);
    }
}
