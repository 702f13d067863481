package dev.tickeretl.bench;

import dev.tickeretl.internal.DaemonThreads;

import dev.tickeretl.Bar;
import dev.tickeretl.MarketTime;
import dev.tickeretl.Store;
import dev.tickeretl.Timespan;
import dev.tickeretl.internal.StoreLayout;
import dev.tickeretl.simulator.PolygonSimulator;
import dev.tickeretl.simulator.SimulatedBar;
import dev.tickeretl.simulator.StreamFaultPlan;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The real-time benchmarks of issue 11, each against the Polygon simulator (in this JVM, on 127.0.0.1) with the
 * streaming pipeline in a JVM of its own ({@link StreamBenchClient}, {@code -Xmx256m}) writing a file store on the
 * real disk:
 *
 * <ul>
 *   <li>{@code burst}: 10,000 tickers, the market clock stopped and moved one minute at a time; each minute's
 *       10,000 AM events go out at once. Receive-to-durable per ticker (the source's
 *       {@code ticker_etl_receive_to_durable}) per burst and overall; the client's heap.</li>
 *   <li>{@code day}: 3,000 tickers, a trading day replayed at 60x with revisions at the simulator's default rate.
 *       Heap in use after each collection over time; afterwards the store against the simulator's final bars of
 *       every ticker: lost minutes, duplicates, stale revisions.</li>
 *   <li>{@code outage}: 3,000 tickers on a real-time clock; the WebSocket is down for 60 s (connections reset,
 *       handshakes refused, REST up). Reconnect to every missed minute repaired and durable
 *       ({@code ticker_etl_repair_duration}), and the store against the truth.</li>
 * </ul>
 *
 * <pre>
 * java -cp benchmarks.jar dev.tickeretl.bench.StreamBench all|burst|day|outage [key=value ...]
 * </pre>
 *
 * Keys (defaults in {@link Settings}): {@code work} (directory for stores and logs), {@code keep}, {@code heap},
 * {@code burst-tickers}, {@code bursts}, {@code warmup-bursts}, {@code burst-gap}, {@code day-tickers},
 * {@code day-speed}, {@code day-from}, {@code day-to}, {@code outage-tickers}, {@code outage-speed},
 * {@code outage-after}, {@code outage-length}, {@code outage-tail}, and the pipeline's knobs {@code flush-interval},
 * {@code commit-interval}, {@code writer-threads}, {@code max-buffered-bars}, {@code compact-interval}. Prints one
 * Markdown section per scenario.
 */
public final class StreamBench {

    static final LocalDate DAY = LocalDate.of(2025, 1, 2);
    static final String R2D = "ticker_etl_receive_to_durable";
    static final String REPAIR = "ticker_etl_repair_duration";

