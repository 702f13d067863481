package dev.tickeretl.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.MarketTime;
import dev.tickeretl.Timespan;
import dev.tickeretl.polygon.PolygonSource;
import dev.tickeretl.spi.Metrics;
import dev.tickeretl.spi.Observer;
import dev.tickeretl.spi.SourceOffset;
import dev.tickeretl.spi.SourceRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 13: the stream's gap repairs go through the REST client and report the same upstream metrics. */
@Timeout(60)
class StreamRepairRequestMetricsTest {

    private static final LocalDate DAY = LocalDate.of(2025, 1, 2);
    private static final Instant OPEN = DAY.atTime(9, 30).atZone(MarketTime.ZONE).toInstant();

    /** Each upstream metric call as name and tags. */
    private static final class Upstream implements Observer {
        final List<List<String>> requests = new CopyOnWriteArrayList<>();
        final List<List<String>> durations = new CopyOnWriteArrayList<>();

        @Override
        public void count(String name, long amount, String... tags) {
            if (name.equals(Metrics.REQUESTS)) {
                requests.add(List.of(tags));
            }
        }

        @Override
        public void time(String name, Duration duration, String... tags) {
            if (name.equals(Metrics.REQUEST_DURATION)) {
                durations.add(List.of(tags));
            }
        }
    }

    @Test
    void aRepairAtStartUpIsCountedAsAnAggsRangeRequestWithItsStatusAndDuration() throws Exception {
        Upstream upstream = new Upstream();
        // AAPL's committed watermark is 9:00: the first connection repairs from 9:01 over REST.
        long watermark = OPEN.minus(Duration.ofMinutes(30)).toEpochMilli();
        SourceOffset committed = new SourceOffset(Map.of(SourceOffset.COMPLETE_THROUGH, Long.toString(watermark),
                "last_minute", Long.toString(watermark)));
        try (PolygonSimulator sim = PolygonSimulator.builder().marketClock(OPEN, 0)
                .streamFaults(StreamFaultPlan.none()).start();
             PolygonSource source = PolygonSource.builder().baseUrl(sim.baseUrl()).webSocketUrl(sim.webSocketUrl())
                     .requireKey(false).observer(upstream).build()) {
            source.start(SourceRequest.unbounded(Timespan.MINUTE, false, List.of("AAPL")),
                    partition -> Optional.of(committed));

            // The source plans repairs on the polling thread: poll until the repair's request is reported.
            long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (upstream.requests.isEmpty() && System.nanoTime() - giveUp < 0) {
                source.poll(Duration.ofMillis(100));
            }

            assertThat(sim.requestCount()).isGreaterThanOrEqualTo(1);
        }
        assertThat(upstream.requests).isNotEmpty().allSatisfy(tags -> assertThat(tags)
                .containsExactly(Metrics.ENDPOINT, "aggs_range", Metrics.HTTP_STATUS, "200"));
        assertThat(upstream.durations).isNotEmpty()
                .allSatisfy(tags -> assertThat(tags).containsExactly(Metrics.ENDPOINT, "aggs_range"));
    }
}
