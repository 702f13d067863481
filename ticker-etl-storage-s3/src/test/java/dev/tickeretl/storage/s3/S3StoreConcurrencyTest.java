package dev.tickeretl.storage.s3;

import static dev.tickeretl.storage.s3.TestBars.day;
import static dev.tickeretl.storage.s3.TestBars.weekdays;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.Bar;
import dev.tickeretl.Timespan;
import dev.tickeretl.spi.PartitionMerge;
import dev.tickeretl.spi.WriteResult;
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
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Several writers, each with its own store instance (as separate processes would have), on one bucket and prefix.
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
            List<S3Store> stores = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                stores.add((S3Store) new S3StoreProvider().open(S3.uri("shared"),
                        S3ProxyServer.options(gateway.endpoint())));
            }
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            CyclicBarrier start = new CyclicBarrier(writers);
            List<Future<WriteResult>> results = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                S3Store store = stores.get(w);
                List<Bar> mine = own.get(w);
                results.add(pool.submit(() -> {
                    start.await();
                    WriteResult total = WriteResult.EMPTY;
                    for (int b = 0; b < batches; b++) {
                        List<Bar> batch = new ArrayList<>(shared);
                        for (int i = b; i < mine.size(); i += batches) {
                            batch.add(mine.get(i));
                        }
                        total = total.plus(store.write(batch));
                    }
                    return total;
                }));
            }
            WriteResult sum = WriteResult.EMPTY;
            for (Future<WriteResult> r : results) {
                sum = sum.plus(r.get(60, TimeUnit.SECONDS));
            }
            pool.shutdown();
            long conflicts = stores.stream().mapToLong(S3Store::conflicts).sum();
            stores.forEach(S3Store::close);

            try (S3Store reader = S3.open("shared")) {
                assertThat(reader.read("AAPL", Timespan.DAY, LocalDate.of(2024, 1, 1), LocalDate.of(2025, 12, 31)))
                        .containsExactlyElementsOf(all);
            }
            // Each key was new to exactly one writer; the other writes of the shared bars found them unchanged.
            assertThat(sum.inserted()).isEqualTo(all.size());
            assertThat(sum.updated()).isZero();
            assertThat(sum.unchanged()).isEqualTo((long) writers * batches * shared.size() - shared.size());
            // The writers really did collide, so the conditional writes were put to the test.
            assertThat(conflicts).isPositive();
        }
    }

    @Test
    void aWriteThatLosesTheRaceReReadsAndKeepsBothUpdates() throws Exception {
        String key = "p/bars/timespan=day/ticker=AAPL/year=2024/bars.jsonl";
        try (S3Gateway gateway = new S3Gateway(S3.port());
             S3Store store = (S3Store) new S3StoreProvider().open(S3.uri("p"),
                     S3ProxyServer.options(gateway.endpoint()))) {
            store.write(List.of(day("AAPL", JAN_2, 1)));
            // Another writer replaces the partition between this store's GET and its PUT.
            Bar theirs = day("AAPL", JAN_2.plusDays(1), 2);
            gateway.beforeNextPut(() -> S3.admin().putObject(b -> b.bucket(S3.bucket()).key(key),
                    RequestBody.fromBytes(PartitionMerge.encode(List.of(day("AAPL", JAN_2, 1), theirs)))));

            WriteResult result = store.write(List.of(day("AAPL", JAN_2.plusDays(2), 3)));

            assertThat(store.conflicts()).isEqualTo(1);
            assertThat(result).isEqualTo(new WriteResult(1, 0, 0, 1, result.bytesWritten()));
            assertThat(gateway.count("PUT", "/bars/")).isEqualTo(3);
            assertThat(store.read("AAPL", Timespan.DAY, JAN_2, JAN_2.plusDays(2))).extracting(Bar::close)
                    .containsExactly(1.0, 2.0, 3.0);
        }
    }

    @Test
    void aPartitionCreatedByAnotherWriterMeanwhileIsMergedNotOverwritten() throws Exception {
        String key = "p/bars/timespan=day/ticker=MSFT/year=2025/bars.jsonl";
        try (S3Gateway gateway = new S3Gateway(S3.port());
             S3Store store = (S3Store) new S3StoreProvider().open(S3.uri("p"),
                     S3ProxyServer.options(gateway.endpoint()))) {
            Bar theirs = day("MSFT", JAN_6, 10);
            gateway.beforeNextPut(() -> S3.admin().putObject(b -> b.bucket(S3.bucket()).key(key),
                    RequestBody.fromBytes(PartitionMerge.encode(List.of(theirs)))));

            WriteResult result = store.write(List.of(day("MSFT", JAN_6.plusDays(1), 11)));

            assertThat(store.conflicts()).isEqualTo(1);
            assertThat(result.inserted()).isEqualTo(1);
            assertThat(store.read("MSFT", Timespan.DAY, JAN_6, JAN_6.plusDays(1))).extracting(Bar::close)
                    .containsExactly(10.0, 11.0);
        }
    }

    @Test
    void aPutWhoseResponseIsLostIsRecognisedWhenTheRetryMeetsIt() throws Exception {
        List<Bar> bars = weekdays("AAPL", JAN_6, JAN_6.plusDays(6));
        try (S3Gateway gateway = new S3Gateway(S3.port());
             S3Store store = (S3Store) new S3StoreProvider().open(S3.uri("p"),
                     S3ProxyServer.options(gateway.endpoint()))) {
            gateway.dropNextPutResponse();

            WriteResult result = store.write(bars);

            // The first PUT was stored, its answer lost; the SDK's retry got 412 from that very write.
            assertThat(gateway.count("PUT", "/bars/")).isEqualTo(2);
            assertThat(result).isEqualTo(new WriteResult(bars.size(), 0, 0, 1, result.bytesWritten()));
            assertThat(store.dataPuts()).isEqualTo(1);
            assertThat(store.read("AAPL", Timespan.DAY, JAN_6, JAN_6.plusDays(6))).isEqualTo(bars);
        }
    }
}