    private StreamBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: StreamBench all|burst|day|outage [key=value ...]");
            System.exit(2);
        }
        Settings s = Settings.of(StreamBenchClient.arguments(Arrays.copyOfRange(args, 1, args.length)));
        Files.createDirectories(s.work);
        System.out.println(machine(s.work));
        boolean ok = true;
        for (String scenario : args[0].equals("all") ? List.of("burst", "day", "outage") : List.of(args[0])) {
            Result r = switch (scenario) {
                case "burst" -> burst(s);
                case "day" -> day(s);
                case "outage" -> outage(s);
                default -> throw new IllegalArgumentException("scenario: expected all, burst, day or outage, got '"
                        + scenario + "'");
            };
            System.out.println();
            System.out.println(r.report());
            System.out.printf(Locale.ROOT, "(load average %.1f when it ended)%n",
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            System.out.flush();
            ok &= r.met();
        }
        if (!s.keep) {
            BenchData.deleteTree(s.work);
        }
        System.exit(ok ? 0 : 1);
    }

    // ------------------------------------------------------------------------------------------------ settings

    /** What a run of the bench is told; {@link #smoke} is the tiny version {@code mvn verify} runs. */
    record Settings(Path work, boolean keep, String heap, Map<String, String> knobs, int burstTickers, int bursts,
                    int warmupBursts, Duration burstGap, int dayTickers, double daySpeed, LocalTime dayFrom,
                    LocalTime dayTo, int outageTickers, double outageSpeed, Duration outageAfter,
                    Duration outageLength, Duration outageTail, String logLevel, String clientJvm) {

        static Settings of(Map<String, String> a) throws IOException {
            Path work = a.containsKey("work") ? Path.of(a.get("work"))
                    : Files.createTempDirectory("ticker-etl-stream-bench");
            Map<String, String> knobs = new LinkedHashMap<>();
            for (String k : List.of("flush-interval", "commit-interval", "writer-threads", "max-buffered-bars",
                    "compact-interval")) {
                if (a.containsKey(k)) {
                    knobs.put(k, a.get(k));
                }
            }
            return new Settings(work, Boolean.parseBoolean(a.getOrDefault("keep", "false")),
                    a.getOrDefault("heap", "256m"), knobs,
                    Integer.parseInt(a.getOrDefault("burst-tickers", "10000")),
                    Integer.parseInt(a.getOrDefault("bursts", "10")),
                    Integer.parseInt(a.getOrDefault("warmup-bursts", "2")),
                    Duration.parse(a.getOrDefault("burst-gap", "PT5S")),
                    Integer.parseInt(a.getOrDefault("day-tickers", "3000")),
                    Double.parseDouble(a.getOrDefault("day-speed", "60")),
                    LocalTime.parse(a.getOrDefault("day-from", "09:25")),
                    LocalTime.parse(a.getOrDefault("day-to", "16:20")),
                    Integer.parseInt(a.getOrDefault("outage-tickers", "3000")),
                    Double.parseDouble(a.getOrDefault("outage-speed", "1")),
                    Duration.parse(a.getOrDefault("outage-after", "PT2M30S")),
                    Duration.parse(a.getOrDefault("outage-length", "PT60S")),
                    Duration.parse(a.getOrDefault("outage-tail", "PT2M")),
                    a.getOrDefault("log-level", "info"), a.getOrDefault("client-jvm", ""));
        }
    }

    /** One scenario's outcome: a Markdown section, whether every target was met, and its main numbers. */
    record Result(String report, boolean met, Map<String, Long> numbers) {
    }

    // ------------------------------------------------------------------------------------------------ burst

    static Result burst(Settings s) throws Exception {
        List<String> tickers = PolygonSimulator.generatedUniverse(s.burstTickers);
        Instant open = at(LocalTime.of(9, 30));
        StringBuilder out = new StringBuilder();
        List<long[]> perBurst = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        List<long[]> spans = new ArrayList<>(); // per burst: advance, last durable (epoch ms)
        List<Double> loads = new ArrayList<>();
        try (PolygonSimulator sim = PolygonSimulator.builder().universe(tickers).marketClock(open, 0)
                .streamFaults(StreamFaultPlan.none()).start();
             Client client = Client.start("burst", s, sim, tickers)) {
            client.awaitConnected(Duration.ofSeconds(60));
            Thread.sleep(1_000); // the subscribe message (10,000 topics) is read after the connected gauge
            long startupRepairMs = -1;
            long measuredEvents = 0;
            for (int i = 0; i < s.warmupBursts + s.bursts; i++) {
                boolean warmup = i < s.warmupBursts;
                long delivered0 = sim.stream().stats().eventsDelivered();
                int done0 = client.size(R2D);
                long t0 = System.currentTimeMillis();
                sim.advanceMarketClock(Duration.ofMinutes(1));
                if (!sim.stream().awaitCaughtUp(Duration.ofSeconds(30))) {
                    throw new IllegalStateException("the simulator did not publish minute " + (i + 1));
                }
                long queuedMs = System.currentTimeMillis() - t0;
                long events = sim.stream().stats().eventsDelivered() - delivered0;
                boolean complete = client.await(() -> client.size(R2D) >= done0 + events, Duration.ofSeconds(60));
                List<long[]> done = client.timings(R2D);
                List<long[]> burst = done.subList(done0, done.size());
                long[] nanos = burst.stream().mapToLong(t -> t[1]).sorted().toArray();
                long lastDurable = burst.stream().mapToLong(t -> t[0]).max().orElse(t0);
                if (i == 0) {
                    // The first bars of a connection start the repair of every ticker's day so far from REST: one
                    // request per ticker. Measured bursts come after it.
                    long r0 = System.currentTimeMillis();
                    client.await(() -> client.count("ticker_etl_repaired_minutes") >= tickers.size(),
                            Duration.ofMinutes(5));
                    startupRepairMs = System.currentTimeMillis() - t0;
                    out.append(String.format(Locale.ROOT, "Start-up repair (one REST request per ticker, %d "
                                    + "answered): done %.1f s after the first burst (waited %.1f s after it)%n",
                            client.count("ticker_etl_repaired_minutes"), startupRepairMs / 1000.0,
                            (System.currentTimeMillis() - r0) / 1000.0));
                }
                if (!warmup) {
                    perBurst.add(nanos);
                    measuredEvents += events;
                }
                // The compaction column is filled in once the run's compaction timings are known; "%%s" keeps a slot.
                rows.add(String.format(Locale.ROOT, "| %d%s | %s | %d | %d | %d | %s | %s | %s | %d | %%s | %.1f |",
                        i + 1, warmup ? " (warm-up)" : "", MarketTime.eastern(open.toEpochMilli() + i * 60_000L)
                                .toLocalTime(), events, nanos.length, queuedMs, ms(pct(nanos, 50)),
                        ms(pct(nanos, 99)), ms(max(nanos)), lastDurable - t0,
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
                spans.add(new long[] {t0, lastDurable});
                if (!complete) {
                    rows.set(rows.size() - 1, rows.get(rows.size() - 1) + "\n| | **" + (events - nanos.length)
                            + " tickers not durable within 60 s** | | | | | | | | | |");
                }
                Thread.sleep(s.burstGap.toMillis());
            }
            Client.Ended end = client.stop();
            long[] all = perBurst.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            Heap heap = client.heap();
            boolean latencyMet = all.length > 0 && pct(all, 99) <= TimeUnit.MILLISECONDS.toNanos(250);
            boolean heapMet = end.exit() == 0 && !client.outOfMemory() && heap.maxUsedBeforeMb() <= 256;
            out.insert(0, String.format(Locale.ROOT, "## Minute burst: %,d tickers, clock stopped, one minute at a "
                            + "time (%d warm-up + %d measured bursts, %s apart)%n%n", tickers.size(), s.warmupBursts,
                    s.bursts, s.burstGap));
            out.append(String.format(Locale.ROOT, "Client: %s, knobs %s; store %s (%s)%n%n", client.jvm(),
                    s.knobs.isEmpty() ? "default" : s.knobs, client.store(), fileSystem(client.store())));
            out.append("| burst | minute (ET) | AM events | durable | advance -> queued ms | p50 ms | p99 ms | max ms "
                    + "| advance -> last durable ms | compaction running | load avg (1 min) |\n"
                    + "|---|---|---|---|---|---|---|---|---|---|---|\n");
            // A compaction's timing is reported when it ends: it ran from (end - duration) to end.
            List<long[]> compactions = client.timings("ticker_etl_compaction_duration").stream()
                    .map(t -> new long[] {t[0] - t[1] / 1_000_000, t[0]}).toList();
            for (int r = 0; r < rows.size(); r++) {
                long[] span = spans.get(r);
                boolean overlapped = compactions.stream().anyMatch(c -> c[0] <= span[1] && c[1] >= span[0]);
                out.append(String.format(Locale.ROOT, rows.get(r), overlapped ? "yes" : "no")).append('\n');
            }
            out.append(String.format(Locale.ROOT, "| **all measured** | | | %,d | | **%s** | **%s** | **%s** | | | |%n%n",
                    all.length, ms(pct(all, 50)), ms(pct(all, 99)), ms(max(all))));
            out.append(String.format(Locale.ROOT, "Segment writes (group commit: temp file, fsync, rename, fsync of "
                    + "the directory): %s%n", summary(client.timings("ticker_etl_segment_write_duration"))));
            out.append(String.format(Locale.ROOT, "Compactions (segments into per-day partitions, beside the "
                    + "stream): %s%n", summary(client.timings("ticker_etl_compaction_duration"))));
            out.append(String.format(Locale.ROOT, "Offset commits (every ticker's offset in one file): %s; heartbeats"
                            + " (the run record): %s%n", summary(client.timings("ticker_etl_offset_commit_duration")),
                    summary(client.timings("ticker_etl_heartbeat_duration"))));
            out.append(String.format(Locale.ROOT, "Heap: peak in use %d MB before a collection, at most %d MB "
                            + "after one; %d collections; run %s (exit %d)%n", heap.maxUsedBeforeMb(),
                    heap.maxUsedAfterMb(), heap.collections(), end.summary(), end.exit()));
            out.append(String.format(Locale.ROOT, "%nTargets: p99 receive -> durable <= 250 ms: **%s** (%s ms); "
                            + "heap <= 256 MB: **%s**%n", latencyMet ? "met" : "MISSED", ms(pct(all, 99)),
                    heapMet ? "met" : "MISSED"));
            return new Result(out.toString(), latencyMet && heapMet, Map.of("bursts", (long) perBurst.size(),
                    "measured_events", measuredEvents, "measured_durable", (long) all.length, "p99_ns",
                    pct(all, 99), "exit", (long) end.exit()));
        }
    }

    // ------------------------------------------------------------------------------------------------ day

    static Result day(Settings s) throws Exception {
        List<String> tickers = PolygonSimulator.generatedUniverse(s.dayTickers);
        Instant from = at(s.dayFrom);
        Instant to = at(s.dayTo);
        StringBuilder out = new StringBuilder();
        try (PolygonSimulator sim = PolygonSimulator.builder().universe(tickers).marketClock(from, s.daySpeed)
                .streamFaults(StreamFaultPlan.defaults()).start();
             Client client = Client.start("day", s, sim, tickers)) {
            long t0 = System.currentTimeMillis();
            client.awaitConnected(Duration.ofSeconds(60));
            Instant connectedAt = sim.marketTime();
            long wallMs = (long) (Duration.between(from, to).toMillis() / s.daySpeed);
            long nextNote = System.currentTimeMillis() + 60_000;
            while (sim.marketTime().isBefore(to)) {
                Thread.sleep(200);
                if (System.currentTimeMillis() >= nextNote) {
                    nextNote += 60_000;
                    System.err.printf(Locale.ROOT, "stream bench day: market %s, %.0f%% (heap after GC %s MB)%n",
                            MarketTime.eastern(sim.marketTime().toEpochMilli()).toLocalTime(),
                            100.0 * (System.currentTimeMillis() - t0) / wallMs, client.heap().lastAfterMb());
                }
            }
            var stats = sim.stream().stats();
            Client.Ended end = client.stop();
            Heap heap = client.heap();
            Comparison cmp = compare(client.store(), sim, tickers, at(LocalTime.of(9, 30)), at(LocalTime.of(16, 0)));
            // Warm-up: the first minute, or the first fifth of a short run (JIT, the start-up repair, first buffers).
            Flatness flat = heap.flatness(client.startedAtMs(), Math.min(60_000, (System.currentTimeMillis()
                    - client.startedAtMs()) / 5), 6);
            boolean met = cmp.lost() == 0 && cmp.duplicates() == 0 && cmp.stale() == 0 && cmp.extra() == 0
                    && flat.flat() && end.exit() == 0 && !client.outOfMemory();
            out.append(String.format(Locale.ROOT, "## A trading day: %,d tickers at %.0fx (market %s..%s ET, %.1f "
                            + "min wall)%n%n", tickers.size(), s.daySpeed, s.dayFrom, s.dayTo, wallMs / 60_000.0));
            out.append(String.format(Locale.ROOT, "Client: %s, knobs %s; store %s (%s)%n", client.jvm(),
                    s.knobs.isEmpty() ? "default" : s.knobs, client.store(), fileSystem(client.store())));
            out.append(String.format(Locale.ROOT, "Simulator: client connected at %s ET (market time); %,d minutes "
                            + "published, %,d AM events (%,d revisions), %,d delivered; run %s (exit %d)%n%n",
                    MarketTime.eastern(connectedAt.toEpochMilli()).toLocalTime().withNano(0),
                    stats.minutesPublished(), stats.eventsPublished(), stats.revisionsPublished(),
                    stats.eventsDelivered(), end.summary(), end.exit()));
            out.append(flat.table());
            out.append(String.format(Locale.ROOT, "%nPeak heap in use %d MB before a collection; %d collections.%n",
                    heap.maxUsedBeforeMb(), heap.collections()));
            out.append(String.format(Locale.ROOT, "Receive -> durable over the day: %s%n",
                    summary(client.timings(R2D))));
            out.append(String.format(Locale.ROOT, "Compactions: %s%n",
                    summary(client.timings("ticker_etl_compaction_duration"))));
            out.append(String.format(Locale.ROOT, "%nStore against the simulator's final bars, 9:30-16:00, every "
                            + "ticker: %,d minutes expected, %,d stored; lost %d, duplicates %d, stale revisions %d, "
                            + "extra %d; %d segment files left%n", cmp.expected(), cmp.stored(), cmp.lost(),
                    cmp.duplicates(), cmp.stale(), cmp.extra(), cmp.segmentsLeft()));
            out.append(String.format(Locale.ROOT, "%nTargets: heap flat after warm-up: **%s** (%s); 0 lost minutes: "
                            + "**%s**; 0 duplicates: **%s**%n", flat.flat() ? "met" : "MISSED", flat.verdict(),
                    cmp.lost() == 0 ? "met" : "MISSED", cmp.duplicates() == 0 ? "met" : "MISSED"));
            return new Result(out.toString(), met, Map.of("expected", cmp.expected(), "lost", cmp.lost(),
                    "duplicates", cmp.duplicates(), "stale", cmp.stale(), "extra", cmp.extra(), "collections",
                    heap.collections(), "exit", (long) end.exit()));
        }
    }

    // ------------------------------------------------------------------------------------------------ outage

    static Result outage(Settings s) throws Exception {
        List<String> tickers = PolygonSimulator.generatedUniverse(s.outageTickers);
        Instant from = at(LocalTime.of(9, 30));
        Instant outageAt = from.plus(s.outageAfter);
        StringBuilder out = new StringBuilder();
        try (PolygonSimulator sim = PolygonSimulator.builder().universe(tickers).marketClock(from, s.outageSpeed)
                .streamFaults(StreamFaultPlan.builder().outage(outageAt, s.outageLength).build()).start();
             Client client = Client.start("outage", s, sim, tickers)) {
            client.awaitConnected(Duration.ofSeconds(60));
            Instant outageEnd = outageAt.plus(s.outageLength);
            while (sim.marketTime().isBefore(outageEnd)) {
                Thread.sleep(100);
            }
            long endWall = System.currentTimeMillis();
            // The repair round of the connection made after the outage: its timing comes after that connection.
            boolean repaired = client.await(() -> repairAfterReconnect(client) != null, Duration.ofMinutes(3));
            long repairedWall = System.currentTimeMillis();
            Thread.sleep(s.outageTail.toMillis());
            Instant lastMinute = sim.stream().stats().lastPublishedMinute();
            Client.Ended end = client.stop();
            long downAt = firstGauge(client, 0, Long.MIN_VALUE);
            long upAgain = firstGauge(client, 1, downAt);
            long[] repair = repairAfterReconnect(client);
            long repairNanos = repair == null ? -1 : repair[1];
            long repairedAfter = upAgain < 0 ? 0 : client.counts("ticker_etl_repaired_minutes").stream()
                    .filter(c -> c[0] >= upAgain).mapToLong(c -> c[1]).sum();
            // Minutes up to 15 minutes before the last published one are final; later ones may still be revised.
            Instant finalThrough = lastMinute == null ? from : lastMinute.minus(Duration.ofMinutes(15));
            Comparison cmp = compare(client.store(), sim, tickers, from, lastMinute == null ? from
                    : lastMinute.plusSeconds(60));
            boolean met = repaired && repairNanos >= 0 && repairNanos <= TimeUnit.SECONDS.toNanos(10)
                    && cmp.lost() == 0 && cmp.duplicates() == 0 && end.exit() == 0;
            out.append(String.format(Locale.ROOT, "## WebSocket outage: %,d tickers, clock at %.0fx, down for %s "
                            + "(connections reset, handshakes refused, REST up)%n%n", tickers.size(), s.outageSpeed,
                    s.outageLength));
            out.append(String.format(Locale.ROOT, "Client: %s, knobs %s; store %s (%s)%n%n", client.jvm(),
                    s.knobs.isEmpty() ? "default" : s.knobs, client.store(), fileSystem(client.store())));
            out.append("| step | at (s after the outage began) |\n|---|---|\n");
            out.append(String.format(Locale.ROOT, "| connection lost | 0 |%n| outage over (handshakes accepted) | "
                    + "%.1f |%n| reconnected and subscribed | %s |%n| every missed minute repaired and durable | %s |%n",
                    (endWall - downAt) / 1000.0, upAgain < 0 ? "never" : secs(upAgain - downAt),
                    repairNanos < 0 ? "never" : secs(upAgain - downAt + repairNanos / 1_000_000)));
            out.append(String.format(Locale.ROOT, "%nReconnect -> repaired (`%s`): **%s**; %,d minutes repaired "
                            + "from REST after the reconnect; in all %,d REST answers (start-up included), %d repair "
                            + "failures, %d reconnect attempts%n", REPAIR,
                    repairNanos < 0 ? "never" : secs(repairNanos / 1_000_000), repairedAfter,
                    client.count("ticker_etl_repaired_minutes"), client.count("ticker_etl_repair_failures"),
                    client.sum("ticker_etl_stream_reconnects")));
            out.append(String.format(Locale.ROOT, "Store against the simulator's final bars, 9:30 to the last "
                            + "published minute (%s ET; minutes after %s ET may still be revised): %,d expected, "
                            + "%,d stored; lost %d, duplicates %d, stale %d (of them after %s: %d), extra %d%n",
                    lastMinute == null ? "-" : MarketTime.eastern(lastMinute.toEpochMilli()).toLocalTime(),
                    MarketTime.eastern(finalThrough.toEpochMilli()).toLocalTime(), cmp.expected(), cmp.stored(),
                    cmp.lost(), cmp.duplicates(), cmp.stale(), MarketTime.eastern(finalThrough.toEpochMilli())
                            .toLocalTime(), cmp.staleAfter(finalThrough), cmp.extra()));
            out.append(String.format(Locale.ROOT, "Run %s (exit %d); waited for the repair until %.1f s after the "
                    + "outage ended%n", end.summary(), end.exit(), (repairedWall - endWall) / 1000.0));
            out.append(String.format(Locale.ROOT, "%nTargets: every missed minute repaired within 10 s of "
                            + "reconnecting: **%s**; 0 lost, 0 duplicates: **%s**%n",
                    repairNanos >= 0 && repairNanos <= TimeUnit.SECONDS.toNanos(10) ? "met" : "MISSED",
                    cmp.lost() == 0 && cmp.duplicates() == 0 ? "met" : "MISSED"));
            return new Result(out.toString(), met, Map.of("repair_ns", repairNanos, "expected", cmp.expected(),
                    "lost", cmp.lost(), "duplicates", cmp.duplicates(), "exit", (long) end.exit()));
        }
    }

    /** (epoch ms, nanos) of the first repair round reported after the connection made once the outage ended. */
    static long[] repairAfterReconnect(Client client) {
        long downAt = firstGauge(client, 0, Long.MIN_VALUE);
        long upAgain = downAt < 0 ? -1 : firstGauge(client, 1, downAt);
        if (upAgain < 0) {
            return null;
        }
        return client.timings(REPAIR).stream().filter(t -> t[0] >= upAgain).findFirst().orElse(null);
    }

    /** When the connected gauge first took {@code value} after {@code after} (epoch ms), or -1. */
    static long firstGauge(Client client, long value, long after) {
        return client.gauges("ticker_etl_stream_connected").stream().filter(g -> g[1] == value && g[0] > after)
                .mapToLong(g -> g[0]).min().orElse(-1);
    }

    // ------------------------------------------------------------------------------------------------ checking

    /** The stored minutes against the simulator's final bars, per ticker; raw lines for duplicates. */
    record Comparison(long expected, long stored, long lost, long duplicates, long stale, long extra,
                      long segmentsLeft, List<Long> staleMinutes) {
        long staleAfter(Instant t) {
            return staleMinutes.stream().filter(m -> m >= t.toEpochMilli()).count();
        }
    }

    static Comparison compare(Path storeDir, PolygonSimulator sim, List<String> tickers, Instant from, Instant to)
            throws IOException {
        long expected = 0, stored = 0, lost = 0, stale = 0, extra = 0;
        List<Long> staleMinutes = new ArrayList<>();
        try (Store store = Store.open(storeDir.toUri())) {
            for (String ticker : tickers) {
                Map<Long, Bar> have = new HashMap<>();
                for (Bar b : store.bars(ticker, Timespan.MINUTE, DAY, DAY)) {
                    if (b.startMs() >= from.toEpochMilli() && b.startMs() < to.toEpochMilli()) {
                        have.put(b.startMs(), b);
                    }
                }
                List<SimulatedBar> truth = sim.minuteBars(ticker, from, to);
                expected += truth.size();
                stored += have.size();
                for (SimulatedBar t : truth) {
                    Bar b = have.remove(t.t());
                    if (b == null) {
                        lost++;
                    } else if (b.open() != t.open() || b.high() != t.high() || b.low() != t.low()
                            || b.close() != t.close() || b.volume() != t.volume()) {
                        stale++;
                        staleMinutes.add(t.t());
                    }
                }
                extra += have.size();
            }
        }
        return new Comparison(expected, stored, lost, duplicateLines(storeDir), stale, extra,
                segmentFiles(storeDir), staleMinutes);
    }

    /** Lines in the minute partitions that repeat a (ticker, minute) another line of the same file has. */
    static long duplicateLines(Path storeDir) throws IOException {
        Path root = storeDir.resolve(StoreLayout.dataset(false)).resolve("timespan=minute");
        if (!Files.isDirectory(root)) {
            return 0;
        }
        long duplicates = 0;
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.getFileName().toString().equals(StoreLayout.FILE_NAME)).toList();
        }
        for (Path file : files) {
            java.util.Set<Long> seen = new java.util.HashSet<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank() && !seen.add(Bar.parse(line).startMs())) {
                    duplicates++;
                }
            }
        }
        return duplicates;
    }

    static long segmentFiles(Path storeDir) throws IOException {
        Path dir = storeDir.resolve(StoreLayout.segmentsDirectory(Timespan.MINUTE, false));
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> !p.getFileName().toString().startsWith(".")).count(); // not the lock files
        }
    }

    // ------------------------------------------------------------------------------------------------ the client JVM

    /** The pipeline's JVM and what it reported. */
    static final class Client implements AutoCloseable {
        private final Process process;
        private final Path store;
        private final Path log;
        private final Path events;
        private final String jvm;
        private final long startedAtMs = System.currentTimeMillis();
        private final Map<String, List<long[]>> timings = new HashMap<>();
        private final Map<String, long[]> counts = new HashMap<>();
        private final Map<String, List<long[]>> countLines = new HashMap<>();
        private final Map<String, List<long[]>> gauges = new HashMap<>();
        private final List<long[]> heap = new ArrayList<>();
        private final Thread reader;
        private volatile String run;
        private volatile boolean connected;

        private Client(Process process, Path store, Path log, Path events, String jvm) {
            this.process = process;
            this.events = events;
            this.store = store;
            this.log = log;
            this.jvm = jvm;
            this.reader = DaemonThreads.thread("stream-bench-client-reader", this::read);
            this.reader.start();
        }

        static Client start(String name, Settings s, PolygonSimulator sim, List<String> tickers) throws IOException {
            Path store = s.work.resolve(name + "-store");
            BenchData.deleteTree(store);
            Path tickersFile = s.work.resolve(name + "-tickers.txt");
            Files.write(tickersFile, tickers);
            Path log = s.work.resolve(name + "-client.log");
            Path gcLog = s.work.resolve(name + "-client.gc");
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                            .toString(), "-Xmx" + s.heap, "-Xlog:gc:file=" + gcLog,
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=" + s.logLevel,
                    "-Dorg.slf4j.simpleLogger.showDateTime=true",
                    "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
                    "-cp", System.getProperty("java.class.path")));
            if (!s.clientJvm.isBlank()) {
                cmd.addAll(cmd.size() - 2, List.of(s.clientJvm.strip().split("\\s+")));
            }
            cmd.addAll(List.of(StreamBenchClient.class.getName(),
                    "base-url=" + sim.baseUrl(), "ws-url=" + sim.webSocketUrl(), "tickers-file=" + tickersFile,
                    "store=" + store));
            s.knobs.forEach((k, v) -> cmd.add(k + "=" + v));
            Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
            return new Client(p, store, log, s.work.resolve(name + "-client.events"), "own JVM, -Xmx" + s.heap + ", " + Runtime.version());
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.US_ASCII));
                 java.io.Writer copy = Files.newBufferedWriter(events, StandardCharsets.US_ASCII)) {
                String line;
                while ((line = in.readLine()) != null) {
                    copy.write(line);
                    copy.write('\n');
                    String[] f = line.split(" ");
                    if (f.length < 2 || f[0].isEmpty() || !Character.isDigit(f[0].charAt(0))) {
                        continue; // not ours: e.g. the JVM announcing a flight recording
                    }
                    long at = Long.parseLong(f[0]);
                    synchronized (this) {
                        switch (f[1]) {
                            case "T" -> timings.computeIfAbsent(f[2], k -> new ArrayList<>())
                                    .add(new long[] {at, Long.parseLong(f[3])});
                            case "C" -> {
                                long[] c = counts.computeIfAbsent(f[2], k -> new long[2]);
                                c[0]++;
                                c[1] += Long.parseLong(f[3]);
                                countLines.computeIfAbsent(f[2], k -> new ArrayList<>())
                                        .add(new long[] {at, Long.parseLong(f[3])});
                            }
                            case "G" -> {
                                long v = Math.round(Double.parseDouble(f[3]));
                                gauges.computeIfAbsent(f[2], k -> new ArrayList<>()).add(new long[] {at, v});
                                if (f[2].equals("ticker_etl_stream_connected")) {
                                    connected = v == 1;
                                }
                            }
                            case "H" -> heap.add(new long[] {at, Long.parseLong(f[2]), Long.parseLong(f[3]),
                                    Long.parseLong(f[4])});
                            case "RUN" -> run = line.substring(line.indexOf("RUN ") + 4);
                            default -> {
                            }
                        }
                        notifyAll();
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the client ended; what it said is kept
            }
        }

        void awaitConnected(Duration timeout) throws InterruptedException {
            if (!await(() -> connected, timeout)) {
                throw new IllegalStateException("the stream client did not connect within " + timeout
                        + "; see " + log);
            }
        }

        /** Waits until {@code condition} holds (checked whenever the client reports something), at most timeout. */
        synchronized boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.isAlive() && !reader.isAlive()) {
                    return condition.getAsBoolean();
                }
                wait(Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(left))));
            }
            return true;
        }

        /** (epoch ms reported, nanos) of every timing of {@code name} so far; a copy. */
        synchronized List<long[]> timings(String name) {
            return new ArrayList<>(timings.getOrDefault(name, List.of()));
        }

        /** How many timings of {@code name} so far. */
        synchronized int size(String name) {
            return timings.getOrDefault(name, List.of()).size();
        }

        /** How many times {@code name} was counted. */
        synchronized long count(String name) {
            return counts.getOrDefault(name, new long[2])[0];
        }

        /** The amounts of {@code name} added up. */
        synchronized long sum(String name) {
            return counts.getOrDefault(name, new long[2])[1];
        }

        /** (epoch ms, amount) of every count of {@code name}. */
        synchronized List<long[]> counts(String name) {
            return new ArrayList<>(countLines.getOrDefault(name, List.of()));
        }

        synchronized List<long[]> gauges(String name) {
            return new ArrayList<>(gauges.getOrDefault(name, List.of()));
        }

        synchronized Heap heap() {
            return new Heap(new ArrayList<>(heap));
        }

        boolean outOfMemory() throws IOException {
            return Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains("OutOfMemoryError");
        }

        Path store() {
            return store;
        }

        String jvm() {
            return jvm;
        }

        long startedAtMs() {
            return startedAtMs;
        }

        record Ended(int exit, String summary) {
        }

        /** Asks the run to stop (flush, commit, compact, record) and waits for the JVM to end. */
        Ended stop() throws InterruptedException, IOException {
            try (OutputStream in = process.getOutputStream()) {
                in.write("stop\n".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                // already gone
            }
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return new Ended(-1, "did not stop within 2 minutes");
            }
            reader.join(5_000);
            return new Ended(process.exitValue(), run == null ? "(no run record; see " + log + ")" : run);
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    /** Heap after every collection: {epoch ms, used after, committed after, used before}. */
    record Heap(List<long[]> samples) {
        long maxUsedBeforeMb() {
            return samples.stream().mapToLong(h -> h[3]).max().orElse(0) >> 20;
        }

        long maxUsedAfterMb() {
            return samples.stream().mapToLong(h -> h[1]).max().orElse(0) >> 20;
        }

        long collections() {
            return samples.size();
        }

        String lastAfterMb() {
            return samples.isEmpty() ? "-" : Long.toString(samples.get(samples.size() - 1)[1] >> 20);
        }

        /**
         * After {@code warmupMs}, the run is cut into {@code windows} equal spans; per span the lowest heap in use
         * after a collection (what survives: the live set plus what the next old-generation cycle frees) and the
         * highest. Flat: the last span's low is within 10 % (at least 8 MB) of the first span's.
         */
        Flatness flatness(long startMs, long warmupMs, int windows) {
            long from = startMs + warmupMs;
            long to = samples.isEmpty() ? from : samples.get(samples.size() - 1)[0];
            List<long[]> rows = new ArrayList<>();
            long span = Math.max(1, (to - from) / windows);
            for (int w = 0; w < windows; w++) {
                long a = from + w * span;
                long b = w == windows - 1 ? to + 1 : a + span;
                long lo = Long.MAX_VALUE, hi = 0, n = 0;
                for (long[] h : samples) {
                    if (h[0] >= a && h[0] < b) {
                        lo = Math.min(lo, h[1]);
                        hi = Math.max(hi, h[1]);
                        n++;
                    }
                }
                rows.add(new long[] {a - startMs, b - startMs, n == 0 ? -1 : lo >> 20, hi >> 20, n});
            }
            return new Flatness(rows);
        }
    }

    record Flatness(List<long[]> windows) {
        boolean flat() {
            List<long[]> seen = windows.stream().filter(w -> w[4] > 0).toList();
            if (seen.size() < 2) {
                return false;
            }
            long first = seen.get(0)[2];
            long last = seen.get(seen.size() - 1)[2];
            return last - first <= Math.max(8, first / 10);
        }

        String verdict() {
            List<long[]> seen = windows.stream().filter(w -> w[4] > 0).toList();
            if (seen.size() < 2) {
                return "too few collections to tell";
            }
            return "lowest after-GC heap " + seen.get(0)[2] + " MB in the first window, " + seen.get(seen.size() - 1)[2]
                    + " MB in the last";
        }

        String table() {
            StringBuilder b = new StringBuilder("| wall time (s) | collections | heap in use after GC, low..high MB "
                    + "|\n|---|---|---|\n");
            for (long[] w : windows) {
                b.append(String.format(Locale.ROOT, "| %d-%d | %d | %s |%n", w[0] / 1000, w[1] / 1000, w[4],
                        w[4] == 0 ? "-" : w[2] + "..." + w[3]));
            }
            return b.toString();
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    static Instant at(LocalTime t) {
        return DAY.atTime(t).atZone(MarketTime.ZONE).toInstant();
    }

    /** Nearest-rank percentile of sorted values; -1 when there are none. */
    static long pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static long max(long[] sorted) {
        return sorted.length == 0 ? -1 : sorted[sorted.length - 1];
    }

    static String ms(long nanos) {
        return nanos < 0 ? "-" : String.format(Locale.ROOT, "%.0f", nanos / 1e6);
    }

    static String secs(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    static String summary(List<long[]> timings) {
        long[] v = timings.stream().mapToLong(t -> t[1]).sorted().toArray();
        if (v.length == 0) {
            return "none";
        }
        return String.format(Locale.ROOT, "%,d, p50 %s ms, p99 %s ms, max %s ms", v.length, ms(pct(v, 50)),
                ms(pct(v, 99)), ms(max(v)));
    }

    static String fileSystem(Path dir) {
        try {
            var fs = Files.getFileStore(Files.exists(dir) ? dir : dir.getParent());
            return fs.type() + " on " + fs.name();
        } catch (IOException e) {
            return "file system unknown";
        }
    }

    static String machine(Path work) {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return String.format(Locale.ROOT, "Machine: %d cores, load average %.1f at the start; %s %s; work directory "
                        + "%s (%s)", Runtime.getRuntime().availableProcessors(), load, System.getProperty("java.vm.name"),
                Runtime.version(), work, fileSystem(work));
    }
}
