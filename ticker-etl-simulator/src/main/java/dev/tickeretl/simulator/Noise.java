package dev.tickeretl.simulator;

/**
 * Stateless, seedable hashing and smooth value noise. Every simulated number is a pure function of its inputs, so a
 * bar never depends on which other bars were computed before it (or on the query range that asked for it).
 */
final class Noise {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Noise() {
    }

    /** SplitMix64's finaliser: a cheap bijection that spreads every input bit over the output. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static long hash(long key, long a) {
        return mix(key ^ mix(a + GOLDEN));
    }

    static long hash(long key, long a, long b) {
        return hash(hash(key, a), b);
    }

    /** A uniform double in [0, 1). */
    static double unit(long hash) {
        return (hash >>> 11) * 0x1.0p-53;
    }

    /** A uniform double in [-1, 1). */
    static double signed(long hash) {
        return unit(hash) * 2.0 - 1.0;
    }

    /**
     * Value noise in [-1, 1]: random values at multiples of {@code period}, smoothly interpolated between them. Summing
     * a few periods gives a price level that wanders like a walk but can be evaluated at any point on its own.
     */
    static double smooth(long key, long octave, double period, double x) {
        double u = x / period;
        double floor = Math.floor(u);
        long knot = (long) floor;
        double f = u - floor;
        double a = signed(hash(key, octave, knot));
        double b = signed(hash(key, octave, knot + 1));
        double s = f * f * (3.0 - 2.0 * f);
        return a + (b - a) * s;
    }
}
