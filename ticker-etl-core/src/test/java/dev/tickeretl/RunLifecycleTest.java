package dev.tickeretl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.internal.JsonCodec;
import dev.tickeretl.spi.OffsetReader;
import dev.tickeretl.spi.Source;
import dev.tickeretl.spi.SourceEvent;
import dev.tickeretl.spi.SourceRequest;
import dev.tickeretl.spi.TickerRange;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How a run is recorded while it runs, when it is stopped, and after its process is gone. */
class RunLifecycleTest {

    private static final LocalDate JAN_2 = LocalDate.of(2025, 1, 2);
    private static final LocalDate JAN_31 = LocalDate.of(2025, 1, 31);
    private static final List<String> TICKERS = List.of("AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "META", "TSLA",
            "NFLX");

    private final FakeUpstream upstream = new FakeUpstream();
    private final TestStorage storage = TestStorage.create();

    RunLifecycleTest() {
        for (String t : TICKERS) {
            upstream.series(t, LocalDate.of(2024, 12, 1), JAN_31);
        }
    }

    /** The fake upstream, answering one event every {@code pauseMs}: slow enough to stop a run midway. */
    private Source slow(long pauseMs) {
        Source fast = upstream.source();
        return new Source() {
            @Override
            public void start(SourceRequest request, OffsetReader offsets) {
                fast.start(request, offsets);
            }

            @Override
            public SourceEvent poll(Duration timeout) throws InterruptedException {
                Thread.sleep(pauseMs);
                return fast.poll(timeout);
            }

            @Override
            public void committed(dev.tickeretl.spi.SourcePartition p, dev.tickeretl.spi.SourceOffset o) {
                fast.committed(p, o);
            }

            @Override
            public void close() {
                fast.close();
            }
        };
    }

    private TickerEtl.Builder batch(Source source) {
        return TickerEtl.builder().tickers(TICKERS).from(JAN_2).to(JAN_31).source(source).store(TestStorage.PROVIDER, storage.uri(), Map.of())
                .shutdownHook(false).commitInterval(Duration.ofMillis(50));
    }

    private List<RunRecord> runs() {
        try (Store s = Store.open(TestStorage.PROVIDER, storage.uri(), Map.of())) {
            return s.runs();
        }
    }

