package dev.tickeretl;

import dev.tickeretl.spi.OffsetReader;
import dev.tickeretl.spi.RawBar;
import dev.tickeretl.spi.Source;
import dev.tickeretl.spi.SourceEvent;
import dev.tickeretl.spi.SourceOffset;
import dev.tickeretl.spi.SourcePartition;
import dev.tickeretl.spi.SourceRequest;
import dev.tickeretl.spi.TickerRange;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An upstream in memory that answers a {@link SourceRequest} like a real API does: per ticker range, the bars it
 * has inside the range (none before a listing, none on a missing day), then "covered" and "done", then END. Tests
 * change its bars between runs and read what it was asked for and what was committed.
 */
final class FakeUpstream {

    private final Map<String, TreeMap<LocalDate, RawBar>> bars = new HashMap<>();
    private final Map<String, String> failures = new HashMap<>();
    private final List<String> invalidRecords = new ArrayList<>();
    private String runFailure;
    private boolean duplicatePages;
    final List<SourceRequest> requests = new CopyOnWriteArrayList<>();
    final List<String> committed = new CopyOnWriteArrayList<>();

    FakeUpstream bar(String ticker, LocalDate date, double open, double close, double volume) {
        double high = Math.max(open, close) + 1;
        double low = Math.min(open, close) - 1;
        return raw(new RawBar(ticker, Timespan.DAY, MarketTime.startOfDayMs(date), open, high, low, close, volume,
                (open + close) / 2, 1000L, true));
    }

    FakeUpstream raw(RawBar raw) {
        bars.computeIfAbsent(raw.ticker(), k -> new TreeMap<>()).put(MarketTime.tradingDate(raw.startMs()), raw);
        return this;
    }

    /** A bar for every trading day in [from, to], with volumes rising by 10 per day. */
    FakeUpstream series(String ticker, LocalDate from, LocalDate to) {
        int i = 0;
        for (LocalDate d : TradingCalendar.nyse().tradingDays(from, to)) {
            bar(ticker, d, 100 + i, 100 + i + (i % 3 == 0 ? -1 : 1), 1_000_000 + i * 10);
            i++;
        }
        return this;
    }

    FakeUpstream remove(String ticker, LocalDate date) {
        bars.get(ticker).remove(date);
        return this;
    }

    RawBar get(String ticker, LocalDate date) {
        return bars.get(ticker).get(date);
    }

    FakeUpstream failTicker(String ticker, String reason) {
        failures.put(ticker, reason);
        return this;
    }

    FakeUpstream healTicker(String ticker) {
        failures.remove(ticker);
        return this;
    }

    FakeUpstream invalidRecord(String ticker) {
        invalidRecords.add(ticker);
        return this;
    }

    FakeUpstream failRun(String reason) {
        runFailure = reason;
        return this;
    }

    /** Deliver every ticker's bars twice and in reverse order, as overlapping pages might. */
    FakeUpstream duplicatePages() {
        duplicatePages = true;
        return this;
    }

    /** Data requests made so far: one per ticker range asked for. */
    int dataRequests() {
        return requests.stream().mapToInt(r -> r.ranges().size()).sum();
    }

    Source source() {
        return new Source() {
            private final Deque<SourceEvent> events = new ArrayDeque<>();

            @Override
            public void start(SourceRequest request, OffsetReader offsets) {
                requests.add(request);
                for (TickerRange range : request.ranges()) {
                    SourcePartition partition = request.partition(range.ticker());
                    String reason = failures.get(range.ticker());
                    if (reason != null) {
                        events.add(new SourceEvent.PartitionFailed(partition, reason));
                        continue;
                    }
                    List<RawBar> page = new ArrayList<>();
                    for (RawBar b : bars.getOrDefault(range.ticker(), new TreeMap<>())
                            .subMap(range.from(), true, range.to(), true).values()) {
                        page.add(request.adjusted() ? b : unadjusted(b));
                    }
                    SourceOffset offset = new SourceOffset(Map.of("through", range.to().toString()));
                    if (duplicatePages) {
                        List<RawBar> reversed = new ArrayList<>(page);
                        Collections.reverse(reversed);
                        events.add(new SourceEvent.Bars(partition, reversed, offset));
                    }
                    events.add(new SourceEvent.Bars(partition, page, offset));
                    if (invalidRecords.contains(range.ticker())) {
                        events.add(new SourceEvent.Invalid(range.ticker(), "result 3: field 'o' is missing"));
                    }
                    events.add(new SourceEvent.Covered(partition, range.from(), range.to()));
                    events.add(new SourceEvent.PartitionDone(partition));
                }
                events.add(SourceEvent.END);
            }

            @Override
            public SourceEvent poll(Duration timeout) {
                if (runFailure != null) {
                    throw new SourceException(runFailure);
                }
                return events.poll();
            }

            @Override
            public void committed(SourcePartition partition, SourceOffset offset) {
                committed.add(partition.ticker());
            }

            @Override
            public void close() {
            }
        };
    }

    /** The unadjusted form of an adjusted bar: every bar is before a 4:1 split. */
    private static RawBar unadjusted(RawBar b) {
        return new RawBar(b.ticker(), b.timespan(), b.startMs(), b.open() * 4, b.high() * 4, b.low() * 4,
                b.close() * 4, b.volume() / 4, b.vwap() == null ? null : b.vwap() * 4, b.transactions(), false);
    }
}
