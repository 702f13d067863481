package dev.tickeretl.storage.s3;

import static dev.tickeretl.storage.s3.TestBars.day;
import static dev.tickeretl.storage.s3.TestBars.readDays;
import static dev.tickeretl.storage.s3.TestBars.untagged;
import static dev.tickeretl.storage.s3.TestBars.weekdays;
import static dev.tickeretl.storage.s3.TestBars.writeDays;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.Bar;
import dev.tickeretl.TradingCalendar;
import dev.tickeretl.internal.DataStore;
import dev.tickeretl.internal.DataStore.WriteOutcome;
import dev.tickeretl.spi.ProviderContext;
import dev.tickeretl.spi.Storage;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Several writers, each with its own storage instance (as separate processes would have), on one bucket and prefix.
 * The writes go through {@link S3Gateway} with writes serialised: S3Proxy's in-memory store checks If-Match and then
 * writes, which is not atomic for overlapping PUTs, whereas S3 evaluates the condition atomically.
 */
class S3StoreConcurrencyTest {

    @RegisterExtension
    static final S3ProxyServer S3 = new S3ProxyServer();

    private static final LocalDate JAN_2 = LocalDate.of(2024, 1, 2);
    private static final LocalDate JAN_6 = LocalDate.of(2025, 1, 6);

    @Test
    void concurrentWritersToTheSamePartitionsLoseNoUpdate() throws Exception {
        int writers = 4;
        int batches = 6;
        // Every writer adds its own days to both partitions (2024 and 2025) and also writes the same shared bars.
        List<Bar> all = weekdays("AAPL", LocalDate.of(2024, 11, 1), LocalDate.of(2025, 2, 28));
        List<Bar> shared = all.subList(0, 10);
        List<List<Bar>> own = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            own.add(new ArrayList<>());
        }
        for (int i = shared.size(); i < all.size(); i++) {
            own.get(i % writers).add(all.get(i));
        }
        try (S3Gateway gateway = new S3Gateway(S3.port())) {
            gateway.serializeWrites();
            List<S3Storage> storages = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                storages.add(open(gateway, "shared"));
            }
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            CyclicBarrier start = new CyclicBarrier(writers);
            List<Future<long[]>> results = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                DataStore store = new DataStore(storages.get(w), TradingCalendar.nyse());
                List<Bar> mine = own.get(w);
                results.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    long[] counts = new long[3];
                    for (int b = 0; b < batches; b++) {
                        List<Bar> batch = new ArrayList<>(shared);
                        for (int i = b; i < mine.size(); i += batches) {
                            batch.add(mine.get(i));
                        }
                        WriteOutcome o = writeDays(store, batch);
                        counts[0] += o.inserted();
                        counts[1] += o.updated();
                        counts[2] += o.unchanged();
                    }
                    return counts;
                }));
            }
            long inserted = 0;
            long unchanged = 0;
            for (Future<long[]> r : results) {
                long[] counts = r.get(60, TimeUnit.SECONDS);
                inserted += counts[0];
                unchanged += counts[2];
            }
            pool.shutdown();
            long conflicts = storages.stream().mapToLong(S3Storage::conflicts).sum();
            storages.forEach(S3Storage::close);

            try (DataStore reader = S3.store("shared")) {
                List<Bar> stored = readDays(reader, "AAPL");
                assertThat(untagged(stored)).containsExactlyElementsOf(all);
                // Whatever order the writers came in, each day is tagged against the stored previous session.
                assertThat(TestBars.tagsMatchStoredNeighbours(stored)).isTrue();
            }
            // Each key was new to exactly one writer; the other writes of the shared bars found them unchanged (the
            // shared days are each other's previous sessions, so no other writer's day re-tags them). Own days may
            // count as updated too: a neighbour written later re-tags them.
            assertThat(inserted).isEqualTo(all.size());
            assertThat(unchanged).isEqualTo((long) writers * batches * shared.size() - shared.size());
            // The writers really did collide, so the conditional writes were put to the test.
            assertThat(conflicts).isPositive();
        }
    }

    @Test
    void aWriteThatLosesTheRaceReReadsAndKeepsBothUpdates() throws Exception {
        try (S3Gateway gateway = new S3Gateway(S3.port());
             S3Storage storage = open(gateway, "p");
             DataStore other = S3.store("p")) {
            DataStore store = new DataStore(storage, TradingCalendar.nyse());
            writeDays(store, List.of(day("AAPL", JAN_2, 1)));
            // Another writer (straight to the server) adds a day between this store's GET and its PUT.
            Bar theirs = day("AAPL", JAN_2.plusDays(1), 2);
            gateway.beforeNextPut(() -> writeDays(other, List.of(theirs)));

            WriteOutcome result = writeDays(store, List.of(day("AAPL", JAN_2.plusDays(2), 3)));

            assertThat(storage.conflicts()).isEqualTo(1);
            assertThat(result.inserted()).isEqualTo(1);
            assertThat(result.updated()).isZero();
            assertThat(result.filesWritten()).isEqualTo(1);
            assertThat(gateway.count("PUT", "/bars/")).isEqualTo(3);
            List<Bar> stored = readDays(store, "AAPL");
            assertThat(stored).extracting(Bar::close).containsExactly(1.0, 2.0, 3.0);
            assertThat(TestBars.tagsMatchStoredNeighbours(stored)).isTrue();
        }
    }

    @Test
    void aPartitionCreatedByAnotherWriterMeanwhileIsMergedNotOverwritten() throws Exception {
        try (S3Gateway gateway = new S3Gateway(S3.port());
             S3Storage storage = open(gateway, "p");
             DataStore other = S3.store("p")) {
            DataStore store = new DataStore(storage, TradingCalendar.nyse());
            Bar theirs = day("MSFT", JAN_6, 10);
            gateway.beforeNextPut(() -> writeDays(other, List.of(theirs)));

            WriteOutcome result = writeDays(store, List.of(day("MSFT", JAN_6.plusDays(1), 11)));

            assertThat(storage.conflicts()).isEqualTo(1);
            assertThat(result.inserted()).isEqualTo(1);
            List<Bar> stored = readDays(store, "MSFT");
            assertThat(stored).extracting(Bar::close).containsExactly(10.0, 11.0);
            assertThat(stored.get(1).priorVolume()).as("tagged against the other writer's day")
                    .isEqualTo(theirs.volume());
        }
    }

    @Test
    void aPutWhoseResponseIsLostIsRecognisedWhenTheRetryMeetsIt() throws Exception {
        List<Bar> bars = weekdays("AAPL", JAN_6, JAN_6.plusDays(6));
        try (S3Gateway gateway = new S3Gateway(S3.port()); S3Storage storage = open(gateway, "p")) {
            DataStore store = new DataStore(storage, TradingCalendar.nyse());
            gateway.dropNextPutResponse();

            WriteOutcome result = writeDays(store, bars);

            // The first PUT was stored, its answer lost; the SDK's retry got 412 from that very write.
            assertThat(gateway.count("PUT", "/bars/")).isEqualTo(2);
            assertThat(result.inserted()).isEqualTo(bars.size());
            assertThat(result.filesWritten()).isEqualTo(1);
            assertThat(storage.puts()).isEqualTo(1);
            assertThat(untagged(readDays(store, "AAPL"))).isEqualTo(bars);
        }
    }

    private static S3Storage open(S3Gateway gateway, String prefix) {
        return (S3Storage) new S3StoreProvider().open(S3.uri(prefix),
                ProviderContext.of(S3ProxyServer.options(gateway.endpoint())), Storage.Access.READ_WRITE);
    }
}