    @Test
    @Timeout(30)
    void aStoppedBatchRunIsRecordedCancelledWithWhatItStoredAndTheNextRunResumes() throws Exception {
        RunHandle handle = batch(slow(60)).build().start();
        while (upstream.committed.size() < 2) {
            Thread.sleep(10);
        }
        handle.stop();
        RunRecord cancelled = handle.result();

        assertThat(cancelled.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(runs().get(0)).isEqualTo(cancelled);
        long done = cancelled.tickers().values().stream().filter(o -> o.status() == RunStatus.SUCCEEDED).count();
        assertThat(done).isBetween(2L, (long) TICKERS.size() - 1);
        assertThat(cancelled.tickers().values()).extracting(RunRecord.TickerOutcome::status)
                .containsOnly(RunStatus.SUCCEEDED, RunStatus.CANCELLED);
        assertThat(cancelled.totals().written()).isPositive();

        int before = upstream.requests.size();
        RunRecord resumed = batch(upstream.source()).incremental(true).build().run();

        assertThat(resumed.status()).isEqualTo(RunStatus.SUCCEEDED);
        List<String> asked = upstream.requests.get(before).ranges().stream().map(TickerRange::ticker).toList();
        // Only what the cancelled run had not committed: never a finished ticker (a cancelled one whose answer was
        // complete and stored when the stop came was committed while draining, and is not asked for either).
        assertThat(asked).isNotEmpty().allSatisfy(t -> assertThat(cancelled.tickers().get(t).status())
                .isEqualTo(RunStatus.CANCELLED));
        TestStorage clean = TestStorage.create();
        TickerEtl.builder().tickers(TICKERS).from(JAN_2).to(JAN_31).source(upstream.source()).store(TestStorage.PROVIDER, clean.uri(), Map.of())
                .shutdownHook(false).build().run();
        assertThat(storage.partitions()).isEqualTo(clean.partitions());
    }

    @Test
    @Timeout(30)
    void aRunPastItsDeadlineStopsAndFailsTheUnfinishedTickers() {
        RunRecord r = batch(slow(60)).deadline(Duration.ofMillis(700)).build().run();

        assertThat(r.status()).isIn(RunStatus.PARTIAL, RunStatus.FAILED);
        assertThat(r.durationMs()).isLessThan(10_000L);
        assertThat(r.tickers().values()).filteredOn(o -> o.status() == RunStatus.FAILED)
                .isNotEmpty().allSatisfy(o -> assertThat(o.error()).contains("deadline PT0.7S"));
    }

    @Test
    @Timeout(30)
    void aRunningRecordCarriesItsProcessAndAHeartbeatWithTheTotalsSoFar() throws Exception {
        RunHandle handle = batch(slow(60)).heartbeatInterval(Duration.ofMillis(100)).build().start();
        while (upstream.committed.size() < 2) {
            Thread.sleep(10);
        }
        Thread.sleep(250);
        RunRecord running = runs().get(0);
        handle.stop();
        handle.result();

        assertThat(running.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(running.process().pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(running.process().heartbeatIntervalMs()).isEqualTo(100);
        assertThat(running.process().heartbeatAt()).isAfter(running.startedAt());
        assertThat(running.totals().written()).isPositive();
    }

    @Test
    void aRunningRecordOfAProcessThatIsGoneIsShownAndRecordedAbandoned() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        RunRecord.RunProcess deadHere = new RunRecord.RunProcess(thisHost(), gone.pid(),
                gone.info().startInstant().orElse(null), Instant.parse("2025-01-01T00:00:05Z"), 30_000);
        putRunning("20250101T000000000Z-dead01", deadHere);
        RunRecord.RunProcess silentElsewhere = new RunRecord.RunProcess("another-host", 1, null,
                Instant.now().minus(Duration.ofMinutes(5)), 30_000);
        putRunning("20250101T000000000Z-dead02", silentElsewhere);
        RunRecord.RunProcess aliveElsewhere = new RunRecord.RunProcess("another-host", 2, null, Instant.now(),
                30_000);
        putRunning("20250101T000000000Z-live03", aliveElsewhere);

        Map<String, RunStatus> shown = statuses(runs());
        assertThat(shown).containsEntry("20250101T000000000Z-dead01", RunStatus.ABANDONED)
                .containsEntry("20250101T000000000Z-dead02", RunStatus.ABANDONED)
                .containsEntry("20250101T000000000Z-live03", RunStatus.RUNNING);
        assertThat(onDisk("20250101T000000000Z-dead01").status()).as("reading changes nothing")
                .isEqualTo(RunStatus.RUNNING);

        batch(upstream.source()).tickers("AAPL").build().run();

        assertThat(onDisk("20250101T000000000Z-dead01").status()).isEqualTo(RunStatus.ABANDONED);
        assertThat(onDisk("20250101T000000000Z-dead01").error()).contains("process " + gone.pid());
        assertThat(onDisk("20250101T000000000Z-dead01").finishedAt()).isEqualTo(deadHere.heartbeatAt());
        assertThat(onDisk("20250101T000000000Z-dead02").status()).isEqualTo(RunStatus.ABANDONED);
        assertThat(onDisk("20250101T000000000Z-live03").status()).isEqualTo(RunStatus.RUNNING);
    }

    private void putRunning(String runId, RunRecord.RunProcess process) {
        RunRecord r = new RunRecord(runId, RunStatus.RUNNING, Instant.parse("2025-01-01T00:00:00Z"), null, null,
                process, new RunRecord.RunParameters(RunRecord.RunParameters.BATCH, List.of("AAPL"), JAN_2, JAN_31,
                Timespan.DAY, true, false, "fake", storage.uri().toString(), List.of(), "brief"),
                RunRecord.Totals.ZERO, RequestStats.NONE, Map.of(), Map.of(), Map.of(), List.of(), null);
        storage.put("runs/" + runId + ".json", JsonCodec.toJson(r));
    }

    private RunRecord onDisk(String runId) {
        return JsonCodec.parseRun(storage.read("runs/" + runId + ".json").orElseThrow());
    }

    private static Map<String, RunStatus> statuses(List<RunRecord> runs) {
        Map<String, RunStatus> m = new java.util.HashMap<>();
        runs.forEach(r -> m.put(r.runId(), r.status()));
        return m;
    }

    private static String thisHost() throws Exception {
        String h = System.getenv("HOSTNAME");
        if (h != null && !h.isBlank()) {
            return h;
        }
        return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).strip();
    }
}
