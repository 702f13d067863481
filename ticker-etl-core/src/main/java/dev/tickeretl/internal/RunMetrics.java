package dev.tickeretl.internal;

import dev.tickeretl.spi.Observer;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * Passes every measurement on to the run's observer and keeps a summary of its own for the run record: counter
 * totals, last gauge values, and count / sum / max of timings (in seconds) and distributions. So a batch run that
 * no Prometheus scrapes still leaves its latencies and rates behind.
 */
final class RunMetrics implements Observer {

    private final Observer next;
    private final Map<String, DoubleAdder> sums = new ConcurrentHashMap<>();
    private final Map<String, Double> values = new ConcurrentHashMap<>();

    RunMetrics(Observer next) {
        this.next = next;
    }

    @Override
    public void count(String name, long amount, String... tags) {
        next.count(name, amount, tags);
        add(key(name + "_total", tags), amount);
    }

    @Override
    public void gauge(String name, double value, String... tags) {
        next.gauge(name, value, tags);
        values.put(key(name, tags), value);
    }

    @Override
    public void time(String name, Duration duration, String... tags) {
        next.time(name, duration, tags);
        summarise(name + "_seconds", duration.toNanos() / 1e9, tags);
    }

    @Override
    public void record(String name, double amount, String... tags) {
        next.record(name, amount, tags);
        summarise(name, amount, tags);
    }

    private void summarise(String name, double amount, String... tags) {
        add(key(name + "_count", tags), 1);
        add(key(name + "_sum", tags), amount);
        values.merge(key(name + "_max", tags), amount, Math::max);
    }

    private void add(String key, double amount) {
        sums.computeIfAbsent(key, k -> new DoubleAdder()).add(amount);
    }

    /** Everything so far, by Prometheus-style name ({@code name{tag="value"}}). */
    Map<String, Double> snapshot() {
        Map<String, Double> out = new TreeMap<>(values);
        sums.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    private static String key(String name, String... tags) {
        if (tags.length == 0) {
            return name;
        }
        StringBuilder b = new StringBuilder(name).append('{');
        for (int i = 0; i + 1 < tags.length; i += 2) {
            if (i > 0) {
                b.append(',');
            }
            b.append(tags[i]).append("=\"").append(tags[i + 1]).append('"');
        }
        return b.append('}').toString();
    }
}
