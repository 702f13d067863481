package dev.tickeretl.bench;

import dev.tickeretl.Bar;
import dev.tickeretl.Phase;
import dev.tickeretl.TradingCalendar;
import dev.tickeretl.Timespan;
import dev.tickeretl.internal.DataStore;
import dev.tickeretl.internal.Providers;
import dev.tickeretl.spi.InvalidBarException;
import dev.tickeretl.spi.PhaseTagger;
import dev.tickeretl.spi.ProviderContext;
import dev.tickeretl.spi.RawBar;
import dev.tickeretl.spi.Storage;
import dev.tickeretl.spi.Transformer;
import dev.tickeretl.simulator.PolygonSimulator;
import dev.tickeretl.simulator.SimulatedBar;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark inputs: the simulator's deterministic daily bars (the same values the end-to-end bench serves over
 * HTTP), as the pipeline's raw input and as fully tagged contract bars.
 */
public final class BenchData {

    /** The last day of every benchmark range: a fixed past year, so numbers do not drift with today's date. */
    public static final LocalDate LAST_DAY = LocalDate.of(2024, 12, 31);

    private BenchData() {
    }

    /** The first trading day of the {@code years} calendar years ending {@link #LAST_DAY}. */
    public static LocalDate firstDay(int years) {
        return TradingCalendar.nyse().nextTradingDay(LocalDate.of(LAST_DAY.getYear() - years, 12, 31));
    }

    /**
     * Writes one ticker's daily bars into a new file store at {@code dir} as the pipeline would (the keyed merge of
     * {@link DataStore#write}, tagged): the fixture of the read benchmarks.
     */
    public static void writeFileStore(Path dir, String ticker, List<Bar> bars) {
        URI uri = dir.toUri();
        Storage files = Providers.store(uri).open(uri, ProviderContext.of(Map.of()), Storage.Access.READ_WRITE);
        try (DataStore store = new DataStore(files, TradingCalendar.nyse())) {
            store.write(ticker, Timespan.DAY, true, bars, Providers.phaseTagger("brief"));
        }
    }

    /** Raw daily bars per ticker for every trading day in [from, to], as a source would deliver them. */
    public static Map<String, List<RawBar>> rawDays(List<String> tickers, LocalDate from, LocalDate to) {
        List<LocalDate> days = TradingCalendar.nyse().tradingDays(from, to);
        Map<String, List<RawBar>> byTicker = new LinkedHashMap<>();
        try (PolygonSimulator simulator = PolygonSimulator.builder().start()) {
            for (String ticker : tickers) {
                List<RawBar> raw = new ArrayList<>(days.size());
                for (LocalDate day : days) {
                    simulator.dailyBar(ticker, day, true).ifPresent(b -> raw.add(toRaw(b)));
                }
                byTicker.put(ticker, raw);
            }
        }
        return byTicker;
    }

    /** One ticker's raw daily bars for every trading day in [from, to]. */
    public static List<RawBar> rawDays(String ticker, LocalDate from, LocalDate to) {
        return rawDays(List.of(ticker), from, to).get(ticker);
    }

    /** Converted and tagged bars, exactly as the pipeline stores them (the first one has no previous session). */
    public static List<Bar> taggedDays(String ticker, LocalDate from, LocalDate to) {
        Transformer transformer = Providers.transformer("market-time");
        PhaseTagger tagger = Providers.phaseTagger("brief");
        TradingCalendar calendar = TradingCalendar.nyse();
        List<Bar> out = new ArrayList<>();
        Bar previous = null;
        for (RawBar raw : rawDays(ticker, from, to)) {
            Bar bar;
            try {
                bar = transformer.transform(raw);
            } catch (InvalidBarException e) {
                throw new IllegalStateException("the simulator served an invalid bar: " + e.getMessage(), e);
            }
            Bar prior = previous != null && previous.tradingDate()
                    .equals(calendar.previousTradingDay(bar.tradingDate())) ? previous : null;
            Phase phase = tagger.phaseOf(bar, previousSession(prior));
            out.add(bar.withPhase(phase, prior == null ? null : prior.volume()));
            previous = bar;
        }
        return out;
    }

    /** What a one-session tagger sees of the sessions before a bar: the previous session's bar, or null. */
    public static PhaseTagger.PriorSessions previousSession(Bar previous) {
        return new PreviousSession(previous);
    }

    private record PreviousSession(Bar bar) implements PhaseTagger.PriorSessions {
        @Override
        public int size() {
            return 1;
        }

        @Override
        public Bar get(int n) {
            if (n != 1) {
                throw new IndexOutOfBoundsException("session " + n + " of 1..1");
            }
            return bar;
        }
    }

    /** The first {@code n} symbols of the simulator's default universe (5 defaults, then synthetic ones). */
    public static List<String> universe(int n) {
        List<String> all = PolygonSimulator.defaultUniverse();
        if (n > all.size()) {
            throw new IllegalArgumentException("tickers: the universe has " + all.size() + " symbols, asked for " + n);
        }
        return List.copyOf(all.subList(0, n));
    }

    static RawBar toRaw(SimulatedBar b) {
        return new RawBar(b.ticker(), Timespan.DAY, b.t(), b.open(), b.high(), b.low(), b.close(), b.volume(),
                b.vwap(), b.transactions(), true);
    }

    /** Removes a benchmark's scratch directory. */
    public static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + root, e);
        }
    }
}
