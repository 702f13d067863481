package dev.tickeretl.simulator;

import java.time.Duration;
import java.time.Instant;

/**
 * Simulated market time: starts at a chosen instant and runs {@code speed} times as fast as real time (a trading
 * day replayed at 60x takes 6.5 minutes), plus whatever a test {@link #advance advanced} it by. Speed 0 stands still
 * until advanced. Monotonic: real time is measured with {@link System#nanoTime()}.
 */
final class MarketClock {

    private final long startMs;
    private final double speed;
    private final long anchorNanos;
    private volatile long advancedMs;

    MarketClock(Instant start, double speed) {
        if (!(speed >= 0.0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("speed: must be 0 (stopped) or a positive factor of real time, got "
                    + speed);
        }
        this.startMs = start.toEpochMilli();
        this.speed = speed;
        this.anchorNanos = System.nanoTime();
    }

    /** The wall clock itself. */
    static MarketClock realTime() {
        return new MarketClock(Instant.now(), 1.0);
    }

    long nowMs() {
        return startMs + advancedMs + (long) ((System.nanoTime() - anchorNanos) / 1_000_000.0 * speed);
    }

    Instant now() {
        return Instant.ofEpochMilli(nowMs());
    }

    long startMs() {
        return startMs;
    }

    double speed() {
        return speed;
    }

    /** Real nanoseconds until market time reaches {@code marketMs}: 0 when it has, {@link Long#MAX_VALUE} if stopped. */
    long realNanosUntil(long marketMs) {
        long ahead = marketMs - nowMs();
        if (ahead <= 0) {
            return 0L;
        }
        if (speed == 0.0) {
            return Long.MAX_VALUE;
        }
        double nanos = ahead * 1_000_000.0 / speed;
        return nanos >= Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(1L, (long) Math.ceil(nanos));
    }

    void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("advance: market time only moves forward, got " + by);
        }
        synchronized (this) {
            advancedMs += by.toMillis();
        }
    }

    @Override
    public String toString() {
        return "MarketClock[start=" + Instant.ofEpochMilli(startMs) + ", speed=" + speed + "x]";
    }
}
