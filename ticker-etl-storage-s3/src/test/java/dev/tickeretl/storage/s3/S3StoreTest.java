package dev.tickeretl.storage.s3;

import static dev.tickeretl.storage.s3.TestBars.day;
import static dev.tickeretl.storage.s3.TestBars.minute;
import static dev.tickeretl.storage.s3.TestBars.readDays;
import static dev.tickeretl.storage.s3.TestBars.run;
import static dev.tickeretl.storage.s3.TestBars.untagged;
import static dev.tickeretl.storage.s3.TestBars.weekdays;
import static dev.tickeretl.storage.s3.TestBars.writeDays;
import static dev.tickeretl.storage.s3.TestBars.writeMinutes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickeretl.Bar;
import dev.tickeretl.RunRecord;
import dev.tickeretl.RunStatus;
import dev.tickeretl.Store;
import dev.tickeretl.StoreException;
import dev.tickeretl.Timespan;
import dev.tickeretl.TradingCalendar;
import dev.tickeretl.internal.BriefPhaseTagger;
import dev.tickeretl.internal.Coverage;
import dev.tickeretl.internal.DataStore;
import dev.tickeretl.internal.DataStore.WriteOutcome;
import dev.tickeretl.internal.PartitionFile;
import dev.tickeretl.spi.ProviderContext;
import dev.tickeretl.spi.Storage;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the S3 store does in a bucket, beyond the store contract (which {@link S3StoreContractTest} runs): the keys
 * and bytes it writes, the requests it sends, and read-only opening.
 */
class S3StoreTest {

    @RegisterExtension
    static final S3ProxyServer S3 = new S3ProxyServer();

    private static final LocalDate DEC_2 = LocalDate.of(2024, 12, 2);
    private static final LocalDate JAN_31 = LocalDate.of(2025, 1, 31);

    @Test
    void objectsUseTheSharedLayoutAndTheMergedPartitionBytes() {
        List<Bar> bars = weekdays("AAPL", DEC_2, JAN_31);
        List<Bar> unadjusted = bars.stream().filter(b -> b.tradingDate().getYear() == 2025)
                .map(b -> withAdjusted(b, false)).toList();
        Instant at = Instant.parse("2025-01-31T22:00:00Z");
        List<Bar> stored;
        try (DataStore store = S3.store("team/prices")) {
            writeDays(store, bars);
            writeDays(store, unadjusted);
            store.putRun(run("20250131T220000000Z-0001", RunStatus.SUCCEEDED));
            store.commit(Timespan.DAY, true, Map.of("AAPL", new DataStore.Commit(Map.of("through", "2025-01-31"),
                    List.of(new Coverage.Span(DEC_2, JAN_31, at)))), at, "20250131T220000000Z-0001");
            stored = readDays(store, "AAPL");
        }
        List<Bar> stored2024 = stored.stream().filter(b -> b.tradingDate().getYear() == 2024).toList();
        List<Bar> stored2025 = stored.stream().filter(b -> b.tradingDate().getYear() == 2025).toList();

        assertThat(S3.keys()).containsExactly(
                "team/prices/bars-unadjusted/timespan=day/ticker=AAPL/year=2025/bars.jsonl",
                "team/prices/bars/timespan=day/ticker=AAPL/year=2024/bars.jsonl",
                "team/prices/bars/timespan=day/ticker=AAPL/year=2025/bars.jsonl",
                "team/prices/runs/20250131T220000000Z-0001.json",
                "team/prices/state/offsets/timespan=day/adjusted=true.json");
        assertThat(untagged(stored)).isEqualTo(bars);
        assertThat(S3.object("team/prices/bars/timespan=day/ticker=AAPL/year=2024/bars.jsonl"))
                .isEqualTo(PartitionFile.encode(stored2024));
        assertThat(S3.object("team/prices/bars/timespan=day/ticker=AAPL/year=2025/bars.jsonl"))
                .isEqualTo(PartitionFile.encode(stored2025));
        assertThat(contentType("team/prices/bars/timespan=day/ticker=AAPL/year=2025/bars.jsonl"))
                .isEqualTo("application/x-ndjson");
        assertThat(contentType("team/prices/runs/20250131T220000000Z-0001.json")).isEqualTo("application/json");
    }

