package dev.tickeretl.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each real-time scenario of {@code bench/stream.sh}, tiny and quick, with the pipeline in its own JVM as in the
 * bench: the tool measures and checks what it claims. No speed is asserted here; the bench reports speeds.
 */
@Timeout(180)
class StreamBenchSmokeTest {

    @TempDir
    Path work;

    private StreamBench.Settings settings(String... keyValues) throws Exception {
        Map<String, String> a = new HashMap<>();
        a.put("work", work.toString());
        a.put("log-level", "warn");
        for (int i = 0; i < keyValues.length; i += 2) {
            a.put(keyValues[i], keyValues[i + 1]);
        }
        return StreamBench.Settings.of(a);
    }

    @Test
    void burstTimesEveryTickersMinuteOfEveryMeasuredBurst() throws Exception {
        StreamBench.Result r = StreamBench.burst(settings("burst-tickers", "60", "bursts", "2", "warmup-bursts", "1",
                "burst-gap", "PT0.2S"));

        assertThat(r.numbers().get("exit")).isZero();
        assertThat(r.numbers().get("bursts")).isEqualTo(2);
        // Every ticker trades at least once in two minutes, so each burst has events; each is timed once.
        assertThat(r.numbers().get("measured_events")).isGreaterThan(60);
        assertThat(r.numbers().get("measured_durable")).isEqualTo(r.numbers().get("measured_events"));
        assertThat(r.numbers().get("p99_ns")).isPositive();
        assertThat(r.report()).contains("| **all measured** |", "Targets: p99 receive -> durable <= 250 ms",
                "ext4", "Heap: peak in use");
    }

    @Test
    void dayComparesTheWholeStoreWithTheSimulatorsFinalBars() throws Exception {
        // 200x from 15:45: the client JVM is up and connected minutes (of market time) before the close.
        StreamBench.Result r = StreamBench.day(settings("day-tickers", "20", "day-speed", "200", "day-from",
                "15:45", "day-to", "16:20"));

        assertThat(r.numbers().get("exit")).isZero();
        // The start-up repair brings the day from the open, the stream the rest: 20 tickers, about 390 minutes each.
        assertThat(r.numbers().get("expected")).isGreaterThan(20 * 300);
        assertThat(r.numbers()).containsEntry("lost", 0L).containsEntry("duplicates", 0L).containsEntry("stale", 0L)
                .containsEntry("extra", 0L);
        assertThat(r.report()).contains("heap in use after GC", "0 lost minutes", "0 duplicates");
    }

    @Test
    void outageTimesTheRepairAfterTheReconnectAndLosesNoMinute() throws Exception {
        StreamBench.Result r = StreamBench.outage(settings("outage-tickers", "20", "outage-speed", "30",
                "outage-after", "PT2M30S", "outage-length", "PT60S", "outage-tail", "PT4S"));

        assertThat(r.numbers().get("exit")).isZero();
        assertThat(r.numbers().get("repair_ns")).as("a repair round after the reconnect").isPositive();
        assertThat(r.numbers().get("expected")).isPositive();
        assertThat(r.numbers()).containsEntry("lost", 0L).containsEntry("duplicates", 0L);
        assertThat(r.report()).contains("reconnected and subscribed", "every missed minute repaired and durable");
    }
}
