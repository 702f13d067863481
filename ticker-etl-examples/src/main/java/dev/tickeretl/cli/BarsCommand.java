package dev.tickeretl.cli;

import dev.tickeretl.Bar;
import dev.tickeretl.Store;
import dev.tickeretl.Timespan;
import dev.tickeretl.TradingCalendar;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bars", mixinStandardHelpOptions = true,
        description = "Print stored bars of one ticker. Needs no API key.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed (possibly no rows: nothing stored for those days)",
                "1:the store could not be read", "2:usage error (the message names the option)"},
        footerHeading = "%nExamples:%n",
        footer = {"  ticker-etl bars --ticker AAPL --from 2025-01-02 --to 2025-01-31",
                "  ticker-etl bars --ticker BRK.A --from 2025-01-02 --to 2025-01-02 \\",
                "      --format jsonl                  # the stored data-contract lines",
                "  ticker-etl bars --ticker AAPL --from 2025-01-02 --to 2025-01-31 \\",
                "      --store s3://bucket/prices",
                ""})
final class BarsCommand implements Callable<Integer> {

    enum Format { table, jsonl }

    @Option(names = "--ticker", required = true, paramLabel = "T", description = "Ticker symbol, e.g. AAPL or BRK.A.")
    String ticker;

    @Option(names = "--from", required = true, paramLabel = "YYYY-MM-DD", converter = DateConverter.class,
            description = "First trading date to show, inclusive (New York date).")
    LocalDate from;

    @Option(names = "--to", required = true, paramLabel = "YYYY-MM-DD", converter = DateConverter.class,
            description = "Last trading date to show, inclusive (New York date).")
    LocalDate to;

    @Option(names = "--timespan", defaultValue = "day", paramLabel = "day|minute",
            description = "day (default) or minute bars.")
    String timespan;

    @Option(names = "--adjusted", paramLabel = "true|false", arity = "1",
            description = "Which dataset: split-adjusted or not (default: true for day bars, false for minute bars,"
                    + " which the live feed stores unadjusted).")
    Boolean adjusted;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|jsonl",
            description = "table (default) or jsonl: exactly the data-contract records, one per line.")
    Format format;

    @Mixin
    StoreOptions store;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        String symbol = ticker.trim().toUpperCase(Locale.ROOT); // Store.bars checks the symbol
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("from: " + from + " is after to: " + to);
        }
        TradingDateRange.check(from, to, TradingCalendar.nyse());
        PrintWriter out = spec.commandLine().getOut();
        try (Store s = Store.open(store.uri(), store.options())) {
            Timespan span = Timespan.fromWireName(timespan.trim().toLowerCase(Locale.ROOT));
            var bars = s.bars(symbol, span, adjusted != null ? adjusted : span == Timespan.DAY, from, to);
            if (format == Format.jsonl) {
                for (Bar b : bars) {
                    out.print(b.toJson());
                    out.print('\n');
                }
            } else if (span == Timespan.MINUTE) {
                out.printf("%-25s %-8s %12s %12s %12s %12s %16s%n", "START_ET", "TICKER", "OPEN", "HIGH", "LOW",
                        "CLOSE", "VOLUME");
                for (Bar b : bars) {
                    out.printf(Locale.ROOT, "%-25s %-8s %12.4f %12.4f %12.4f %12.4f %16.0f%n", b.startEt(),
                            b.ticker(), b.open(), b.high(), b.low(), b.close(), b.volume());
                }
            } else {
                out.printf("%-10s %-8s %12s %12s %12s %12s %16s %16s %-7s%n", "DATE", "TICKER", "OPEN", "HIGH", "LOW",
                        "CLOSE", "VOLUME", "PRIOR_VOLUME", "PHASE");
                for (Bar b : bars) {
                    out.printf(Locale.ROOT, "%-10s %-8s %12.4f %12.4f %12.4f %12.4f %16.0f %16s %-7s%n",
                            b.tradingDate(), b.ticker(), b.open(), b.high(), b.low(), b.close(), b.volume(),
                            b.priorVolume() == null ? "-" : String.format(Locale.ROOT, "%.0f", b.priorVolume()),
                            b.phase() == null ? "-" : b.phase().label());
                }
            }
            out.flush();
        }
        return Main.EXIT_OK;
    }
}
