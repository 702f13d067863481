package dev.tickeretl.storage.s3;

import static dev.tickeretl.storage.s3.TestBars.day;
import static dev.tickeretl.storage.s3.TestBars.minute;
import static dev.tickeretl.storage.s3.TestBars.run;
import static dev.tickeretl.storage.s3.TestBars.weekdays;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.Bar;
import dev.tickeretl.RunRecord;
import dev.tickeretl.RunStatus;
import dev.tickeretl.Store;
import dev.tickeretl.Timespan;
import dev.tickeretl.spi.PartitionMerge;
import dev.tickeretl.spi.StoreLayout;
import dev.tickeretl.spi.WriteResult;
import java.net.URI;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class S3StoreTest {

    @RegisterExtension
    static final S3ProxyServer S3 = new S3ProxyServer();

    private static final LocalDate DEC_2 = LocalDate.of(2024, 12, 2);
    private static final LocalDate JAN_31 = LocalDate.of(2025, 1, 31);

    @Test
    void barsWrittenInAnyOrderAreReadBackInTimeOrder() {
        List<Bar> bars = weekdays("AAPL", DEC_2, JAN_31);
        List<Bar> shuffled = new ArrayList<>(bars);
        Collections.shuffle(shuffled, new Random(7));
        try (S3Store store = S3.open("data")) {
            WriteResult result = store.write(shuffled);

            assertThat(result).isEqualTo(new WriteResult(bars.size(), 0, 0, 2, result.bytesWritten()));
            assertThat(store.read("AAPL", Timespan.DAY, DEC_2, JAN_31)).containsExactlyElementsOf(bars);
        }
    }

    @Test
    void readKeepsOnlyTradingDatesInTheRangeAcrossPartitions() {
        List<Bar> bars = weekdays("MSFT", DEC_2, JAN_31);
        LocalDate from = LocalDate.of(2024, 12, 30);
        LocalDate to = LocalDate.of(2025, 1, 3);
        try (S3Store store = S3.open("")) {
            store.write(bars);

            assertThat(store.read("MSFT", Timespan.DAY, from, to)).extracting(Bar::tradingDate).containsExactly(
                    LocalDate.of(2024, 12, 30), LocalDate.of(2024, 12, 31), LocalDate.of(2025, 1, 1),
                    LocalDate.of(2025, 1, 2), LocalDate.of(2025, 1, 3));
            assertThat(store.read("MSFT", Timespan.DAY, LocalDate.of(2026, 1, 1), LocalDate.of(2026, 12, 31)))
                    .isEmpty();
            assertThat(store.read("AAPL", Timespan.DAY, DEC_2, JAN_31)).isEmpty();
        }
    }

    @Test
    void objectsUseTheSharedLayoutAndTheMergedPartitionBytes() {
        List<Bar> bars = weekdays("AAPL", DEC_2, JAN_31);
        try (S3Store store = S3.open("team/prices")) {
            store.write(bars);
        }
        List<Bar> bars2024 = bars.stream().filter(b -> b.tradingDate().getYear() == 2024).toList();
        List<Bar> bars2025 = bars.stream().filter(b -> b.tradingDate().getYear() == 2025).toList();
        String key2024 = "team/prices/" + StoreLayout.partitionOf(bars2024.get(0));
        String key2025 = "team/prices/" + StoreLayout.partitionOf(bars2025.get(0));

        assertThat(S3.keys()).containsExactly(
                "team/prices/bars/timespan=day/ticker=AAPL/year=2024/bars.jsonl",
                "team/prices/bars/timespan=day/ticker=AAPL/year=2025/bars.jsonl")
                .containsExactly(key2024, key2025);
        assertThat(S3.object(key2024)).isEqualTo(PartitionMerge.encode(bars2024));
        assertThat(S3.object(key2025)).isEqualTo(PartitionMerge.encode(bars2025));
    }

    @Test
    void minuteBarsLiveInOnePartitionPerDay() {
        LocalDate monday = LocalDate.of(2025, 3, 10);
        LocalDate tuesday = monday.plusDays(1);
        List<Bar> bars = List.of(minute("SPY", tuesday, 9, 31, 2), minute("SPY", monday, 9, 30, 1),
                minute("SPY", tuesday, 9, 30, 3));
        try (S3Store store = S3.open("m")) {
            assertThat(store.write(bars).filesWritten()).isEqualTo(2);

            assertThat(S3.keys()).containsExactly("m/bars/timespan=minute/ticker=SPY/date=2025-03-10/bars.jsonl",
                    "m/bars/timespan=minute/ticker=SPY/date=2025-03-11/bars.jsonl");
            assertThat(store.read("SPY", Timespan.MINUTE, monday, tuesday)).extracting(Bar::close)
                    .containsExactly(1.0, 3.0, 2.0);
            assertThat(store.read("SPY", Timespan.MINUTE, tuesday, tuesday)).hasSize(2);
        }
    }

    @Test
    void identicalRewriteMakesNoDataPut() {
        List<Bar> bars = weekdays("AAPL", DEC_2, JAN_31);
        try (S3Store first = S3.open("p")) {
            first.write(bars);
            assertThat(first.dataPuts()).isEqualTo(2);
        }
        try (S3Store second = S3.open("p")) {
            WriteResult again = second.write(bars);

            assertThat(again).isEqualTo(new WriteResult(0, 0, bars.size(), 0, 0));
            assertThat(second.dataPuts()).isZero();
        }
    }

    @Test
    void identicalRewriteSendsNoPutToTheServer() throws Exception {
        List<Bar> bars = weekdays("AAPL", DEC_2, JAN_31);
        try (S3Gateway gateway = new S3Gateway(S3.port());
             S3Store store = (S3Store) new S3StoreProvider().open(S3.uri("p"), S3ProxyServer.options(
                     gateway.endpoint()))) {
            store.write(bars);
            assertThat(gateway.count("PUT", "/bars/")).isEqualTo(2);

            store.write(bars);
            store.write(bars.subList(3, 9));

            assertThat(gateway.count("PUT", "/bars/")).isEqualTo(2);
            assertThat(gateway.count("GET", "/bars/")).isEqualTo(2 + 2 + 1);
        }
    }

    @Test
    void oneChangedBarRewritesOnlyItsPartitionAndCountsOneUpdate() {
        List<Bar> bars = weekdays("AAPL", DEC_2, JAN_31);
        List<Bar> changed = new ArrayList<>(bars);
        int i = changed.size() - 1; // in the 2025 partition
        changed.set(i, day("AAPL", changed.get(i).tradingDate(), 999));
        try (S3Store store = S3.open("p")) {
            store.write(bars);
            byte[] before2024 = S3.object("p/bars/timespan=day/ticker=AAPL/year=2024/bars.jsonl");

            WriteResult result = store.write(changed);

            assertThat(result.inserted()).isZero();
            assertThat(result.updated()).isEqualTo(1);
            assertThat(result.unchanged()).isEqualTo(bars.size() - 1);
            assertThat(result.filesWritten()).isEqualTo(1);
            assertThat(store.dataPuts()).isEqualTo(3);
            assertThat(S3.object("p/bars/timespan=day/ticker=AAPL/year=2024/bars.jsonl")).isEqualTo(before2024);
            assertThat(store.read("AAPL", Timespan.DAY, JAN_31, JAN_31)).extracting(Bar::close).containsExactly(999.0);
        }
    }

    @Test
    void newBarsMergeIntoAnExistingPartition() {
        try (S3Store store = S3.open("p")) {
            store.write(List.of(day("AAPL", LocalDate.of(2025, 1, 6), 1), day("AAPL", LocalDate.of(2025, 1, 8), 3)));

            WriteResult result = store.write(List.of(day("AAPL", LocalDate.of(2025, 1, 7), 2),
                    day("AAPL", LocalDate.of(2025, 1, 8), 3)));

            assertThat(result).isEqualTo(new WriteResult(1, 0, 1, 1, result.bytesWritten()));
            assertThat(store.read("AAPL", Timespan.DAY, LocalDate.of(2025, 1, 1), LocalDate.of(2025, 12, 31)))
                    .extracting(Bar::close).containsExactly(1.0, 2.0, 3.0);
        }
    }

    @Test
    void runsAreListedNewestFirstAndAPutReplacesTheRecord() {
        try (S3Store store = S3.open("p")) {
            store.putRun(run("20250102T030405Z-b", RunStatus.SUCCEEDED));
            store.putRun(run("20250103T000000Z-a", RunStatus.RUNNING));
            store.putRun(run("20241231T235959Z-c", RunStatus.FAILED));
            store.putRun(run("20250103T000000Z-a", RunStatus.PARTIAL));

            List<RunRecord> runs = store.runs();

            assertThat(runs).extracting(RunRecord::runId)
                    .containsExactly("20250103T000000Z-a", "20250102T030405Z-b", "20241231T235959Z-c");
            assertThat(runs.get(0).status()).isEqualTo(RunStatus.PARTIAL);
            assertThat(S3.keys()).contains("p/runs/20250103T000000Z-a.json");
            assertThat(store.dataPuts()).isZero();
        }
    }

    @Test
    void runsOfAnotherPrefixAreNotListed() {
        try (S3Store a = S3.open("a"); S3Store ab = S3.open("a/b")) {
            a.putRun(run("1", RunStatus.SUCCEEDED));
            ab.putRun(run("2", RunStatus.SUCCEEDED));

            assertThat(a.runs()).extracting(RunRecord::runId).containsExactly("1");
            assertThat(ab.runs()).extracting(RunRecord::runId).containsExactly("2");
        }
    }

    @Test
    void anEmptyStoreHasNoBarsAndNoRuns() {
        try (S3Store store = S3.open("nothing/here")) {
            assertThat(store.read("AAPL", Timespan.DAY, DEC_2, JAN_31)).isEmpty();
            assertThat(store.read("AAPL", Timespan.MINUTE, DEC_2, DEC_2.plusDays(3))).isEmpty();
            assertThat(store.runs()).isEmpty();
            assertThat(store.write(List.of())).isEqualTo(WriteResult.EMPTY);
        }
        assertThat(S3.keys()).isEmpty();
    }

    @Test
    void slashesInThePrefixAreNormalised() {
        try (S3Store store = (S3Store) new S3StoreProvider().open(URI.create("s3://" + S3.bucket() + "//x///y/"),
                S3.options())) {
            store.write(List.of(day("AAPL", JAN_31, 1)));

            assertThat(store.uri()).isEqualTo(URI.create("s3://" + S3.bucket() + "/x/y"));
            assertThat(S3.keys()).containsExactly("x/y/bars/timespan=day/ticker=AAPL/year=2025/bars.jsonl");
        }
    }

    @Test
    void withoutPrefixTheLayoutStartsAtTheBucketRoot() {
        try (S3Store store = S3.open("")) {
            store.write(List.of(day("AAPL", JAN_31, 1)));
            store.putRun(run("r1", RunStatus.SUCCEEDED));

            assertThat(store.uri()).isEqualTo(URI.create("s3://" + S3.bucket()));
            assertThat(S3.keys()).containsExactly("bars/timespan=day/ticker=AAPL/year=2025/bars.jsonl",
                    "runs/r1.json");
        }
    }

    @Test
    void theS3SchemeIsFoundThroughTheServiceLoader() {
        List<Bar> bars = weekdays("AAPL", DEC_2, JAN_31);
        try (S3Store store = S3.open("shared")) {
            store.write(bars);
        }
        try (Store store = Store.open(URI.create("s3://" + S3.bucket() + "/shared"), S3.options())) {
            assertThat(store.bars("AAPL", DEC_2, JAN_31)).containsExactlyElementsOf(bars);
            assertThat(store.uri().toString()).isEqualTo("s3://" + S3.bucket() + "/shared");
        }
    }

    @Test
    void aStoreWithManyPartitionsWritesThemAllOnce() {
        List<Bar> bars = new ArrayList<>();
        for (String ticker : List.of("AAPL", "MSFT", "NVDA", "AMZN", "META")) {
            bars.addAll(weekdays(ticker, LocalDate.of(2019, 12, 30), LocalDate.of(2025, 1, 3)));
        }
        bars.sort(Comparator.comparing(Bar::tradingDate));
        try (S3Store store = S3.open("big")) {
            WriteResult result = store.write(bars);

            assertThat(result.filesWritten()).isEqualTo(5 * 7);
            assertThat(result.inserted()).isEqualTo(bars.size());
            assertThat(S3.keys()).hasSize(5 * 7);
            assertThat(store.write(bars).filesWritten()).isZero();
            assertThat(store.read("NVDA", Timespan.DAY, LocalDate.of(2019, 1, 1), LocalDate.of(2025, 12, 31)))
                    .hasSize(bars.size() / 5);
        }
    }
}