    @Test
    void minuteBarsLiveInOnePartitionPerDayOfTheirDataset() {
        LocalDate monday = LocalDate.of(2025, 3, 10);
        LocalDate tuesday = monday.plusDays(1);
        List<Bar> bars = List.of(minute("SPY", tuesday, 9, 31, 2), minute("SPY", monday, 9, 30, 1),
                minute("SPY", tuesday, 9, 30, 3));
        try (DataStore store = S3.store("m")) {
            assertThat(writeMinutes(store, bars).filesWritten()).isEqualTo(2);

            assertThat(S3.keys()).containsExactly(
                    "m/bars-unadjusted/timespan=minute/ticker=SPY/date=2025-03-10/bars.jsonl",
                    "m/bars-unadjusted/timespan=minute/ticker=SPY/date=2025-03-11/bars.jsonl");
            assertThat(store.read("SPY", Timespan.MINUTE, false, monday, tuesday)).extracting(Bar::close)
                    .containsExactly(1.0, 3.0, 2.0);
            assertThat(store.read("SPY", Timespan.MINUTE, false, tuesday, tuesday)).hasSize(2);
            assertThat(store.read("SPY", Timespan.MINUTE, true, monday, tuesday)).isEmpty();
        }
    }

    @Test
    void identicalRewriteMakesNoPut() {
        List<Bar> bars = weekdays("AAPL", DEC_2, JAN_31);
        try (S3Storage first = S3.open("p", Storage.Access.READ_WRITE)) {
            writeDays(new DataStore(first, TradingCalendar.nyse()), bars);
            assertThat(first.puts()).isEqualTo(2);
        }
        try (S3Storage second = S3.open("p", Storage.Access.READ_WRITE)) {
            WriteOutcome again = writeDays(new DataStore(second, TradingCalendar.nyse()), bars);

            assertThat(again.inserted()).isZero();
            assertThat(again.updated()).isZero();
            assertThat(again.unchanged()).isEqualTo(bars.size());
            assertThat(again.filesWritten()).isZero();
            assertThat(second.puts()).isZero();
        }
    }

    @Test
    void identicalRewriteSendsNoPutToTheServer() throws Exception {
        List<Bar> bars = weekdays("AAPL", DEC_2, JAN_31);
        try (S3Gateway gateway = new S3Gateway(S3.port()); DataStore store = viaGateway(gateway, "p")) {
            writeDays(store, bars);
            assertThat(gateway.count("PUT", "/bars/")).isEqualTo(2);

            writeDays(store, bars);
            writeDays(store, bars.subList(3, 9));

            assertThat(gateway.count("PUT", "/bars/")).isEqualTo(2);
            // A full write reads its two partitions and the year before: the first bar (Dec 2) has no previous
            // session stored, and the store looks a year back to tell a ticker's first bar from a gap upstream.
            // Days inside one year read only that year's partition.
            assertThat(gateway.count("GET", "/bars/timespan=day/ticker=AAPL/year=2023/")).isEqualTo(2);
            assertThat(gateway.count("GET", "/bars/timespan=day/ticker=AAPL/year=2024/")).isEqualTo(3);
            assertThat(gateway.count("GET", "/bars/timespan=day/ticker=AAPL/year=2025/")).isEqualTo(2);
        }
    }

