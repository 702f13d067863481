package dev.tickeretl.internal;

import dev.tickeretl.spi.Metrics;
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
 *
 * <p>The summary leaves out the {@code ticker} tag: the record has per-ticker counts of its own, and a run over
 * thousands of tickers must not carry thousands of series. Counters and timings add up over tickers; a gauge per
 * ticker (freshness, watermark lag) shows its largest current value, the worst ticker.
 */
final class RunMetrics implements Observer {

    private final Observer next;
    private final Map<String, DoubleAdder> sums = new ConcurrentHashMap<>();
    private final Map<String, Double> values = new ConcurrentHashMap<>();
    /** Gauges with a ticker tag: key without the ticker, then the current value per ticker. */
    private final Map<String, Map<String, Double>> perTicker = new ConcurrentHashMap<>();

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
        String ticker = tickerOf(tags);
        if (ticker == null) {
            values.put(key(name, tags), value);
        } else {
            perTicker.computeIfAbsent(key(name, tags), k -> new ConcurrentHashMap<>()).put(ticker, value);
        }
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
        perTicker.forEach((k, byTicker) -> byTicker.values().stream().mapToDouble(Double::doubleValue).max()
                .ifPresent(max -> out.put(k, max)));
        return out;
    }

    private static String tickerOf(String... tags) {
        for (int i = 0; i + 1 < tags.length; i += 2) {
            if (Metrics.TICKER.equals(tags[i])) {
                return tags[i + 1];
            }
        }
        return null;
    }

    /** {@code name{k="v",..}} without the ticker tag. */
    private static String key(String name, String... tags) {
        StringBuilder b = null;
        for (int i = 0; i + 1 < tags.length; i += 2) {
            if (Metrics.TICKER.equals(tags[i])) {
                continue;
            }
            b = b == null ? new StringBuilder(name).append('{') : b.append(',');
            b.append(tags[i]).append("=\"").append(tags[i + 1]).append('"');
        }
        return b == null ? name : b.append('}').toString();
    }
}
