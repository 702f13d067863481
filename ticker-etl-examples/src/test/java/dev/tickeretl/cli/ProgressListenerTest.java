package dev.tickeretl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.RunRecord;
import dev.tickeretl.RunStatus;
import dev.tickeretl.RequestStats;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The terminal progress line: what it counts, and an ETA that a rate limit cannot make a promise of. */
class ProgressListenerTest {

    private static final RunRecord.TickerOutcome DONE = new RunRecord.TickerOutcome(RunStatus.SUCCEEDED, 21, 20, 0,
            0, 0, null);

    private final StringWriter err = new StringWriter();
    private final AtomicLong nanos = new AtomicLong();

    private ProgressListener terminal(ProgressListener.RateLimit limit) {
        ProgressListener p = new ProgressListener(new PrintWriter(err, true), true, limit, nanos::get);
        p.runStarted(running(10));
        return p;
    }

    @Test
    void etaAtFiveRequestsPerMinuteIsWhatTheRemainingRequestsNeedNotThePaceOfTheFirstOnes() {
        ProgressListener p = terminal(new ProgressListener.RateLimit(5, Duration.ofMinutes(1)));
        nanos.set(Duration.ofSeconds(1).toNanos()); // the first ticker took 1 s: the limit had not bitten yet

        p.tickerFinished("AAPL", DONE, 1, 10, new RequestStats(1, 1, 0, 0, 0, 0));

        // 9 tickers left at one request each: 9 requests at 5 per 60 s need 108 s, not 9 x 1 s.
        assertThat(err.toString()).contains("ETA 108s");
    }

    @Test
    void withoutALimitTheEtaFollowsThePace() {
        ProgressListener p = terminal(null);
        nanos.set(Duration.ofSeconds(4).toNanos());

        p.tickerFinished("AAPL", DONE, 2, 10, new RequestStats(2, 2, 0, 0, 0, 0));

        assertThat(err.toString()).contains("ETA 16s");
    }

    @Test
    void theLineCounts429AnswersAndNotWaitTimeSummedOverWorkers() {
        ProgressListener p = terminal(null);
        nanos.set(Duration.ofSeconds(2).toNanos());

        // 2 answers were 429; the workers waited 40 s in total between them, in 2 s of wall time.
        p.tickerFinished("AAPL", DONE, 1, 10, new RequestStats(7, 7, 2, 2, 40_000, 0));

        assertThat(err.toString()).contains("7 requests (2 answered 429)").doesNotContain("40000")
                .doesNotContain("40 s");
    }

    @Test
    void beforeTheFirstTickerTheEtaIsUnknownRatherThanZero() {
        ProgressListener p = terminal(null);
        assertThat(p.eta(0, 10, 0)).isEqualTo("-");
    }

    private static RunRecord running(int tickers) {
        List<String> symbols = java.util.stream.IntStream.range(0, tickers).mapToObj(i -> "T" + i).toList();
        return new RunRecord("r", RunStatus.RUNNING, java.time.Instant.EPOCH, null, null, null,
                new RunRecord.RunParameters(RunRecord.RunParameters.BATCH, symbols, java.time.LocalDate.of(2025, 1, 2),
                        java.time.LocalDate.of(2025, 1, 31), dev.tickeretl.Timespan.DAY, true, false, "polygon",
                        "file:./data", List.of(), "brief"),
                RunRecord.Totals.ZERO, RequestStats.NONE, null, null, java.util.Map.of(), List.of(), null);
    }
}