    @Test
    void oneChangedBarRewritesOnlyItsPartitionAndCountsOneUpdate() {
        List<Bar> bars = weekdays("AAPL", DEC_2, JAN_31);
        List<Bar> changed = new ArrayList<>(bars);
        int i = changed.size() - 1; // in the 2025 partition, the last session: no later bar to re-tag
        changed.set(i, day("AAPL", changed.get(i).tradingDate(), 999));
        try (S3Storage storage = S3.open("p", Storage.Access.READ_WRITE)) {
            DataStore store = new DataStore(storage, TradingCalendar.nyse());
            writeDays(store, bars);
            byte[] before2024 = S3.object("p/bars/timespan=day/ticker=AAPL/year=2024/bars.jsonl");

            WriteOutcome result = writeDays(store, changed);

            assertThat(result.inserted()).isZero();
            assertThat(result.updated()).isEqualTo(1);
            assertThat(result.unchanged()).isEqualTo(bars.size() - 1);
            assertThat(result.filesWritten()).isEqualTo(1);
            assertThat(storage.puts()).isEqualTo(3);
            assertThat(S3.object("p/bars/timespan=day/ticker=AAPL/year=2024/bars.jsonl")).isEqualTo(before2024);
            assertThat(store.read("AAPL", Timespan.DAY, true, JAN_31, JAN_31)).extracting(Bar::close)
                    .containsExactly(999.0);
        }
    }

    @Test
    void newBarsMergeIntoAnExistingPartitionAndReTagTheirNextSession() {
        try (DataStore store = S3.store("p")) {
            writeDays(store, List.of(day("AAPL", LocalDate.of(2025, 1, 6), 1), day("AAPL", LocalDate.of(2025, 1, 8),
                    3)));

            WriteOutcome result = writeDays(store, List.of(day("AAPL", LocalDate.of(2025, 1, 7), 2),
                    day("AAPL", LocalDate.of(2025, 1, 8), 3)));

            // Jan 7 is new; Jan 8 comes again unchanged but is now compared with Jan 7: its prior volume changed.
            assertThat(result.inserted()).isEqualTo(1);
            assertThat(result.updated()).isEqualTo(1);
            assertThat(result.unchanged()).isZero();
            assertThat(result.filesWritten()).isEqualTo(1);
            List<Bar> stored = readDays(store, "AAPL");
            assertThat(stored).extracting(Bar::close).containsExactly(1.0, 2.0, 3.0);
            assertThat(stored.get(2).priorVolume()).isEqualTo(stored.get(1).volume());
        }
    }

    @Test
    void runRecordsLiveUnderTheStorePrefixAndAPutReplacesTheRecord() {
        try (DataStore store = S3.store("p")) {
            store.putRun(run("20250102T030405Z-b", RunStatus.SUCCEEDED));
            store.putRun(run("20250103T000000Z-a", RunStatus.RUNNING));
            store.putRun(run("20241231T235959Z-c", RunStatus.FAILED));
            store.putRun(run("20250103T000000Z-a", RunStatus.PARTIAL));

            List<RunRecord> runs = store.runs();

            assertThat(runs).extracting(RunRecord::runId)
                    .containsExactly("20250103T000000Z-a", "20250102T030405Z-b", "20241231T235959Z-c");
            assertThat(runs.get(0).status()).isEqualTo(RunStatus.PARTIAL);
            assertThat(S3.keys()).containsExactly("p/runs/20241231T235959Z-c.json", "p/runs/20250102T030405Z-b.json",
                    "p/runs/20250103T000000Z-a.json");
        }
    }

    @Test
    void runsOfAnotherPrefixAreNotListed() {
        try (DataStore a = S3.store("a"); DataStore ab = S3.store("a/b")) {
            a.putRun(run("1", RunStatus.SUCCEEDED));
            ab.putRun(run("2", RunStatus.SUCCEEDED));

            assertThat(a.runs()).extracting(RunRecord::runId).containsExactly("1");
            assertThat(ab.runs()).extracting(RunRecord::runId).containsExactly("2");
        }
    }

    @Test
    void anEmptyStoreHasNoBarsNoRunsAndNoOffsets() {
        try (DataStore store = S3.store("nothing/here")) {
            assertThat(store.read("AAPL", Timespan.DAY, true, DEC_2, JAN_31)).isEmpty();
            assertThat(store.read("AAPL", Timespan.MINUTE, false, DEC_2, DEC_2.plusDays(3))).isEmpty();
            assertThat(store.runs()).isEmpty();
            assertThat(store.offsets(Timespan.DAY, true).partitions()).isEmpty();
            assertThat(store.write("AAPL", Timespan.DAY, true, List.of(), new BriefPhaseTagger()).filesWritten())
                    .isZero();
        }
        assertThat(S3.keys()).isEmpty();
    }

