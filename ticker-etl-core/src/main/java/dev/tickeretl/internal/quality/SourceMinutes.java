package dev.tickeretl.internal.quality;

import dev.tickeretl.MarketTime;
import dev.tickeretl.SourceException;
import dev.tickeretl.Timespan;
import dev.tickeretl.TradingCalendar;
import dev.tickeretl.internal.Providers;
import dev.tickeretl.spi.Observer;
import dev.tickeretl.spi.OffsetReader;
import dev.tickeretl.spi.ProviderContext;
import dev.tickeretl.spi.RawBar;
import dev.tickeretl.spi.Source;
import dev.tickeretl.spi.SourceEvent;
import dev.tickeretl.spi.SourceRequest;
import dev.tickeretl.spi.TickerRange;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The regular-session minutes a source (Polygon's REST aggregates, the simulator) serves for some ticker ranges,
 * asked through the ordinary {@link Source} SPI as a bounded minute request: what a store's minutes are compared
 * with after the close.
 */
final class SourceMinutes {

    private SourceMinutes() {
    }

    /**
     * @return by ticker and date, the session minutes the source has a bar for
     * @throws SourceException when the source cannot serve a ticker (the comparison would be meaningless)
     */
    static Map<String, Map<LocalDate, BitSet>> fetch(String sourceName, Map<String, String> options, Clock clock,
                                                     boolean adjusted, List<TickerRange> ranges,
                                                     TradingCalendar calendar) throws InterruptedException {
        Map<String, Map<LocalDate, BitSet>> minutes = new HashMap<>();
        Map<LocalDate, SessionMinutes> sessions = new HashMap<>();
        if (ranges.isEmpty()) {
            return minutes;
        }
        try (Source source = Providers.source(sourceName).open(new ProviderContext(options, clock, Observer.NONE))) {
            source.start(SourceRequest.bounded(Timespan.MINUTE, adjusted, ranges), OffsetReader.EMPTY);
            while (true) {
                SourceEvent event = source.poll(Duration.ofSeconds(1));
                if (event instanceof SourceEvent.End) {
                    return minutes;
                }
                if (event instanceof SourceEvent.PartitionFailed failed) {
                    throw new SourceException("source " + sourceName + " could not serve the minutes of "
                            + failed.partition().ticker() + ": " + failed.reason());
                }
                if (event instanceof SourceEvent.Bars bars) {
                    for (RawBar b : bars.bars()) {
                        LocalDate date = MarketTime.tradingDate(b.startMs());
                        SessionMinutes session = sessions.computeIfAbsent(date, d -> SessionMinutes.of(d, calendar));
                        int i = session == null ? -1 : session.index(b.startMs());
                        if (i >= 0) {
                            minutes.computeIfAbsent(b.ticker(), t -> new HashMap<>())
                                    .computeIfAbsent(date, d -> new BitSet(session.minutes())).set(i);
                        }
                    }
                }
            }
        }
    }
}
