package dev.tickeretl.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.Bar;
import dev.tickeretl.Timespan;
import dev.tickeretl.testkit.TestBars;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /v1/stream} against a store that another writer (here: the file store, as a {@code stream} process would)
 * changes while clients listen: the current bars first, then every new or changed bar, and nothing else.
 */
class EventStreamTest {

    /** "Today" in New York for the server under test (see {@link ServedStore#CLOCK}). */
    private static final LocalDate TODAY = LocalDate.of(2025, 3, 5);

    @TempDir
    Path dir;

    private ServedStore served;
    private final List<CompletableFuture<?>> streams = new ArrayList<>();

    @BeforeEach
    void start() {
        served = ServedStore.start(dir, Map.of(), b -> b.pollInterval(Duration.ofMillis(50)).maxStreams(2));
    }

    @AfterEach
    void stop() {
        RecordingStoreProvider.release.countDown();
        RecordingStoreProvider.slowPath = null;
        served.close();
        streams.forEach(s -> s.cancel(true));
    }

    private static Bar minute(String ticker, LocalDate day, int hour, int minute, double volume) {
        return TestBars.minute(ticker, LocalDateTime.of(day, LocalTime.of(hour, minute)), 10, 11, 9, 10.5, volume);
    }

    /** The events of one stream as they arrive: "name data" per event. */
    private BlockingQueue<String> listen(String query) {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        HttpRequest request = HttpRequest.newBuilder(served.at("/v1/stream?" + query)).build();
        CompletableFuture<HttpResponse<Stream<String>>> response = served.http.sendAsync(request,
                HttpResponse.BodyHandlers.ofLines());
        streams.add(response.thenAcceptAsync(r -> {
            StringBuilder event = new StringBuilder();
            String[] name = {"message"};
            try (Stream<String> lines = r.body()) {
                lines.forEach(line -> {
                    if (line.startsWith("event: ")) {
                        name[0] = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        event.append(line.substring(6));
                    } else if (line.isEmpty() && event.length() > 0) {
                        events.add(name[0] + " " + event);
                        event.setLength(0);
                        name[0] = "message";
                    }
                });
            } catch (RuntimeException closedUnderUs) {
                // the server went away: the stream ended all the same
            } finally {
                events.add("end");
            }
        }));
        return events;
    }

