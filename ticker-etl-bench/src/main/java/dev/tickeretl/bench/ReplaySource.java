package dev.tickeretl.bench;

import dev.tickeretl.MarketTime;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A bounded source that answers from memory, as a REST backfill would: for each requested range, the ticker's bars
 * within it as one event (one page) and the range as covered; then the partition done; then END. Takes HTTP out of
 * a pipeline run, so what is left is convert, tag, merge, write and commit.
 */
public final class ReplaySource implements Source {

    private final Map<String, List<RawBar>> barsByTicker;
    private final ArrayDeque<SourceEvent> events = new ArrayDeque<>();

    public ReplaySource(Map<String, List<RawBar>> barsByTicker) {
        this.barsByTicker = Objects.requireNonNull(barsByTicker, "barsByTicker");
    }

    @Override
    public void start(SourceRequest request, OffsetReader offsets) {
        if (request.unbounded()) {
            throw new IllegalArgumentException("source: a replay answers date ranges; it cannot follow a live feed");
        }
        Map<String, List<TickerRange>> rangesByTicker = new LinkedHashMap<>();
        for (TickerRange range : request.ranges()) {
            rangesByTicker.computeIfAbsent(range.ticker(), t -> new ArrayList<>()).add(range);
        }
        rangesByTicker.forEach((ticker, ranges) -> {
            SourcePartition partition = request.partition(ticker);
            for (TickerRange range : ranges) {
                List<RawBar> page = new ArrayList<>();
                for (RawBar b : barsByTicker.getOrDefault(ticker, List.of())) {
                    LocalDate date = MarketTime.tradingDate(b.startMs());
                    if (!date.isBefore(range.from()) && !date.isAfter(range.to())
                            && b.timespan() == request.timespan() && b.adjusted() == request.adjusted()) {
                        page.add(b);
                    }
                }
                if (!page.isEmpty()) {
                    events.add(new SourceEvent.Bars(partition, page,
                            new SourceOffset(Map.of("through", range.to().toString()))));
                }
                // Everything there is for the range was just given: the days without a bar have none.
                events.add(new SourceEvent.Covered(partition, range.from(), range.to()));
            }
            events.add(new SourceEvent.PartitionDone(partition));
        });
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
