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

    private static final String[] SECONDS = {"_seconds_count", "_seconds_sum", "_seconds_max"};
    private static final String[] PLAIN = {"_count", "_sum", "_max"};

    private final Observer next;
    private final Map<String, DoubleAdder> sums = new ConcurrentHashMap<>();
    private final Map<String, Double> values = new ConcurrentHashMap<>();
    /** Gauges with a ticker tag: key without the ticker, then the current value per ticker. */
    private final Map<String, Map<String, Double>> perTicker = new ConcurrentHashMap<>();
    /**
     * Summary keys of measurements whose only tag is the ticker (or none), by name and suffix: a stream reports
     * several per ticker and burst, and building and hashing a new key string each time was a fifth of its loop.
     */
    private final Map<String, Map<String, String>> plainKeys = new ConcurrentHashMap<>();

    RunMetrics(Observer next) {
        this.next = next;
    }

    @Override
    public void count(String name, long amount, String... tags) {
        next.count(name, amount, tags);
        add(key(name, "_total", tags), amount);
    }

    @Override
    public void gauge(String name, double value, String... tags) {
        next.gauge(name, value, tags);
        String ticker = tickerOf(tags);
        if (ticker == null) {
            values.put(key(name, "", tags), value);
        } else {
            perTicker.computeIfAbsent(key(name, "", tags), k -> new ConcurrentHashMap<>()).put(ticker, value);
        }
    }

    @Override
    public void time(String name, Duration duration, String... tags) {
        next.time(name, duration, tags);
        summarise(name, SECONDS, duration.toNanos() / 1e9, tags);
    }

    @Override
    public void record(String name, double amount, String... tags) {
        next.record(name, amount, tags);
        summarise(name, PLAIN, amount, tags);
    }

    /** @param suffixes count, sum and max: constants, so their hashes are computed once */
    private void summarise(String name, String[] suffixes, double amount, String... tags) {
        add(key(name, suffixes[0], tags), 1);
        add(key(name, suffixes[1], tags), amount);
        values.merge(key(name, suffixes[2], tags), amount, Math::max);
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

    /** {@code name+suffix{k="v",..}} without the ticker tag. */
    private String key(String name, String suffix, String... tags) {
        if (tags.length == 0 || tags.length == 2 && Metrics.TICKER.equals(tags[0])) {
            return plainKeys.computeIfAbsent(name, n -> new ConcurrentHashMap<>())
                    .computeIfAbsent(suffix, x -> name + x);
        }
        return key(name + suffix, tags);
    }

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
