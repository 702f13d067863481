package dev.tickeretl.cli;

import dev.tickeretl.MarketTime;
import dev.tickeretl.metrics.Readiness;
import dev.tickeretl.spi.Metrics;
import dev.tickeretl.spi.Observer;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The stream's status line, from the measurements the source and the pipeline report: connected or not, tickers,
 * the last minute the feed delivered, how long ago, reconnects, repaired minutes, and how far the watermark lags.
 */
final class StreamStatus implements Observer {

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final Observer next;
    private final int tickers;
    private volatile boolean connected;
    private volatile double streamTimeSeconds = Double.NaN;
    private volatile double watermarkLagSeconds = Double.NaN;
    private volatile long lastBarNanos;
    private volatile long receiveToDurableMillis = -1;
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong repaired = new AtomicLong();
    private final AtomicLong bars = new AtomicLong();

    StreamStatus(Observer next, int tickers) {
        this.next = next;
        this.tickers = tickers;
    }

    @Override
    public void count(String name, long amount, String... tags) {
        next.count(name, amount, tags);
        switch (name) {
            case Metrics.STREAM_RECONNECTS -> reconnects.addAndGet(amount);
            case Metrics.REPAIRED_MINUTES -> repaired.addAndGet(amount);
            case Metrics.STREAM_BARS_RECEIVED -> {
                bars.addAndGet(amount);
                lastBarNanos = System.nanoTime();
            }
            default -> {
            }
        }
    }

    @Override
    public void gauge(String name, double value, String... tags) {
        next.gauge(name, value, tags);
        switch (name) {
            case Metrics.STREAM_CONNECTED -> connected = value > 0;
            case Metrics.STREAM_TIME -> streamTimeSeconds = value;
            case Metrics.WATERMARK_LAG -> watermarkLagSeconds = value;
            default -> {
            }
        }
    }

    @Override
    public void time(String name, Duration duration, String... tags) {
        next.time(name, duration, tags);
        if (name.equals(Metrics.RECEIVE_TO_DURABLE)) {
            receiveToDurableMillis = duration.toMillis();
        }
    }

    @Override
    public void record(String name, double amount, String... tags) {
        next.record(name, amount, tags);
    }

    /** For {@code /ready}: connected, and a bar arrived within {@code within}. */
    Readiness readiness(Duration within) {
        if (!connected) {
            return Readiness.notReady("the stream is not connected");
        }
        long last = lastBarNanos;
        if (last == 0) {
            return Readiness.notReady("connected, but no bar has arrived yet");
        }
        long ago = System.nanoTime() - last;
        if (ago > within.toNanos()) {
            return Readiness.notReady(String.format(java.util.Locale.ROOT,
                    "the last bar arrived %.0f s ago (more than %d s): a quiet feed or a closed market", ago / 1e9,
                    within.toSeconds()));
        }
        return Readiness.READY;
    }

    /** One line: what an operator glances at. */
    String line() {
        StringBuilder b = new StringBuilder("stream: ").append(connected ? "connected" : "DISCONNECTED")
                .append(" | ").append(tickers).append(" tickers");
        if (!Double.isNaN(streamTimeSeconds)) {
            Instant last = Instant.ofEpochMilli((long) (streamTimeSeconds * 1000));
            b.append(" | last minute ").append(MINUTE.format(last.atZone(MarketTime.ZONE))).append(" ET");
        }
        if (lastBarNanos != 0) {
            b.append(String.format(" (%.1f s ago)", (System.nanoTime() - lastBarNanos) / 1e9));
        }
        b.append(" | ").append(bars.get()).append(" bars");
        if (receiveToDurableMillis >= 0) {
            b.append(" | durable after ").append(receiveToDurableMillis).append(" ms");
        }
        b.append(" | reconnects ").append(reconnects.get()).append(" | repaired ").append(repaired.get())
                .append(" minutes");
        if (!Double.isNaN(watermarkLagSeconds)) {
            b.append(String.format(" | complete through %.0f min behind", watermarkLagSeconds / 60));
        }
        return b.toString();
    }

    void print(PrintWriter err) {
        err.println(line());
        err.flush();
    }
}
