package dev.tickeretl.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectWriter;
import dev.tickeretl.Bar;
import dev.tickeretl.RunRecord;
import dev.tickeretl.internal.DataStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Each benchmark method runs once, outside JMH, and does the work it claims to measure; {@code mvn verify} runs only
 * this, never the benchmarks themselves.
 */
class BenchmarksSmokeTest {

    private static final Blackhole BH = new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

    @TempDir
    Path tmp;

    @Test
    void transformBenchmarkDoesEveryPathsWorkOnFiveThousandBarsOfEitherData() throws Exception {
        ObjectWriter jackson = TransformBenchmark.jacksonWriter();
        // Bars compared with the previous session: all but the first of each ticker (20 realistic profiles).
        for (var data : java.util.Map.of("realistic", 5_000L - 20, "simulator", 5_000L - 1).entrySet()) {
            TransformBenchmark b = new TransformBenchmark();
            b.data = data.getKey();
            b.setup();
            long jacksonChars = 0;
            for (Bar bar : b.tagged()) {
                jacksonChars += jackson.writeValueAsString(bar).length();
            }

            assertThat(b.transformOnly(BH)).as(b.data).isEqualTo(5_000);
            assertThat(b.tagOnly(BH)).as(b.data).isEqualTo(data.getValue());
            assertThat(b.serializeJackson(BH)).as(b.data).isEqualTo(jacksonChars);
            assertThat(b.serializeOnly(BH)).as(b.data).isEqualTo(jacksonChars);
            assertThat(b.transformTagSerialize(BH)).as(b.data).isEqualTo(jacksonChars);
        }
    }

    @Test
    void observerBenchmarkCountsAndTimesIntoTheSameSeriesBothWays() {
        ObserverBenchmark b = new ObserverBenchmark();
        b.setup();

        for (int n = 0; n < 8; n++) {
            b.countCached();
            b.countBuilderPerCall();
            b.countNone();
            b.timeCached();
            b.timeBuilderPerCall();
        }

        String text = b.scrape();
        // Both ways count into the registry: 16 counts of 3 bars (NONE drops its 8), 16 timings.
        double fetched = text.lines().filter(l -> l.startsWith("ticker_etl_bars_fetched_total{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        assertThat(fetched).isEqualTo(48.0);
        assertThat(text).contains("ticker_etl_partition_write_duration_seconds_count 16");
    }

    @Test
    void partitionMergeRewritesOnlyWhenSomethingChanged() throws IOException {
        PartitionMergeBenchmark b = new PartitionMergeBenchmark();
        b.years = 1;
        b.setup();
        try {
            DataStore.WriteOutcome unchanged = b.rewriteUnchanged();
            DataStore.WriteOutcome changed = b.rewriteChanged();
            DataStore.WriteOutcome changedBack = b.rewriteChanged();
            DataStore.WriteOutcome inMemory = b.mergeInMemory();
            DataStore.WriteOutcome inMemoryBack = b.mergeInMemory();

            assertThat(unchanged.filesWritten()).isZero();
            assertThat(unchanged.bytesWritten()).isZero();
            assertThat(unchanged.unchanged()).isEqualTo(252); // NYSE trading days of 2024
            assertThat(changed.filesWritten()).isEqualTo(1);
            assertThat(changed.updated()).isEqualTo(1);
            assertThat(changedBack.updated()).isEqualTo(1);
            // The same work without the disk: the same outcome, byte for byte.
            assertThat(inMemory).isEqualTo(changed);
            assertThat(inMemoryBack).isEqualTo(changedBack);
        } finally {
            b.tearDown();
        }
    }

    @Test
    void readPathDecodesEveryBarOfTwentyYearsTheSameBothWays() throws IOException {
        ReadPathBenchmark b = new ReadPathBenchmark();
        b.setup();
        try {
            b.decodeFast(BH);
            b.decodeJackson(BH);
            assertThat(b.storeRead()).hasSize(ReadPathBenchmark.BARS);
        } finally {
            b.tearDown();
        }
    }

    @Test
    void readApiAnswersTwentyYearsInEveryFormat() throws Exception {
        for (String format : new String[]{"ndjson", "json", "csv"}) {
            ReadApiBenchmark b = new ReadApiBenchmark();
            b.format = format;
            b.setup();
            try {
                byte[] body = b.twentyYearsOfOneTicker();
                assertThat(body.length).as(format).isGreaterThan(ReadPathBenchmark.BARS * 150);
                if (format.equals("ndjson")) {
                    assertThat(new String(body, java.nio.charset.StandardCharsets.UTF_8).lines())
                            .hasSize(ReadPathBenchmark.BARS);
                }
            } finally {
                b.tearDown();
            }
        }
    }

    @Test
    void readCpuTimeReportsEveryPath() throws Exception {
        assertThat(ReadCpuTime.measure(0.01)).hasSize(4).allSatisfy(line -> assertThat(line).matches(
                ".*: [0-9.]+ (M bars per CPU second|ms CPU).*"));
    }

    @Test
    void pipelineWriteStoresEveryBarAndItsReRunWritesNothing() throws IOException {
        PipelineWriteBenchmark b = new PipelineWriteBenchmark();
        b.tickers = 3;
        b.storage = "disk";
        b.data();
        try {
            b.freshStore();
            RunRecord first = b.firstRun();
            RunRecord again = b.reRun();
            b.removeFreshStore();

            // 251 days asked for and their lookback day, all in one partition per ticker.
            assertThat(first.totals().written()).isEqualTo(3 * 252);
            assertThat(first.totals().filesWritten()).isEqualTo(3);
            assertThat(first.warnings()).isEmpty(); // the lookback day was replayed too
            assertThat(again.totals().unchanged()).isEqualTo(3 * 252);
        } finally {
            b.removeFilledStore();
        }
    }

    @Test
    void e2eToolReportsRunsDigestsAndGcPeaks() throws IOException {
        PipelineWriteBenchmark b = new PipelineWriteBenchmark();
        b.tickers = 2;
        b.storage = "disk";
        b.data();
        try {
            Path one = tmp.resolve("one");
            Path two = tmp.resolve("two");
            b.run(one);
            b.run(two);
            b.run(two);

            assertThat(E2eTool.digest(one)).isEqualTo(E2eTool.digest(two)).startsWith("2 files sha256=");
            assertThat(E2eTool.latestRun(two)).contains("status=SUCCEEDED").contains(" written=0 ")
                    .contains(" unchanged=504 ").contains(" bytes=0");
            assertThat(E2eTool.latestRun(one)).containsPattern(Pattern.compile(" files=2 bytes=\\d{5,}"));
        } finally {
            b.removeFilledStore();
        }
        Path log = tmp.resolve("gc.log");
        Files.writeString(log, """
                [0.010s][info][gc] Using G1
                [0.512s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 24M->5M(256M) 3.123ms
                [0.900s][info][gc] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 131M->40M(256M) 9.001ms
                [1.100s][info][gc] GC(2) Concurrent Mark Cycle 12.000ms
                """);
        assertThat(E2eTool.peakHeap(log)).isEqualTo("peak_heap_mb=131 heap_size_mb=256 collections=2");
        assertThat(BenchData.universe(6)).startsWith("AAPL", "MSFT", "NVDA", "AMZN", "GOOGL").hasSize(6);
    }
}
