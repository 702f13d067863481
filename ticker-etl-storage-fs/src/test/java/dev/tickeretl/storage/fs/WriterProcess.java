package dev.tickeretl.storage.fs;

import dev.tickeretl.Bar;
import dev.tickeretl.spi.BarStore;
import dev.tickeretl.spi.WriteResult;
import dev.tickeretl.testkit.TestBars;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * A second writer in its own JVM, for the tests that need one, and the write jobs it shares with them.
 *
 * <pre>
 * java -cp TEST_CLASSPATH dev.tickeretl.storage.fs.WriterProcess interleave ROOT PARITY COUNT
 *     prints "ready", waits for a line on stdin, runs {@link #interleave}, prints "done FIRST_MS LAST_MS INSERTED"
 * java -cp TEST_CLASSPATH dev.tickeretl.storage.fs.WriterProcess job ROOT
 *     runs {@link #job}, printing "wrote N" after each write (until it is killed)
 * </pre>
 */
public final class WriterProcess {

    /** The minute partition {@link #interleave} writes into. */
    static final LocalDate INTERLEAVE_DATE = LocalDate.of(2024, 3, 11);
    /** Minutes of the day every interleaving writer rewrites each time. */
    static final int SHARED_FIRST_MINUTE = 1400;
    static final int SHARED_MINUTES = 5;

    /** The days {@link #job} rewrites, whole, once per round. */
    static final List<LocalDate> JOB_DAYS = List.of(LocalDate.of(2024, 3, 11), LocalDate.of(2024, 3, 12),
            LocalDate.of(2024, 3, 13), LocalDate.of(2024, 3, 14));
    static final int JOB_ROUNDS = 3;

    private WriterProcess() {
    }

    public static void main(String[] args) throws Exception {
        BarStore store = new FileStoreProvider().open(Path.of(args[1]).toUri(), Map.of());
        switch (args[0]) {
            case "interleave" -> {
                System.out.println("ready");
                System.out.flush();
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                long[] r = interleave(store, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
                System.out.println("done " + r[0] + " " + r[1] + " " + r[2]);
            }
            case "job" -> job(store, n -> {
                System.out.println("wrote " + n);
                System.out.flush();
            });
            default -> throw new IllegalArgumentException("mode: interleave or job, got " + args[0]);
        }
        System.out.flush();
    }

    /**
     * {@code count} writes into one minute partition, each adding this writer's next own minute (the minutes of
     * {@code parity}) and rewriting the shared minutes with values that name the writer.
     *
     * @return first write's start and last write's end (epoch ms), and how many bars the store counted inserted
     */
    static long[] interleave(BarStore store, int parity, int count) {
        long first = System.currentTimeMillis();
        long inserted = 0;
        for (int i = 0; i < count; i++) {
            List<Bar> batch = new ArrayList<>();
            batch.add(minute(2 * i + parity));
            for (int s = 0; s < SHARED_MINUTES; s++) {
                batch.add(TestBars.withVolume(minute(SHARED_FIRST_MINUTE + s), 1_000_000 * (parity + 1) + i));
            }
            inserted += store.write(batch).inserted();
        }
        return new long[] {first, System.currentTimeMillis(), inserted};
    }

    /** The bar of {@link #INTERLEAVE_DATE}'s minute {@code minuteOfDay}, as {@link #interleave} writes it. */
    static Bar minute(int minuteOfDay) {
        return TestBars.minute("AAPL", INTERLEAVE_DATE.atStartOfDay().plusMinutes(minuteOfDay));
    }

    /**
     * A deterministic ingest: every round rewrites each of {@link #JOB_DAYS} whole, with that round's values, so
     * every write replaces a large file. Running it to the end always leaves the same final state.
     */
    static WriteResult job(BarStore store, IntConsumer afterWrite) {
        WriteResult total = WriteResult.EMPTY;
        int n = 0;
        for (int round = 0; round < JOB_ROUNDS; round++) {
            for (LocalDate day : JOB_DAYS) {
                total = total.plus(store.write(jobDay(day, round)));
                afterWrite.accept(++n);
            }
        }
        return total;
    }

    /** The regular session's minute bars {@link #job} writes for {@code day} in {@code round}. */
    static List<Bar> jobDay(LocalDate day, int round) {
        List<Bar> bars = new ArrayList<>(390);
        LocalDateTime t = day.atTime(9, 30);
        for (int m = 0; m < 390; m++) {
            Bar b = TestBars.minute("MSFT", t.plusMinutes(m));
            bars.add(TestBars.withVolume(b, b.volume() + round));
        }
        return bars;
    }
}
