package dev.tickeretl.polygon;

import dev.tickeretl.MarketTime;
import dev.tickeretl.SourceException;
import dev.tickeretl.TradingCalendar;
import dev.tickeretl.spi.OffsetReader;
import dev.tickeretl.spi.RawBar;
import dev.tickeretl.spi.Source;
import dev.tickeretl.spi.SourceEvent;
import dev.tickeretl.spi.SourcePartition;
import dev.tickeretl.spi.SourceRequest;
import dev.tickeretl.spi.TickerRange;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a user of a source sees: its events in order, or the exception that ended the run, and how long it took.
 *
 * <p>Every run is also checked against the event contract the pipeline relies on (see {@link #checkContract}), so
 * each test that drains a source proves it too.
 */
record Drained(SourceRequest request, List<SourceEvent> events, SourceException failure, Duration elapsed) {

    private static final TradingCalendar NYSE = TradingCalendar.nyse();

    /** Starts {@code source} and polls it to END (or to its exception), for at most 30 s. */
    static Drained run(Source source, SourceRequest request) throws InterruptedException {
        return run(source, request, Duration.ofSeconds(30));
    }

    /** Starts {@code source} and polls it to END (or to its exception), for at most {@code limit}. */
    static Drained run(Source source, SourceRequest request, Duration limit) throws InterruptedException {
        long start = System.nanoTime();
        source.start(request, OffsetReader.EMPTY);
        List<SourceEvent> events = new ArrayList<>();
        long deadline = start + limit.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                SourceEvent event = source.poll(Duration.ofMillis(100));
                if (event == SourceEvent.END) {
                    return checked(new Drained(request, events, null, Duration.ofNanos(System.nanoTime() - start)));
                }
                if (event != null) {
                    events.add(event);
                }
            }
        } catch (SourceException e) {
            return checked(new Drained(request, events, e, Duration.ofNanos(System.nanoTime() - start)));
        }
        throw new AssertionError("no END within " + limit + "; events so far: " + events);
    }

    private static Drained checked(Drained run) {
        run.checkContract();
        return run;
    }

    /** The partition the test's request asks for {@code ticker}. */
    SourcePartition partition(String ticker) {
        return request.partition(ticker);
    }

    List<RawBar> bars(String ticker) {
        return events.stream().filter(e -> e instanceof SourceEvent.Bars).map(e -> (SourceEvent.Bars) e)
                .flatMap(b -> b.bars().stream()).filter(b -> b.ticker().equals(ticker)).toList();
    }

    List<SourceEvent.Bars> barEvents() {
        return events.stream().filter(e -> e instanceof SourceEvent.Bars).map(e -> (SourceEvent.Bars) e).toList();
    }

    /** Tickers whose partition the source declared done, in event order. */
    List<String> done() {
        return events.stream().filter(e -> e instanceof SourceEvent.PartitionDone)
                .map(e -> ((SourceEvent.PartitionDone) e).partition().ticker()).toList();
    }

    /** Failed tickers and their reasons, in event order. */
    Map<String, String> failed() {
        Map<String, String> failed = new LinkedHashMap<>();
        events.stream().filter(e -> e instanceof SourceEvent.PartitionFailed)
                .map(e -> (SourceEvent.PartitionFailed) e)
                .forEach(f -> failed.put(f.partition().ticker(), f.reason()));
        return failed;
    }

    /** Every Covered event, in event order. */
    List<SourceEvent.Covered> covered() {
        return events.stream().filter(e -> e instanceof SourceEvent.Covered).map(e -> (SourceEvent.Covered) e)
                .toList();
    }

    /** The Covered events of {@code ticker}, in event order. */
    List<SourceEvent.Covered> covered(String ticker) {
        return covered().stream().filter(c -> c.partition().ticker().equals(ticker)).toList();
    }

    /**
     * {@code ticker}'s Covered, PartitionDone and PartitionFailed events, in order: what the source said upstream
     * answered for it, and how the partition ended.
     */
    List<SourceEvent> progress(String ticker) {
        return events.stream().filter(e -> !(e instanceof SourceEvent.Bars)).filter(e -> {
            SourcePartition p = partitionOf(e);
            return p != null && p.ticker().equals(ticker);
        }).toList();
    }

    /** The PartitionDone event of {@code ticker}'s partition in this run's request. */
    SourceEvent.PartitionDone partitionDone(String ticker) {
        return new SourceEvent.PartitionDone(partition(ticker));
    }

    /** A Covered event of {@code ticker}'s partition in this run's request. */
    SourceEvent.Covered span(String ticker, LocalDate from, LocalDate to) {
        return new SourceEvent.Covered(partition(ticker), from, to);
    }

    List<SourceEvent.Invalid> invalid() {
        return events.stream().filter(e -> e instanceof SourceEvent.Invalid).map(e -> (SourceEvent.Invalid) e)
                .toList();
    }

    List<SourceEvent.Warning> warnings() {
        return events.stream().filter(e -> e instanceof SourceEvent.Warning).map(e -> (SourceEvent.Warning) e)
                .toList();
    }

    /**
     * The contract between a bounded source and the pipeline, checked on every drained run:
     * <ul>
     *   <li>partitions are only those of the request, bars are of their event's partition and on requested dates;</li>
     *   <li>a partition ends at most once (Done or Failed), and nothing of it comes after that;</li>
     *   <li>Covered spans lie within a requested range, and no bar of a covered day arrives after its Covered
     *       ("every bar it gave is in an earlier Bars event");</li>
     *   <li>PartitionDone comes only after every requested trading day of the partition was covered (unless the
     *       source reported an invalid record of it: a day with a bar it could not deliver is not answered);</li>
     *   <li>a run that reached END ended every requested partition.</li>
     * </ul>
     */
    void checkContract() {
        Map<String, List<TickerRange>> ranges = new HashMap<>();
        for (TickerRange r : request.ranges()) {
            ranges.computeIfAbsent(r.ticker(), t -> new ArrayList<>()).add(r);
        }
        Map<SourcePartition, String> ended = new HashMap<>();
        Map<SourcePartition, List<SourceEvent.Covered>> coveredSoFar = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            SourceEvent event = events.get(i);
            SourcePartition p = partitionOf(event);
            if (p == null) {
                continue;
            }
            String at = "event " + i + " " + event + ": ";
            if (!p.equals(partition(p.ticker())) || !ranges.containsKey(p.ticker())) {
                throw new AssertionError(at + "partition " + p + " was not requested");
            }
            if (ended.containsKey(p)) {
                throw new AssertionError(at + "after the partition already ended with " + ended.get(p));
            }
            List<SourceEvent.Covered> covered = coveredSoFar.computeIfAbsent(p, k -> new ArrayList<>());
            if (event instanceof SourceEvent.Bars bars) {
                for (RawBar bar : bars.bars()) {
                    LocalDate date = MarketTime.tradingDate(bar.startMs());
                    if (!SourcePartition.of(bar).equals(p)) {
                        throw new AssertionError(at + "a bar of " + SourcePartition.of(bar) + " in an event of " + p);
                    }
                    if (ranges.get(p.ticker()).stream().noneMatch(r -> within(date, r.from(), r.to()))) {
                        throw new AssertionError(at + "a bar of " + date + ", outside the requested ranges");
                    }
                    if (covered.stream().anyMatch(c -> within(date, c.from(), c.to()))) {
                        throw new AssertionError(at + "a bar of " + date + " after that day was covered");
                    }
                }
            } else if (event instanceof SourceEvent.Covered c) {
                if (ranges.get(p.ticker()).stream().noneMatch(r -> within(c.from(), r.from(), r.to())
                        && within(c.to(), r.from(), r.to()))) {
                    throw new AssertionError(at + "covers days outside the requested ranges");
                }
                covered.add(c);
            } else if (event instanceof SourceEvent.PartitionDone) {
                boolean hadInvalid = events.subList(0, i).stream()
                        .anyMatch(e -> e instanceof SourceEvent.Invalid inv && inv.ticker().equals(p.ticker()));
                for (TickerRange r : hadInvalid ? List.<TickerRange>of() : ranges.get(p.ticker())) {
                    for (LocalDate day : NYSE.tradingDays(r.from(), r.to())) {
                        if (covered.stream().noneMatch(c -> within(day, c.from(), c.to()))) {
                            throw new AssertionError(at + "done, but " + day + " was never covered");
                        }
                    }
                }
                ended.put(p, "PartitionDone");
            } else if (event instanceof SourceEvent.PartitionFailed) {
                ended.put(p, "PartitionFailed");
            }
        }
        if (failure == null) {
            for (String ticker : request.tickers()) {
                if (!ended.containsKey(partition(ticker))) {
                    throw new AssertionError("END, but " + partition(ticker) + " was never done or failed");
                }
            }
        }
    }

    private static SourcePartition partitionOf(SourceEvent event) {
        if (event instanceof SourceEvent.Bars e) {
            return e.partition();
        } else if (event instanceof SourceEvent.Covered e) {
            return e.partition();
        } else if (event instanceof SourceEvent.PartitionDone e) {
            return e.partition();
        } else if (event instanceof SourceEvent.PartitionFailed e) {
            return e.partition();
        }
        return null;
    }

    private static boolean within(LocalDate day, LocalDate from, LocalDate to) {
        return !day.isBefore(from) && !day.isAfter(to);
    }
}
