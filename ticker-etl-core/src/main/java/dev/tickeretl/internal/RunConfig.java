package dev.tickeretl.internal;

import dev.tickeretl.RunListener;
import dev.tickeretl.TradingCalendar;
import dev.tickeretl.spi.BarStore;
import dev.tickeretl.spi.PhaseTagger;
import dev.tickeretl.spi.Source;
import dev.tickeretl.spi.Transformer;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Supplier;

/** The validated settings of one batch run, as {@link dev.tickeretl.TickerEtl.Builder} made them. */
public record RunConfig(
        List<String> tickers,
        LocalDate from,
        LocalDate to,
        boolean adjusted,
        boolean incremental,
        String sourceName,
        Supplier<Source> source,
        String storeName,
        Supplier<BarStore> store,
        Transformer transformer,
        PhaseTagger phaseTagger,
        TradingCalendar calendar,
        RunListener listener,
        Clock clock) {

    public RunConfig {
        tickers = List.copyOf(tickers);
    }
}
