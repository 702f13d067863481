package dev.tickeretl;

import dev.tickeretl.spi.RawBar;
import dev.tickeretl.spi.Source;
import dev.tickeretl.spi.SourceEvent;
import dev.tickeretl.spi.SourceException;
import dev.tickeretl.spi.SourceOffset;
import dev.tickeretl.spi.SourceRequest;
import dev.tickeretl.spi.TickerRange;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An upstream in memory that answers a {@link SourceRequest} like a real API does: only bars inside each ticker's
 * range, per ticker, then END. Tests change its bars between runs and read what it was asked for.
 */
final class FakeUpstream {

    private final Map<String, TreeMap<LocalDate, RawBar>> bars = new HashMap<>();
    private final Map<String, String> failures = new HashMap<>();
    private final List<String> invalidRecords = new ArrayList<>();
    private String runFailure;
    private boolean duplicatePages;
    final List<SourceRequest> requests = new ArrayList<>();
    final List<SourceOffset> commits = new ArrayList<>();

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

    /** A bar for every trading day in [from, to], with volumes rising by 1 per day. */
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

    Source source() {
        return new Source() {
            private final Deque<SourceEvent> events = new ArrayDeque<>();

            @Override
            public void start(SourceRequest request) {
                requests.add(request);
                for (TickerRange range : request.ranges()) {
                    String reason = failures.get(range.ticker());
                    if (reason != null) {
                        events.add(new SourceEvent.TickerFailed(range.ticker(), reason));
                        continue;
                    }
                    List<RawBar> page = new ArrayList<>(bars.getOrDefault(range.ticker(), new TreeMap<>())
                            .subMap(range.from(), true, range.to(), true).values());
                    if (duplicatePages) {
                        List<RawBar> reversed = new ArrayList<>(page);
                        java.util.Collections.reverse(reversed);
                        events.add(new SourceEvent.Bars(reversed, offset(range)));
                    }
                    events.add(new SourceEvent.Bars(page, offset(range)));
                    if (invalidRecords.contains(range.ticker())) {
                        events.add(new SourceEvent.Invalid(range.ticker(), "result 3: field 'o' is missing"));
                    }
                    events.add(new SourceEvent.TickerDone(range.ticker()));
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
            public void commit(SourceOffset offset) {
                commits.add(offset);
            }

            @Override
            public void close() {
            }
        };
    }

    private static SourceOffset offset(TickerRange range) {
        return new SourceOffset(Map.of("ticker", range.ticker(), "through", range.to().toString()));
    }
}