    @Test
    void slashesInThePrefixAreNormalised() {
        try (DataStore store = new DataStore(new S3StoreProvider().open(URI.create("s3://" + S3.bucket()
                + "//x///y/"), ProviderContext.of(S3.options()), Storage.Access.READ_WRITE), TradingCalendar.nyse())) {
            writeDays(store, List.of(day("AAPL", JAN_31, 1)));

            assertThat(store.uri()).isEqualTo(URI.create("s3://" + S3.bucket() + "/x/y"));
            assertThat(S3.keys()).containsExactly("x/y/bars/timespan=day/ticker=AAPL/year=2025/bars.jsonl");
        }
    }

    @Test
    void withoutPrefixTheLayoutStartsAtTheBucketRoot() {
        try (DataStore store = S3.store("")) {
            writeDays(store, List.of(day("AAPL", JAN_31, 1)));
            store.putRun(run("r1", RunStatus.SUCCEEDED));

            assertThat(store.uri()).isEqualTo(URI.create("s3://" + S3.bucket()));
            assertThat(S3.keys()).containsExactly("bars/timespan=day/ticker=AAPL/year=2025/bars.jsonl",
                    "runs/r1.json");
        }
    }

    @Test
    void theS3SchemeIsFoundThroughTheServiceLoaderAndStoreOpensReadOnly() {
        List<Bar> bars = weekdays("AAPL", DEC_2, JAN_31);
        List<Bar> stored;
        try (DataStore store = S3.store("shared")) {
            writeDays(store, bars);
            stored = readDays(store, "AAPL");
        }
        try (Store store = Store.open(URI.create("s3://" + S3.bucket() + "/shared"), S3.options())) {
            assertThat(store.bars("AAPL", DEC_2, JAN_31)).isEqualTo(stored);
            assertThat(store.uri().toString()).isEqualTo("s3://" + S3.bucket() + "/shared");
        }
    }

    @Test
    void aStoreWithManyPartitionsWritesThemAllOnce() {
        List<String> tickers = List.of("AAPL", "MSFT", "NVDA", "AMZN", "META");
        List<Bar> bars = new ArrayList<>();
        for (String ticker : tickers) {
            bars.addAll(weekdays(ticker, LocalDate.of(2019, 12, 30), LocalDate.of(2025, 1, 3)));
        }
        bars.sort(Comparator.comparing(Bar::tradingDate));
        try (DataStore store = S3.store("big")) {
            long files = 0;
            long inserted = 0;
            for (String ticker : tickers) {
                WriteOutcome result = writeDays(store, bars.stream().filter(b -> b.ticker().equals(ticker)).toList());
                files += result.filesWritten();
                inserted += result.inserted();
            }

            assertThat(files).as("5 tickers x 7 years").isEqualTo(5 * 7);
            assertThat(inserted).isEqualTo(bars.size());
            assertThat(S3.keys()).hasSize(5 * 7);
            for (String ticker : tickers) {
                assertThat(writeDays(store, bars.stream().filter(b -> b.ticker().equals(ticker)).toList())
                        .filesWritten()).isZero();
            }
            assertThat(readDays(store, "NVDA")).hasSize(bars.size() / 5);
        }
    }

    // ---------------------------------------------------------------- read-only

