package dev.tickeretl.storage.fs;

import dev.tickeretl.Bar;
import dev.tickeretl.Timespan;
import dev.tickeretl.TradingCalendar;
import dev.tickeretl.internal.BriefPhaseTagger;
import dev.tickeretl.internal.DataStore;
import dev.tickeretl.spi.ProviderContext;
import dev.tickeretl.spi.Storage;
import dev.tickeretl.testkit.TestBars;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One ingest's writes in its own JVM, shaped like the pipeline's: {@value #WRITER_THREADS} writer threads, each
 * storing one ticker's bars at a time (two yearly partitions per ticker). Writer {@code i} of {@code n} stores the
 * days of {@link #range}, which overlap its neighbours', in its own shuffled ticker order, so that processes meet
 * on the same partitions in different orders.
 *
 * <pre>
 * java -cp TEST_CLASSPATH dev.tickeretl.storage.fs.IngestWriterProcess ROOT INDEX COUNT
 *     prints "ready", waits for a line on stdin, writes, prints "done" and exits 0; any failure exits 1
 * </pre>
 */
public final class IngestWriterProcess {

    static final int WRITER_THREADS = 4;
    static final List<String> TICKERS = tickers(20);
    /** The first day any writer stores; every range crosses a year end, so each ticker has two partitions. */
    private static final LocalDate FIRST = LocalDate.of(2024, 11, 1);
    private static final int DAYS_PER_WRITER = 90;
    private static final int SHIFT_PER_WRITER = 7;

    private IngestWriterProcess() {
    }

    public static void main(String[] args) throws Exception {
        DataStore store = open(Path.of(args[0]));
        int index = Integer.parseInt(args[1]);
        System.out.println("ready");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        ingest(store, index);
        System.out.println("done");
        System.out.flush();
        // Exit 1 comes from the uncaught exception a failed write ends in.
    }

    /** Stores writer {@code index}'s bars of every ticker on {@value #WRITER_THREADS} threads; throws on failure. */
    static void ingest(DataStore store, int index) throws Exception {
        List<String> order = new ArrayList<>(TICKERS);
        Collections.shuffle(order, new Random(index));
        LocalDate[] range = range(index);
        ExecutorService writers = Executors.newFixedThreadPool(WRITER_THREADS);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (String ticker : order) {
                writes.add(writers.submit(() -> write(store, TestBars.weekdays(ticker, range[0], range[1]))));
            }
            for (Future<?> write : writes) {
                write.get();
            }
        } finally {
            writers.shutdownNow();
        }
    }

    /** The file store at {@code root}, for writing, as the pipeline opens it. */
    static DataStore open(Path root) {
        return new DataStore(new FileStoreProvider().open(root.toUri(), ProviderContext.of(Map.of()),
                Storage.Access.READ_WRITE), TradingCalendar.nyse());
    }

    /** One ticker's day bars, untagged as a source delivers them, with the brief's tagger: the pipeline's write. */
    static void write(DataStore store, List<Bar> bars) {
        store.write(bars.get(0).ticker(), Timespan.DAY, true, TestBars.untagged(bars), new BriefPhaseTagger());
    }

    /** The days writer {@code index} stores: {@value #DAYS_PER_WRITER} days, shifted a week per writer. */
    static LocalDate[] range(int index) {
        LocalDate from = FIRST.plusDays((long) index * SHIFT_PER_WRITER);
        return new LocalDate[] {from, from.plusDays(DAYS_PER_WRITER - 1)};
    }

    /** What {@code writers} ingests together store: the bars of the union of their ranges. */
    static List<Bar> union(int writers) {
        List<Bar> bars = new ArrayList<>();
        for (String ticker : TICKERS) {
            bars.addAll(TestBars.weekdays(ticker, range(0)[0], range(writers - 1)[1]));
        }
        return bars;
    }

    private static List<String> tickers(int count) {
        List<String> tickers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tickers.add("T" + (char) ('A' + i));
        }
        return List.copyOf(tickers);
    }
}
