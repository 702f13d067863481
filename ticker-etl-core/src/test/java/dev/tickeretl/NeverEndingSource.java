package dev.tickeretl;

import dev.tickeretl.spi.OffsetReader;
import dev.tickeretl.spi.RawBar;
import dev.tickeretl.spi.Source;
import dev.tickeretl.spi.SourceEvent;
import dev.tickeretl.spi.SourceOffset;
import dev.tickeretl.spi.SourcePartition;
import dev.tickeretl.spi.SourceRequest;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A live feed that never ends: every poll gives the next minute's bar of the next ticker, round robin, with event
 * time running from a start minute. Its offset is the last minute delivered. It can be paused, and it records what
 * the framework committed.
 */
class NeverEndingSource implements Source {

    private static final long MINUTE = 60_000;

    private final long firstMinute;
    private final Map<String, Long> nextMinute = new ConcurrentHashMap<>();
    private final Map<String, Long> lastDelivered = new ConcurrentHashMap<>();
    private final long sleepBetweenPollsMs;
    private volatile boolean paused;
    private volatile List<String> tickers;
    private int cursor;
    final AtomicLong delivered = new AtomicLong();
    final List<String> commits = new CopyOnWriteArrayList<>();
    final Map<String, Long> committedMinute = new ConcurrentHashMap<>();
    volatile Map<SourcePartition, SourceOffset> startOffsets = Map.of();

    NeverEndingSource(LocalDateTime firstMinuteEt, long sleepBetweenPollsMs) {
        this.firstMinute = firstMinuteEt.atZone(MarketTime.ZONE).toInstant().toEpochMilli();
        this.sleepBetweenPollsMs = sleepBetweenPollsMs;
    }

    /** Delivers nothing more once this returns (poll runs on the pipeline's one thread). */
    void pause() throws InterruptedException {
        paused = true;
        Thread.sleep(50); // a poll already past its check finishes first
    }

    void resume() {
        paused = false;
    }

    /** The last minute start delivered for {@code ticker}, or null. */
    Long lastDelivered(String ticker) {
        return lastDelivered.get(ticker);
    }

    @Override
    public void start(SourceRequest request, OffsetReader offsets) {
        if (!request.unbounded()) {
            throw new IllegalArgumentException("a live feed");
        }
        tickers = request.tickers();
        Map<SourcePartition, SourceOffset> seen = new ConcurrentHashMap<>();
        for (String t : tickers) {
            SourcePartition p = request.partition(t);
            offsets.offset(p).ifPresent(o -> {
                seen.put(p, o);
                nextMinute.put(t, Long.parseLong(o.get("last_minute")) + MINUTE);
            });
        }
        startOffsets = seen;
    }

    @Override
    public SourceEvent poll(Duration timeout) throws InterruptedException {
        if (paused) {
            Thread.sleep(Math.min(timeout.toMillis(), 20));
            return null;
        }
        if (sleepBetweenPollsMs > 0) {
            Thread.sleep(sleepBetweenPollsMs);
            if (paused) {
                return null;
            }
        }
        String ticker = tickers.get(cursor++ % tickers.size());
        long minute = nextMinute.getOrDefault(ticker, firstMinute);
        nextMinute.put(ticker, minute + MINUTE);
        double price = 100 + (minute / MINUTE % 50);
        RawBar bar = new RawBar(ticker, Timespan.MINUTE, minute, price, price + 1, price - 1, price + 0.5,
                1000 + minute / MINUTE % 7, price, 10L, false);
        lastDelivered.put(ticker, minute);
        delivered.incrementAndGet();
        return new SourceEvent.Bars(new SourcePartition(ticker, Timespan.MINUTE, false), List.of(bar),
                new SourceOffset(Map.of("last_minute", Long.toString(minute))));
    }

    @Override
    public void committed(SourcePartition partition, SourceOffset offset) {
        commits.add(partition.ticker());
        committedMinute.put(partition.ticker(), Long.parseLong(offset.get("last_minute")));
    }

    @Override
    public void close() {
    }
}