    @Test
    void aReadOnlyStorageReadsAndRefusesEveryWriteWithoutSendingOne() throws IOException {
        List<Bar> bars = weekdays("AAPL", DEC_2, JAN_31);
        try (DataStore writer = S3.store("p")) {
            writeDays(writer, bars);
            writer.putRun(run("r1", RunStatus.SUCCEEDED));
        }
        List<String> keys = S3.keys();
        try (S3Gateway gateway = new S3Gateway(S3.port());
             Storage readOnly = new S3StoreProvider().open(S3.uri("p"),
                     ProviderContext.of(S3ProxyServer.options(gateway.endpoint())), Storage.Access.READ_ONLY)) {
            DataStore reader = new DataStore(readOnly, TradingCalendar.nyse());
            assertThat(untagged(readDays(reader, "AAPL"))).isEqualTo(bars);
            assertThat(reader.runs()).extracting(RunRecord::runId).containsExactly("r1");

            assertThatThrownBy(() -> writeDays(reader, List.of(day("MSFT", JAN_31, 1))))
                    .isInstanceOf(StoreException.class).hasMessageContaining("read-only");
            assertThatThrownBy(() -> reader.putRun(run("r2", RunStatus.RUNNING)))
                    .isInstanceOf(StoreException.class).hasMessageContaining("read-only");
            assertThatThrownBy(() -> reader.commit(Timespan.DAY, true, Map.of("AAPL", new DataStore.Commit(
                    Map.of("through", "2025-01-31"), List.of())), Instant.EPOCH, "r2"))
                    .isInstanceOf(StoreException.class).hasMessageContaining("read-only");
            assertThatThrownBy(() -> readOnly.put("x.json", "{}".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(StoreException.class).hasMessageContaining("s3://" + S3.bucket() + "/p");
            assertThatThrownBy(() -> readOnly.delete("runs/r1.json")).isInstanceOf(StoreException.class);

            assertThat(gateway.requests()).as("only reads reach the server")
                    .allMatch(r -> r.startsWith("GET ") || r.startsWith("HEAD "));
        }
        assertThat(S3.keys()).isEqualTo(keys);
    }

    @Test
    void aPrefixWithoutObjectsIsAStoreThatDoesNotExistForReading() {
        try (DataStore writer = S3.store("prices")) {
            writeDays(writer, List.of(day("AAPL", JAN_31, 1)));
        }

        for (String typo : List.of("pricse", "pric", "prices/daily")) {
            assertThatThrownBy(() -> S3.open(typo, Storage.Access.READ_ONLY)).isInstanceOf(StoreException.class)
                    .hasMessage("store s3://" + S3.bucket() + "/" + typo + " does not exist (no object under s3://"
                            + S3.bucket() + "/" + typo + "/)");
        }
        assertThatThrownBy(() -> Store.open(S3.uri("pricse"), S3.options())).isInstanceOf(StoreException.class)
                .hasMessageContaining("does not exist").satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        try (S3Storage written = S3.open("prices", Storage.Access.READ_ONLY);
             S3Storage fresh = S3.open("fresh", Storage.Access.READ_WRITE)) {
            assertThat(written.list("")).hasSize(1);
            assertThat(fresh.list("")).as("opening for writing needs no object yet").isEmpty();
        }
        assertThat(S3.keys()).containsExactly("prices/bars/timespan=day/ticker=AAPL/year=2025/bars.jsonl");
    }

    private static DataStore viaGateway(S3Gateway gateway, String prefix) {
        return new DataStore(new S3StoreProvider().open(S3.uri(prefix),
                ProviderContext.of(S3ProxyServer.options(gateway.endpoint())), Storage.Access.READ_WRITE),
                TradingCalendar.nyse());
    }

    private static String contentType(String key) {
        return S3.admin().headObject(b -> b.bucket(S3.bucket()).key(key)).contentType();
    }

    /** {@code b} as the unadjusted series has it: before a 4:1 split, prices four times as high. */
    private static Bar withAdjusted(Bar b, boolean adjusted) {
        return new Bar(b.ticker(), b.timespan(), b.tradingDate(), b.startMs(), b.startEt(), b.startUtc(),
                b.open() * 4, b.high() * 4, b.low() * 4, b.close() * 4, b.volume(), b.vwap() * 4, b.transactions(),
                adjusted, b.priorVolume(), b.phase(), b.schemaVersion());
    }
}
