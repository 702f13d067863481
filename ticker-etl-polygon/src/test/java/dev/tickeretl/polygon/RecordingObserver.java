package dev.tickeretl.polygon;

import dev.tickeretl.spi.Observer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Our own observer SPI, keeping every call in order so a test can read back what the source reported. */
final class RecordingObserver implements Observer {

    enum Kind { COUNT, GAUGE, TIME, RECORD }

    /** One call; {@code value} is the amount, the gauge value, or the duration in nanoseconds. */
    record Call(Kind kind, String name, double value, List<String> tags) {
        boolean matches(Kind kind, String name, String... tags) {
            return this.kind == kind && this.name.equals(name) && this.tags.equals(List.of(tags));
        }
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();

    @Override
    public void count(String name, long amount, String... tags) {
        calls.add(new Call(Kind.COUNT, name, amount, List.of(tags)));
    }

    @Override
    public void gauge(String name, double value, String... tags) {
        calls.add(new Call(Kind.GAUGE, name, value, List.of(tags)));
    }

    @Override
    public void time(String name, Duration duration, String... tags) {
        calls.add(new Call(Kind.TIME, name, duration.toNanos(), List.of(tags)));
    }

    @Override
    public void record(String name, double amount, String... tags) {
        calls.add(new Call(Kind.RECORD, name, amount, List.of(tags)));
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The counter's total for exactly these tags. */
    long total(String name, String... tags) {
        return (long) calls.stream().filter(c -> c.matches(Kind.COUNT, name, tags)).mapToDouble(Call::value).sum();
    }

    /** Every call of {@code name} with any tags. */
    List<Call> of(String name) {
        return calls.stream().filter(c -> c.name().equals(name)).toList();
    }

    /** The durations recorded for exactly these tags, in order. */
    List<Duration> times(String name, String... tags) {
        return calls.stream().filter(c -> c.matches(Kind.TIME, name, tags))
                .map(c -> Duration.ofNanos((long) c.value())).toList();
    }

    /** The values the gauge was set to for exactly these tags, in order. */
    List<Double> gauges(String name, String... tags) {
        return calls.stream().filter(c -> c.matches(Kind.GAUGE, name, tags)).map(Call::value).toList();
    }
}
