package dev.tickeretl.cli;

import dev.tickeretl.Store;
import dev.tickeretl.server.Chart;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "chart", mixinStandardHelpOptions = true,
        description = "Write one self-contained HTML file charting a ticker's stored daily bars: candlesticks coloured"
                + " by phase, volume and prior volume. Opens offline. Needs no API key.")
final class ChartCommand implements Callable<Integer> {

    @Option(names = "--ticker", required = true, paramLabel = "T", description = "Ticker symbol.")
    String ticker;

    @Option(names = "--from", required = true, paramLabel = "YYYY-MM-DD", converter = DateConverter.class)
    LocalDate from;

    @Option(names = "--to", required = true, paramLabel = "YYYY-MM-DD", converter = DateConverter.class)
    LocalDate to;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write, e.g. chart.html.")
    Path out;

    @Mixin
    StoreOptions store;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try (Store s = Store.open(store.uri(), store.options())) {
            Chart chart = Chart.of(s, ticker, from, to);
            if (chart.bars().isEmpty()) {
                spec.commandLine().getErr().println("ticker-etl: no " + ticker.trim() + " bars stored in " + s.uri()
                        + " between " + from + " and " + to + " (ingest them first); nothing written");
                return Main.EXIT_FAILED;
            }
            chart.writeHtml(out);
            spec.commandLine().getOut().println("wrote " + out + ": " + chart.bars().size() + " daily bars of "
                    + chart.bars().get(0).ticker() + ", " + from + ".." + to);
        }
        return Main.EXIT_OK;
    }
}
