package dev.tickeretl.polygon;

import dev.tickeretl.MarketTime;
import dev.tickeretl.SourceException;
import dev.tickeretl.Timespan;
import dev.tickeretl.internal.DaemonThreads;
import dev.tickeretl.spi.Metrics;
import dev.tickeretl.spi.Observer;
import dev.tickeretl.spi.OffsetReader;
import dev.tickeretl.spi.RawBar;
import dev.tickeretl.spi.SourceEvent;
import dev.tickeretl.spi.SourceOffset;
import dev.tickeretl.spi.SourcePartition;
import dev.tickeretl.spi.SourceRequest;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One unbounded request of a {@link PolygonSource}: minute aggregates ({@code AM.<T>}) over the stocks WebSocket,
 * with what the official clients leave out (they reconnect a few times at most, and none repairs the minutes lost
 * while disconnected):
 *
 * <ul>
 *   <li><b>Never blocks the socket on disk.</b> Messages go onto a bounded queue as they arrive; only when the
 *       pipeline falls that far behind does the socket stop being read (TCP back-pressure).</li>
 *   <li><b>Notices a dead connection.</b> The JDK client never pings and has no idle timeout: this pings and aborts a
 *       connection that delivers nothing and answers no ping within the silence timeout.</li>
 *   <li><b>Reconnects forever</b> with exponential backoff and jitter, reset after a stable period; authenticates and
 *       resubscribes every ticker each time (subscriptions split under Polygon's 1 MB message limit). A rejected key
 *       ({@code auth_failed}) is fatal at once: no retry storm.</li>
 *   <li><b>Repairs gaps from REST.</b> After every reconnect, and at start-up from the committed offset, the minutes
 *       between what is complete and the first minute the new connection delivers are fetched from
 *       {@code /v2/aggs/ticker/T/range/1/minute} (unadjusted, as the feed is). The boundaries come from the
 *       stream's own timestamps, never from the local clock, so replays and the delayed feed work. Where the
 *       position is known, the fetch starts at the reconnect, open-ended, so what was missed is stored within a
 *       round trip; the first minute then closes the rest of the gap. When REST answers like a wrong upstream
 *       and its circuit breaker opens, repairs pause (one line says so) and go on after {@code repair-breaker-delay}
 *       once REST answers right: a stream outlives such outages.</li>
 *   <li><b>Keeps a watermark</b> per ticker, {@value SourceOffset#COMPLETE_THROUGH}: every minute up to it is stored
 *       at its final revision (the feed re-sends a minute for 15 minutes; after that, on a connection that never
 *       broke, its last version is final and a minute without a bar had no trades) or confirmed by REST. It
 *       travels in the offset, so it is committed only after the bars before it are durable.</li>
 * </ul>
 *
 * Threads: a connector (connect, authenticate, subscribe, ping, watchdog, reconnect), the WebSocket's own listener
 * (parses messages onto the queue), a small repair pool and a timer for repair retries. Every decision about offsets,
 * gaps and watermarks is made on the pipeline's thread in {@link #poll}.
 */
final class StreamRun {

    private static final Logger LOG = LoggerFactory.getLogger(StreamRun.class);
    private static final long MINUTE = 60_000;
    /** The end of a gap whose end is not known yet: a reconnect's, until the new connection's first minute. */
    private static final long OPEN_END = Long.MAX_VALUE / 4;
    /** Subscribe messages stay well under Polygon's 1 MB limit. */
    private static final int SUBSCRIBE_CHUNK_CHARS = 256 * 1024;
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final Settings settings;
    private final StreamSettings ws;
    private final SourceRequest request;
    private final OffsetReader offsets;
    private final Observer observer;
    private final AggregatesClient rest;
    private final Redactor redactor;
    private final HttpClient http;
    private final BlockingQueue<Object> inbox;
    private final ArrayDeque<SourceEvent> ready = new ArrayDeque<>();
    private final Map<String, TickerState> tickers = new LinkedHashMap<>();
    /** Per ticker: the newest minute received and when its message began to arrive, until it is durable. */
    private final Map<String, long[]> newestReceived = new ConcurrentHashMap<>();
    private final AtomicReference<String> fatal = new AtomicReference<>();
    private final ExecutorService repairs;
    /** Waits out the pause before a failed repair is tried again, without holding a repair thread meanwhile. */
    private final ScheduledExecutorService retryTimer;
    private final Thread connector;
    private final int run = RUNS.incrementAndGet();
    private volatile boolean closed;
    private volatile WebSocket socket;
    private volatile long lastHeard;
    private volatile String lastServerStatus;
    // The pipeline thread's view: the stream's clock, and whether a new connection's first bars are awaited.
    private long streamTime = Long.MIN_VALUE;
    private boolean awaitingFirstBars;
    /** The repairs of the latest connection, while some are not yet durable; null otherwise. */
    private RepairRound round;
    private long watermarkMinute = Long.MIN_VALUE;
    /** Whether repairs stopped at REST's open circuit breaker since the last good repair (said once, not per retry). */
    private boolean restPaused;
    /** The tickers whose last repair the open breaker stopped: the first good answer sends them all again. */
    private final java.util.Set<String> waitingForBreaker = new java.util.LinkedHashSet<>();

    StreamRun(Settings settings, StreamSettings ws, SourceRequest request, OffsetReader offsets, Counters counters,
              Observer observer) {
        this.settings = settings;
        this.ws = ws;
        this.request = request;
        this.offsets = offsets;
        this.observer = observer;
        this.rest = new AggregatesClient(settings, counters, observer, ws.repairBreakerDelay());
        this.redactor = Redactor.of(settings.apiKey());
        this.http = HttpClient.newBuilder().connectTimeout(HANDSHAKE_TIMEOUT).build();
        this.inbox = new ArrayBlockingQueue<>(ws.frameQueue());
        this.repairs = Executors.newFixedThreadPool(ws.repairConcurrency(),
                DaemonThreads.named("polygon-repair-" + run));
        this.retryTimer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("polygon-repair-retry-" + run));
        this.connector = DaemonThreads.thread("polygon-stream-" + run, this::connectForever);
    }

    /** Reads the committed offsets and starts connecting. */
    void start() {
        for (String ticker : request.tickers()) {
            TickerState t = new TickerState(request.partition(ticker));
            offsets.offset(t.partition).ifPresent(o -> {
                t.lastSeen = parse(o.get("last_minute"));
                t.watermark = parse(o.get(SourceOffset.COMPLETE_THROUGH));
            });
            tickers.put(ticker, t);
        }
        // The first connection is a reconnect after whatever the last run stored: its gap is repaired too.
        awaitingFirstBars = true;
        LOG.info("Polygon stream: {} tickers from {} ({} with committed offsets)", tickers.size(), ws.url(),
                tickers.values().stream().filter(t -> t.lastSeen != Long.MIN_VALUE).count());
        connector.start();
    }

    // ------------------------------------------------------------------------------------------ the pipeline side

    SourceEvent poll(Duration timeout) throws InterruptedException {
        throwIfFatal();
        if (!ready.isEmpty()) {
            return ready.poll();
        }
        Object item = inbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        throwIfFatal();
        if (item instanceof Received received) {
            onFrame(received.frame(), received.atNanos());
        } else if (item instanceof Repaired repaired) {
            onRepaired(repaired);
        } else if (item instanceof Connected connected) {
            awaitingFirstBars = true;
            startRound(connected.atNanos());
            repairSinceLastPosition();
        } else if (item instanceof Retry retry) {
            dispatch(tickers.get(retry.ticker()));
        }
        return ready.poll();
    }

    /** @param receivedAt when the message's first part came off the socket ({@link System#nanoTime}) */
    private void onFrame(StreamMessages.Frame frame, long receivedAt) {
        for (String why : frame.invalid()) {
            ready.add(new SourceEvent.Invalid("-", "stream message: " + why));
        }
        Map<String, List<RawBar>> byTicker = new LinkedHashMap<>();
        long frameMax = Long.MIN_VALUE;
        for (RawBar bar : frame.bars()) {
            if (!tickers.containsKey(bar.ticker())) {
                continue; // not ours (a wildcard subscription, or one still acknowledged from before)
            }
            byTicker.computeIfAbsent(bar.ticker(), k -> new ArrayList<>()).add(bar);
            frameMax = Math.max(frameMax, bar.startMs());
        }
        if (byTicker.isEmpty()) {
            return;
        }
        observer.count(Metrics.STREAM_BARS_RECEIVED, frame.bars().size());
        if (awaitingFirstBars) {
            // The first minute the new connection delivers closes every ticker's gap; REST answers the rest.
            // Planned before this message's bars count as seen: the gap starts where the last connection left off.
            awaitingFirstBars = false;
            scheduleRepairs(frameMax);
        }
        for (Map.Entry<String, List<RawBar>> e : byTicker.entrySet()) {
            TickerState t = tickers.get(e.getKey());
            for (RawBar bar : e.getValue()) {
                if (bar.startMs() > t.lastSeen) {
                    t.lastSeen = bar.startMs();
                    newestReceived.put(t.partition.ticker(), new long[] {bar.startMs(), receivedAt});
                }
            }
            emit(t, e.getValue());
        }
        advanceStreamTime(frameMax);
    }

    /** The stream's clock moved: every ticker's watermark may follow (once per new minute, not per message). */
    private void advanceStreamTime(long minute) {
        if (minute <= streamTime) {
            return;
        }
        streamTime = minute;
        observer.gauge(Metrics.STREAM_TIME, streamTime / 1000.0);
        long candidate = minute - StreamSettings.REVISION_WINDOW.toMillis() - MINUTE;
        if (candidate <= watermarkMinute) {
            return;
        }
        watermarkMinute = candidate;
        long lowest = Long.MAX_VALUE;
        for (TickerState t : tickers.values()) {
            if (t.advanceWatermark(candidate)) {
                emit(t, List.of());
            }
            lowest = Math.min(lowest, t.watermark == Long.MIN_VALUE ? Long.MAX_VALUE : t.watermark);
        }
        if (lowest != Long.MAX_VALUE) {
            observer.gauge(Metrics.WATERMARK_LAG, (streamTime - lowest) / 1000.0);
        }
    }

    /**
     * At a (re)connect, every ticker whose position is known has what REST holds since then fetched at once: the
     * minutes missed while disconnected are stored within a REST round trip instead of after the new connection's
     * first minute ends (up to a minute away). What REST returns closes the gap through its last bar; the rest,
     * minutes that had not ended or had no trades, closes with the first minute the new connection delivers.
     */
    private void repairSinceLastPosition() {
        for (TickerState t : tickers.values()) {
            long from = t.watermark != Long.MIN_VALUE ? t.watermark + MINUTE
                    : t.lastSeen != Long.MIN_VALUE ? t.lastSeen - ws.repairLookback().toMillis() : Long.MIN_VALUE;
            if (from == Long.MIN_VALUE) {
                continue; // a new ticker: its day is known only from the stream's first minute
            }
            t.addGap(from, OPEN_END);
            t.openFrom = from;
            t.openFetched = false;
            round.pending.add(t.partition.ticker());
            dispatch(t);
        }
    }

    /** Every ticker's span from what is complete to {@code lastMinute} is fetched from REST. */
    private void scheduleRepairs(long lastMinute) {
        long sessionStart = MarketTime.tradingDate(lastMinute).atTime(LocalTime.of(4, 0)).atZone(MarketTime.ZONE)
                .toInstant().toEpochMilli();
        for (TickerState t : tickers.values()) {
            if (t.gapTo == OPEN_END) {
                // Fetched at the reconnect (or being fetched): the gap now ends at this minute.
                t.gapTo = lastMinute;
                long earliest = lastMinute - ws.maxRepairSpan().toMillis();
                if (t.gapFrom < earliest) {
                    LOG.warn("{}: the gap since {} is longer than {}; repairing only its last part",
                            t.partition.ticker(), MarketTime.eastern(t.gapFrom), ws.maxRepairSpan());
                    t.gapFrom = earliest;
                }
                if (t.gapFrom > lastMinute) {
                    t.repaired(t.openFrom, lastMinute); // REST already had everything up to it
                } else {
                    dispatch(t);
                }
                continue;
            }
            long from;
            if (t.watermark != Long.MIN_VALUE) {
                from = t.watermark + MINUTE;
            } else if (t.lastSeen != Long.MIN_VALUE) {
                from = t.lastSeen - ws.repairLookback().toMillis();
            } else {
                from = sessionStart; // a new ticker: its day so far, so that its watermark can mean anything
            }
            long earliest = lastMinute - ws.maxRepairSpan().toMillis();
            if (from < earliest) {
                LOG.warn("{}: the gap since {} is longer than {}; repairing only its last part",
                        t.partition.ticker(), MarketTime.eastern(from), ws.maxRepairSpan());
                from = earliest;
            }
            if (from <= lastMinute) {
                t.addGap(from, lastMinute);
                if (round != null) {
                    round.pending.add(t.partition.ticker());
                }
                dispatch(t);
            }
        }
        if (round != null && round.pending.isEmpty()) {
            finishRound();
        }
    }

    /** Hands bars of {@code t} to the pipeline with the offset after them. */
    private void emit(TickerState t, List<RawBar> bars) {
        SourceOffset offset = t.offset();
        ready.add(new SourceEvent.Bars(t.partition, bars, offset));
        if (t.awaitingDurable != null) {
            t.awaitingDurable.add(offset);
        }
    }

    /** A connection is up: the repairs its first bars start are timed from now until they are all durable. */
    private void startRound(long connectedAt) {
        if (round != null && !round.pending.isEmpty()) {
            LOG.warn("Polygon stream: reconnected before the last connection's repairs were durable ({} tickers"
                    + " left); they go on as part of this one", round.pending.size());
        }
        round = new RepairRound(connectedAt);
        for (TickerState t : tickers.values()) {
            t.awaitingDurable = null;
        }
    }

    private void finishRound() {
        Duration took = Duration.ofNanos(System.nanoTime() - round.connectedAt);
        observer.time(Metrics.REPAIR_DURATION, took);
        LOG.info("Polygon stream: every gap is repaired and durable {} ms after connecting ({} minutes from REST)",
                took.toMillis(), round.minutes);
        round = null;
    }

    private void dispatch(TickerState t) {
        if (t.repairing || t.gapFrom == Long.MAX_VALUE || t.gapTo == OPEN_END && t.openFetched) {
            return; // an open gap is fetched once; the new connection's first minute closes it
        }
        t.repairing = true;
        boolean open = t.gapTo == OPEN_END;
        t.openFetched |= open;
        long from = t.gapFrom;
        long to = open ? from + ws.maxRepairSpan().toMillis() : t.gapTo;
        String ticker = t.partition.ticker();
        repairs.execute(() -> {
            Repaired result;
            try {
                List<RawBar> bars = new ArrayList<>();
                rest.fetchChain(rest.minuteRangeUri(ticker, from, to),
                        PageParser.Target.ticker(ticker, Timespan.MINUTE, false), page -> {
                            for (RawBar b : page.bars()) {
                                if (b.startMs() >= from && b.startMs() <= to) {
                                    bars.add(b);
                                }
                            }
                        });
                // An open gap's answer vouches only up to its last bar: later minutes may not have ended yet.
                long through = !open ? to : bars.stream().mapToLong(RawBar::startMs).max().orElse(from - MINUTE);
                result = new Repaired(ticker, from, through, bars, null, open, false);
            } catch (FetchFailure e) {
                result = new Repaired(ticker, from, to, List.of(), e.getMessage(), open, e.breakerOpen());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                result = new Repaired(ticker, from, to, List.of(), e.toString(), open, false);
            }
            try {
                inbox.put(result);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private void onRepaired(Repaired r) {
        TickerState t = tickers.get(r.ticker());
        t.repairing = false;
        if (r.error() != null) {
            if (r.open()) {
                t.openFetched = false; // the retry fetches the open gap again
            }
            observer.count(Metrics.REPAIR_FAILURES, 1);
            long retryMillis = ws.minReconnect().toMillis() * 5;
            if (r.breakerOpen()) {
                waitingForBreaker.add(r.ticker());
            }
            if (r.breakerOpen() && restPaused) {
                // Said when the pause began: every ticker retrying into the open breaker is not news.
                LOG.debug("{}: repair waits for REST's circuit breaker, trying again in {} ms", r.ticker(),
                        retryMillis);
            } else if (r.breakerOpen()) {
                restPaused = true;
                LOG.warn("Polygon stream: gap repairs paused, REST's circuit breaker is open: {}. A repair is let"
                        + " through again {} after it opened (repair-breaker-delay); repairs resume when REST answers"
                        + " right", redactor.redact(r.error()), ws.repairBreakerDelay());
            } else {
                LOG.warn("{}: repairing {}..{} from REST failed, trying again: {}", r.ticker(),
                        MarketTime.eastern(r.from()), MarketTime.eastern(r.to()), redactor.redact(r.error()));
            }
            try {
                retryTimer.schedule(() -> {
                    try {
                        inbox.put(new Retry(r.ticker()));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, retryMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // closed meanwhile: nothing to retry
            }
            return;
        }
        if (restPaused && rest.breakerClosed()) {
            // A good answer closed the breaker: the others need not wait for their retry timers (those find nothing
            // left to do). A success that was under way before the breaker opened does not count.
            restPaused = false;
            LOG.info("Polygon stream: REST answers right again; gap repairs resume ({} tickers were waiting)",
                    waitingForBreaker.size());
            for (String waiting : waitingForBreaker) {
                if (!waiting.equals(r.ticker())) {
                    dispatch(tickers.get(waiting));
                }
            }
            waitingForBreaker.clear();
        }
        for (RawBar b : r.bars()) {
            t.lastSeen = Math.max(t.lastSeen, b.startMs());
        }
        t.repaired(r.from(), r.to());
        observer.count(Metrics.REPAIRED_MINUTES, r.bars().size());
        if (!r.bars().isEmpty()) {
            // DEBUG: a reconnect of thousands of tickers repairs each; one INFO line sums the round up.
            LOG.debug("{}: repaired {} minutes of {}..{} from REST", r.ticker(), r.bars().size(),
                    MarketTime.eastern(r.from()), MarketTime.eastern(r.to()));
        }
        t.advanceWatermark(watermarkMinute);
        // A reconnect's ticker is repaired once what REST held at the reconnect is in (the rest of its gap is
        // minutes the new connection delivers); any other once its whole gap is.
        if (round != null && (r.open() || t.gapFrom == Long.MAX_VALUE) && round.pending.contains(r.ticker())
                && t.awaitingDurable == null) {
            round.minutes += r.bars().size();
            t.awaitingDurable = new ArrayList<>(2); // its repair is done once this event is durable
        }
        emit(t, r.bars());
        dispatch(t); // a gap that grew while this repair ran
    }

    /** Durable: how long the last minute took from the wire to the store, and whether a repair is complete. */
    void written(SourcePartition partition, SourceOffset offset) {
        TickerState t = tickers.get(partition.ticker());
        if (t != null && t.awaitingDurable != null && containsSame(t.awaitingDurable, offset)) {
            t.awaitingDurable = null;
            if (round != null && round.pending.remove(partition.ticker()) && round.pending.isEmpty()) {
                finishRound();
            }
        }
        long[] seen = newestReceived.get(partition.ticker());
        if (seen != null && seen[0] != Long.MIN_VALUE && seen[0] == parse(offset.get("last_minute"))) {
            observer.time(Metrics.RECEIVE_TO_DURABLE, Duration.ofNanos(System.nanoTime() - seen[1]));
            newestReceived.remove(partition.ticker(), seen);
        }
    }

    private void throwIfFatal() {
        String reason = fatal.get();
        if (reason != null) {
            throw new SourceException(reason);
        }
    }

    // ------------------------------------------------------------------------------------------ the connection side

    private void connectForever() {
        int failures = 0;
        while (!closed && fatal.get() == null) {
            long connectedAt = System.nanoTime();
            String why;
            try {
                why = connectOnce();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                why = e.toString();
            }
            observer.gauge(Metrics.STREAM_CONNECTED, 0);
            if (closed || fatal.get() != null) {
                return;
            }
            observer.count(Metrics.STREAM_RECONNECTS, 1);
            boolean stable = System.nanoTime() - connectedAt >= ws.stablePeriod().toNanos();
            failures = stable ? 0 : failures + 1;
            long pause = Math.min(ws.maxReconnect().toMillis(), ws.minReconnect().toMillis() << Math.min(failures,
                    16));
            pause = pause / 2 + ThreadLocalRandom.current().nextLong(pause / 2 + 1);
            if ("max_connections".equals(lastServerStatus)) {
                // Another client with this key connected; coming straight back would just push it off in turn.
                pause = Math.max(pause, ws.maxReconnect().toMillis() / 2);
            }
            LOG.warn("Polygon stream disconnected ({}); reconnecting in {} ms", why, pause);
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One connection, from the handshake to its end. @return why it ended */
    private String connectOnce() throws InterruptedException {
        Listener listener = new Listener();
        WebSocket s;
        try {
            s = http.newWebSocketBuilder().connectTimeout(HANDSHAKE_TIMEOUT).buildAsync(ws.url(), listener)
                    .get(HANDSHAKE_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return "cannot connect to " + ws.url() + ": " + cause;
        }
        socket = s;
        lastHeard = System.nanoTime();
        try {
            if (!await(listener.connected)) {
                return "no 'connected' status from the server";
            }
            send(s, authMessage());
            Boolean ok = awaitValue(listener.authenticated);
            if (ok == null) {
                return "no answer to auth";
            }
            if (!ok) {
                String message = "auth_failed: the server rejected the API key (" + listener.authMessage + ")";
                fatal.set(message);
                LOG.error("Polygon stream: {}", message);
                inbox.offer(new Connected(System.nanoTime())); // wake the pipeline so that it sees the failure
                return message;
            }
            subscribe(s);
            observer.gauge(Metrics.STREAM_CONNECTED, 1);
            LOG.info("Polygon stream connected to {} and subscribed to {} tickers", ws.url(), tickers.size());
            inbox.put(new Connected(System.nanoTime()));
            return watch(s, listener);
        } finally {
            s.abort();
            socket = null;
        }
    }

    /** Pings and waits until the connection ends or falls silent. */
    private String watch(WebSocket s, Listener listener) throws InterruptedException {
        long nextPing = System.nanoTime() + ws.pingInterval().toNanos();
        while (!closed) {
            String ended = listener.ended.getNow(null);
            if (ended != null) {
                return ended;
            }
            long now = System.nanoTime();
            if (now - lastHeard > ws.silenceTimeout().toNanos()) {
                observer.count(Metrics.STREAM_SILENT_ABORTS, 1);
                return "silent for " + ws.silenceTimeout() + " (no message, no answer to a ping)";
            }
            if (now - nextPing >= 0) {
                nextPing = now + ws.pingInterval().toNanos();
                listener.ping(s);
            }
            try {
                listener.ended.get(Math.min(200, ws.pingInterval().toMillis()), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
                // go round: time to check silence and pings
            }
        }
        return "closed";
    }

    private void subscribe(WebSocket s) {
        for (String message : subscribeMessages(tickers.keySet(), SUBSCRIBE_CHUNK_CHARS)) {
            send(s, message);
        }
    }

    /** {@code subscribe} messages for {@code AM.<T>} of every ticker, each at most {@code maxChars} long. */
    static List<String> subscribeMessages(Iterable<String> symbols, int maxChars) {
        String head = "{\"action\":\"subscribe\",\"params\":\"";
        String tail = "\"}";
        List<String> messages = new ArrayList<>();
        StringBuilder params = new StringBuilder();
        for (String ticker : symbols) {
            String topic = "AM." + ticker;
            if (params.length() > 0 && head.length() + params.length() + 1 + topic.length() + tail.length() > maxChars) {
                messages.add(head + params + tail);
                params.setLength(0);
            }
            if (params.length() > 0) {
                params.append(',');
            }
            params.append(topic);
        }
        if (params.length() > 0) {
            messages.add(head + params + tail);
        }
        return messages;
    }

    private String authMessage() {
        // The simulator may run without a key: any text is accepted then.
        return settings.apiKey() != null ? settings.apiKey().authMessage()
                : "{\"action\":\"auth\",\"params\":\"none\"}";
    }

    /** Sends one text message and waits for it to go out: the JDK allows one outstanding send of a kind. */
    private static void send(WebSocket s, String text) {
        s.sendText(text, true).join();
    }

    private boolean await(CompletableFuture<?> f) throws InterruptedException {
        return awaitValue(f) != null;
    }

    private <T> T awaitValue(CompletableFuture<T> f) throws InterruptedException {
        try {
            return f.get(HANDSHAKE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            return null;
        }
    }

    /** Reads one connection: text arrives in parts; whole messages are parsed and queued at once. */
    private final class Listener implements WebSocket.Listener {
        final CompletableFuture<Boolean> connected = new CompletableFuture<>();
        final CompletableFuture<Boolean> authenticated = new CompletableFuture<>();
        final CompletableFuture<String> ended = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();
        /** When the first part of the message being assembled arrived. */
        private long messageStarted;
        private final java.util.concurrent.atomic.AtomicBoolean pinging = new java.util.concurrent.atomic.AtomicBoolean();
        volatile String authMessage;

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            lastHeard = System.nanoTime();
            if (text.length() == 0) {
                messageStarted = lastHeard; // receive-to-durable counts from the wire, queue and parsing included
            }
            text.append(data);
            if (last) {
                String message = text.toString();
                text.setLength(0);
                observer.count(Metrics.STREAM_MESSAGES, 1);
                StreamMessages.Frame frame = StreamMessages.parse(message);
                for (StreamMessages.Status status : frame.statuses()) {
                    onStatus(status);
                }
                if (!frame.bars().isEmpty() || !frame.invalid().isEmpty()) {
                    try {
                        // Waits only when the pipeline is this far behind: back-pressure.
                        inbox.put(new Received(frame, messageStarted));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return null;
                    }
                }
            }
            webSocket.request(1);
            return null;
        }

        private void onStatus(StreamMessages.Status status) {
            String s = status.status() == null ? "" : status.status();
            observer.count(Metrics.STREAM_STATUSES, 1, Metrics.STATUS, s);
            switch (s) {
                case "connected" -> connected.complete(true);
                case "auth_success" -> authenticated.complete(true);
                case "auth_failed", "auth_timeout" -> {
                    authMessage = redactor.redact(status.message());
                    authenticated.complete(false);
                }
                case "success" -> {
                    if (status.message() != null && status.message().startsWith("Connected")) {
                        connected.complete(true); // the spec's example greets with "success"
                    }
                }
                case "max_connections", "force_disconnect", "slow_consumer" -> {
                    lastServerStatus = s;
                    LOG.warn("Polygon stream: the server says {} ({})", s, status.message());
                }
                case "error" -> LOG.warn("Polygon stream: server error status: {}", redactor.redact(status.message()));
                default -> LOG.debug("Polygon stream status {}: {}", s, status.message());
            }
        }

        void ping(WebSocket s) {
            if (pinging.compareAndSet(false, true)) {
                s.sendPing(ByteBuffer.wrap(new byte[] {'t', 'e'})).whenComplete((w, e) -> pinging.set(false));
            }
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            lastHeard = System.nanoTime();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            lastHeard = System.nanoTime();
            webSocket.request(1);
            return null; // the JDK answers pings itself
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            ended.complete("closed by the server (" + statusCode + (reason == null || reason.isEmpty() ? ""
                    : " " + reason) + ")");
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            ended.complete(error.toString());
        }
    }

    void close() {
        closed = true;
        connector.interrupt();
        WebSocket s = socket;
        if (s != null) {
            s.abort();
        }
        repairs.shutdownNow();
        retryTimer.shutdownNow();
        rest.close();
        try {
            connector.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------------------------------ state

    /** What the pipeline thread knows about one ticker. */
    private static final class TickerState {
        final SourcePartition partition;
        long lastSeen = Long.MIN_VALUE;
        long watermark = Long.MIN_VALUE;
        /** An unrepaired gap [gapFrom, gapTo]; gapFrom is MAX_VALUE when there is none. */
        long gapFrom = Long.MAX_VALUE;
        long gapTo = Long.MIN_VALUE;
        boolean repairing;
        /**
         * After its repair: the offsets handed over since, until the pipeline reports one of them durable. The
         * pipeline reports a write by the offset of its last event, so any of these means the repair is stored.
         */
        List<SourceOffset> awaitingDurable;
        /** A reconnect's open gap: where it began, and whether its one fetch has gone out. */
        long openFrom;
        boolean openFetched;

        TickerState(SourcePartition partition) {
            this.partition = partition;
        }

        void addGap(long from, long to) {
            gapFrom = Math.min(gapFrom, from);
            gapTo = Math.max(gapTo, to);
        }

        /** REST answered [from, to]: that part of the gap is closed. */
        void repaired(long from, long to) {
            if (from <= gapFrom && to >= gapTo) {
                gapFrom = Long.MAX_VALUE;
                gapTo = Long.MIN_VALUE;
                if (watermark == Long.MIN_VALUE) {
                    watermark = from - MINUTE; // complete from here on: before it, nothing was asked
                }
            } else if (to >= gapFrom) {
                gapFrom = to + MINUTE;
            }
        }

        /** Moves the watermark to {@code candidate}, never past an open gap. @return whether it moved */
        boolean advanceWatermark(long candidate) {
            if (watermark == Long.MIN_VALUE && gapFrom == Long.MAX_VALUE) {
                return false; // nothing known complete yet
            }
            long limit = gapFrom == Long.MAX_VALUE ? candidate : Math.min(candidate, gapFrom - MINUTE);
            if (limit > watermark) {
                watermark = limit;
                return true;
            }
            return false;
        }

        SourceOffset offset() {
            Map<String, String> o = new HashMap<>(2);
            if (lastSeen != Long.MIN_VALUE) {
                o.put("last_minute", Long.toString(lastSeen));
            }
            if (watermark != Long.MIN_VALUE) {
                o.put(SourceOffset.COMPLETE_THROUGH, Long.toString(watermark));
            }
            return new SourceOffset(o);
        }
    }

    /** The repairs after one connection came up: which tickers' gaps are not yet repaired and durable. */
    private static final class RepairRound {
        final long connectedAt;
        final java.util.Set<String> pending = new java.util.HashSet<>();
        long minutes;

        RepairRound(long connectedAt) {
            this.connectedAt = connectedAt;
        }
    }

    private static boolean containsSame(List<SourceOffset> offsets, SourceOffset offset) {
        for (SourceOffset o : offsets) {
            if (o == offset) {
                return true;
            }
        }
        return false;
    }

    /** A parsed message and when it started to arrive. */
    private record Received(StreamMessages.Frame frame, long atNanos) {
    }

    /** A REST answer for [from, to]; {@code open}: asked without an end, {@code to} is its last bar. */
    private record Repaired(String ticker, long from, long to, List<RawBar> bars, String error, boolean open,
                            boolean breakerOpen) {
    }

    private record Retry(String ticker) {
    }

    /** A connection is up and subscribed to every ticker. */
    private record Connected(long atNanos) {
    }

    private static long parse(String value) {
        if (value == null) {
            return Long.MIN_VALUE;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }

    @Override
    public String toString() {
        return "StreamRun[" + ws.url() + ", " + tickers.size() + " tickers]";
    }
}
