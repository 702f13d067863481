package dev.tickeretl.storage.fs;

import dev.tickeretl.Bar;
import dev.tickeretl.Timespan;
import dev.tickeretl.internal.BriefPhaseTagger;
import dev.tickeretl.internal.DataStore;
import dev.tickeretl.testkit.TestBars;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
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
        DataStore store = TestStores.open(Path.of(args[1]));
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
     * {@code count} writes into one (unadjusted) minute partition, each adding this writer's next own minute (the
     * minutes of {@code parity}) and rewriting the shared minutes with values that name the writer; after each write
     * it commits an offset of its own partition {@link #offsetTicker} into the dataset's one offsets file.
     *
     * @return first write's start and last write's end (epoch ms), and how many bars the store counted inserted
     */
    static long[] interleave(DataStore store, int parity, int count) {
        long first = System.currentTimeMillis();
        long inserted = 0;
        for (int i = 0; i < count; i++) {
            List<Bar> batch = new ArrayList<>();
            batch.add(minute(2 * i + parity));
            for (int s = 0; s < SHARED_MINUTES; s++) {
                batch.add(TestBars.withVolume(minute(SHARED_FIRST_MINUTE + s), 1_000_000 * (parity + 1) + i));
            }
            inserted += store.write("AAPL", Timespan.MINUTE, false, batch, new BriefPhaseTagger()).inserted();
            store.commit(Timespan.MINUTE, false, Map.of(offsetTicker(parity, i), new DataStore.Commit(
                    Map.of("written", String.valueOf(i)), List.of())), Instant.ofEpochMilli(first), "writer-" + parity);
        }
        return new long[] {first, System.currentTimeMillis(), inserted};
    }

    /** The partition whose offset {@link #interleave}'s writer {@code parity} commits after its write {@code i}. */
    static String offsetTicker(int parity, int i) {
        return "W" + parity + "N" + i;
    }

    /** The bar of {@link #INTERLEAVE_DATE}'s minute {@code minuteOfDay}, as {@link #interleave} writes it. */
    static Bar minute(int minuteOfDay) {
        return TestBars.minute("AAPL", INTERLEAVE_DATE.atStartOfDay().plusMinutes(minuteOfDay));
    }

    /**
     * A deterministic ingest: every round rewrites each of {@link #JOB_DAYS} whole, with that round's values, so
     * every write replaces a large file. Running it to the end always leaves the same final state.
     */
    static void job(DataStore store, IntConsumer afterWrite) {
        int n = 0;
        for (int round = 0; round < JOB_ROUNDS; round++) {
            for (LocalDate day : JOB_DAYS) {
                store.write("MSFT", Timespan.MINUTE, false, jobDay(day, round), new BriefPhaseTagger());
                afterWrite.accept(++n);
            }
        }
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
