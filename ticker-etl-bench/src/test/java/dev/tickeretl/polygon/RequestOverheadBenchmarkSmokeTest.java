package dev.tickeretl.polygon;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The overhead benchmark's methods do the requests they claim, against both servers (without latency here). */
class RequestOverheadBenchmarkSmokeTest {

    @Test
    void everyMethodFetchesEveryPageFromBothServers() throws Exception {
        for (String server : new String[] {"fixed", "simulator"}) {
            RequestOverheadBenchmark b = new RequestOverheadBenchmark();
            b.server = server;
            b.latencyMs = 0;
            b.start();
            try {
                // polygonSource itself fails unless all 20 tickers are done in 20 requests with bars.
                assertThat(b.polygonSource()).as(server).isGreaterThanOrEqualTo(RequestOverheadBenchmark.REQUESTS);
                assertThat(b.rawUrlConnection()).as(server).isGreaterThan(RequestOverheadBenchmark.REQUESTS * 100L);
                assertThat(b.rawHttpClient()).as(server).isEqualTo(b.rawUrlConnection());
                b.sleepOnly();
            } finally {
                b.stop();
            }
        }
    }
}
