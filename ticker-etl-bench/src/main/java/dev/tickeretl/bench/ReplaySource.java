package dev.tickeretl.bench;

import dev.tickeretl.MarketTime;
import dev.tickeretl.spi.RawBar;
import dev.tickeretl.spi.Source;
import dev.tickeretl.spi.SourceEvent;
import dev.tickeretl.spi.SourceOffset;
import dev.tickeretl.spi.SourceRequest;
import dev.tickeretl.spi.TickerRange;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A source that answers from memory: each requested ticker's bars within its range as one event (one page), then
 * its TickerDone, then END. Takes HTTP out of a pipeline run, so what is left is convert, tag, merge and write.
 */
public final class ReplaySource implements Source {

    private final Map<String, List<RawBar>> barsByTicker;
    private final ArrayDeque<SourceEvent> events = new ArrayDeque<>();

    public ReplaySource(Map<String, List<RawBar>> barsByTicker) {
        this.barsByTicker = Objects.requireNonNull(barsByTicker, "barsByTicker");
    }

    @Override
    public void start(SourceRequest request) {
        for (TickerRange range : request.ranges()) {
            List<RawBar> page = new ArrayList<>();
            for (RawBar b : barsByTicker.getOrDefault(range.ticker(), List.of())) {
                LocalDate date = MarketTime.tradingDate(b.startMs());
                if (!date.isBefore(range.from()) && !date.isAfter(range.to())) {
                    page.add(b);
                }
            }
            if (!page.isEmpty()) {
                events.add(new SourceEvent.Bars(page, new SourceOffset(Map.of("ticker", range.ticker(),
                        "through", range.to().toString()))));
            }
            events.add(new SourceEvent.TickerDone(range.ticker()));
        }
        events.add(SourceEvent.END);
    }

    @Override
    public SourceEvent poll(Duration timeout) {
        return events.poll();
    }

    @Override
    public void close() {
        events.clear();
    }
}