    private static List<String> take(BlockingQueue<String> events, int n) throws InterruptedException {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String e = events.poll(10, TimeUnit.SECONDS);
            assertThat(e).as("event " + (i + 1) + " of " + n + " after " + got).isNotNull();
            got.add(e);
        }
        return got;
    }

    private static String event(Bar bar) {
        return "bar " + bar.toJson();
    }

    @Test
    void aClientGetsTheStoredBarsThenEveryNewAndChangedBarOfItsTickersAndDay() throws Exception {
        Bar first = minute("AAPL", TODAY, 9, 30, 100);
        Bar second = minute("AAPL", TODAY, 9, 31, 200);
        served.write(List.of(first, second));

        BlockingQueue<String> events = listen("tickers=AAPL");
        assertThat(take(events, 2)).containsExactly(event(first), event(second));

        Bar corrected = TestBars.withVolume(first, 150);
        Bar third = minute("AAPL", TODAY, 9, 32, 300);
        served.write(List.of(corrected, second, third));
        served.write(List.of(minute("MSFT", TODAY, 9, 32, 1))); // not watched
        served.write(List.of(minute("AAPL", TODAY.minusDays(1), 9, 32, 1))); // another day

        assertThat(take(events, 2)).containsExactly(event(corrected), event(third));
        // Rewriting what is stored changes nothing, so nothing more is sent.
        served.write(List.of(corrected, second, third));
        assertThat(events.poll(500, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void barsAStreamGroupCommitsAreSentOnceWhetherStillInASegmentOrCompactedIntoTheirPartition() throws Exception {
        Bar first = minute("AAPL", TODAY, 9, 30, 100);
        BlockingQueue<String> events = listen("tickers=AAPL");

        // As a `stream` run writes: one segment holding several tickers' minutes, folded into partitions later.
        served.data.appendSegment(Timespan.MINUTE, false, List.of(first, minute("MSFT", TODAY, 9, 30, 1)), "run-1");
        assertThat(take(events, 1)).containsExactly(event(first));
        served.data.compact(Timespan.MINUTE, false);
        assertThat(served.store.bars("AAPL", Timespan.MINUTE, TODAY, TODAY)).containsExactly(first);
        assertThat(events.poll(500, TimeUnit.MILLISECONDS)).isNull();

        Bar revised = TestBars.withVolume(first, 120); // a revision within the feed's 15 minutes
        served.data.appendSegment(Timespan.MINUTE, false, List.of(revised), "run-1");
        assertThat(take(events, 1)).containsExactly(event(revised));
    }

    @Test
    void severalTickersAndAChosenDayOfDailyBars() throws Exception {
        LocalDate day = LocalDate.of(2025, 1, 2);
        BlockingQueue<String> events = listen("tickers=AAPL,MSFT&timespan=day&date=2025-01-02");
        Bar aapl = TestBars.day("AAPL", day);
        Bar msft = TestBars.day("MSFT", day);

        served.write(List.of(aapl, TestBars.day("AAPL", day.plusDays(1))));
        served.write(List.of(msft));

        assertThat(take(events, 2)).containsExactlyInAnyOrder(event(aapl), event(msft));
        assertThat(events.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void twoClientsOfTheSameTickerEachGetEveryChange() throws Exception {
        BlockingQueue<String> a = listen("tickers=AAPL");
        BlockingQueue<String> b = listen("tickers=aapl");
        Thread.sleep(300); // both connected before the write, so both see it as a change
        Bar bar = minute("AAPL", TODAY, 10, 0, 5);

        served.write(List.of(bar));

        assertThat(take(a, 1)).containsExactly(event(bar));
        assertThat(take(b, 1)).containsExactly(event(bar));
    }

    @Test
    void aStreamThatCannotStartLeavesNoneOfItsTickersWatched() throws Exception {
        // MSFT's partition of today holds a line that is not a bar: reading it fails, after AAPL's watch began.
        Path partition = dir.resolve("bars-unadjusted/timespan=minute/ticker=MSFT/date=" + TODAY + "/bars.jsonl");
        Files.createDirectories(partition.getParent());
        Files.writeString(partition, "not a bar\n");

        ServedStore.Response r = served.get("/v1/stream?tickers=AAPL,MSFT");
        assertThat(r.status()).isEqualTo(503);
        Thread.sleep(200); // a poll round already under way may still read AAPL once
        RecordingStoreProvider.READS.clear();
        Thread.sleep(500); // ten poll intervals

        assertThat(RecordingStoreProvider.READS).as("nobody listens to AAPL any more, so nobody reads it")
                .noneMatch(access -> access.contains("ticker=AAPL"));
    }

    @Test
    void aSlowFirstReadForOneClientDoesNotHoldUpTheOthersChanges() throws Exception {
        served.write(List.of(minute("AAPL", TODAY, 9, 30, 100)));
        BlockingQueue<String> a = listen("tickers=AAPL");
        take(a, 1);
        RecordingStoreProvider.release = new CountDownLatch(1);
        RecordingStoreProvider.slowPath = "ticker=NVDA";
        listen("tickers=NVDA"); // its first read now waits on the store
        for (int i = 0; i < 100 && RecordingStoreProvider.READS.stream().noneMatch(r -> r.contains("ticker=NVDA"));
             i++) {
            Thread.sleep(50);
        }
        assertThat(RecordingStoreProvider.READS).anyMatch(r -> r.contains("ticker=NVDA"));

        Bar next = minute("AAPL", TODAY, 9, 31, 200);
        served.write(List.of(next));

        assertThat(take(a, 1)).containsExactly(event(next));
    }

    @Test
    void oneStreamTooManyIsA503AndClosingTheServerEndsTheOthers() throws Exception {
        BlockingQueue<String> a = listen("tickers=AAPL");
        BlockingQueue<String> b = listen("tickers=MSFT");
        Thread.sleep(500); // both streams hold their slot

        ServedStore.Response third = served.get("/v1/stream?tickers=NVDA");

        assertThat(third.status()).isEqualTo(503);
        assertThat(third.json().get("error").get("message").asText()).contains("too many open streams");
        served.server.close();
        assertThat(a.poll(10, TimeUnit.SECONDS)).isEqualTo("end");
        assertThat(b.poll(10, TimeUnit.SECONDS)).isEqualTo("end");
    }

    @Test
    void theStreamIsAnEventStreamThatProxiesDoNotBuffer() throws Exception {
        HttpResponse<Stream<String>> r = served.http.send(HttpRequest.newBuilder(served.at("/v1/stream?tickers=AAPL"))
                .build(), HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = r.body()) {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
            assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-cache");
            assertThat(lines.limit(2)).containsExactly("retry: 2000",
                    ": watching AAPL minute bars of today (New York)");
        }
    }
}
