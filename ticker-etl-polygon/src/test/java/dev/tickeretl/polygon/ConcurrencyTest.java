package dev.tickeretl.polygon;

import static dev.tickeretl.polygon.Fixtures.D1;
import static dev.tickeretl.polygon.Fixtures.fast;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.Timespan;
import dev.tickeretl.spi.SourceRequest;
import dev.tickeretl.spi.TickerRange;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/** Requests for different tickers overlap, never more than {@code concurrency} at once. */
class ConcurrencyTest {

    @Test
    void requestsForDifferentTickersRunInParallelUpToTheConcurrencyBound() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    try {
                        Thread.sleep(150); // long enough that workers meet here
                        String path = request.getTarget();
                        String ticker = path.split("/")[4];
                        return Json.ok(ticker, D1);
                    } finally {
                        inFlight.decrementAndGet();
                    }
                }
            });
            server.start();
            List<TickerRange> ranges = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                ranges.add(new TickerRange("T" + (char) ('A' + i), D1, D1));
            }

            Drained run;
            try (PolygonSource source = fast(server).concurrency(3).build()) {
                run = Drained.run(source, SourceRequest.bounded(Timespan.DAY, true, ranges));
            }

            assertThat(run.done()).hasSize(12);
            assertThat(run.covered()).hasSize(12);
            // Three requests met in the server at once (they overlap) and never a fourth (the bound holds).
            assertThat(maxInFlight.get()).isEqualTo(3);
        }
    }
}
