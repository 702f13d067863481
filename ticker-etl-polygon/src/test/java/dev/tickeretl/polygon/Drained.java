package dev.tickeretl.polygon;

import dev.tickeretl.spi.RawBar;
import dev.tickeretl.spi.Source;
import dev.tickeretl.spi.SourceEvent;
import dev.tickeretl.spi.SourceException;
import dev.tickeretl.spi.SourceRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a user of a source sees: its events in order, or the exception that ended the run, and how long it took. */
record Drained(List<SourceEvent> events, SourceException failure, Duration elapsed) {

    /** Starts {@code source} and polls it to END (or to its exception), for at most 30 s. */
    static Drained run(Source source, SourceRequest request) throws InterruptedException {
        return run(source, request, Duration.ofSeconds(30));
    }

    /** Starts {@code source} and polls it to END (or to its exception), for at most {@code limit}. */
    static Drained run(Source source, SourceRequest request, Duration limit) throws InterruptedException {
        long start = System.nanoTime();
        source.start(request);
        List<SourceEvent> events = new ArrayList<>();
        long deadline = start + limit.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                SourceEvent event = source.poll(Duration.ofMillis(100));
                if (event == SourceEvent.END) {
                    return new Drained(events, null, Duration.ofNanos(System.nanoTime() - start));
                }
                if (event != null) {
                    events.add(event);
                }
            }
        } catch (SourceException e) {
            return new Drained(events, e, Duration.ofNanos(System.nanoTime() - start));
        }
        throw new AssertionError("no END within " + limit + "; events so far: " + events);
    }

    List<RawBar> bars(String ticker) {
        return events.stream().filter(e -> e instanceof SourceEvent.Bars).map(e -> (SourceEvent.Bars) e)
                .flatMap(b -> b.bars().stream()).filter(b -> b.ticker().equals(ticker)).toList();
    }

    List<SourceEvent.Bars> barEvents() {
        return events.stream().filter(e -> e instanceof SourceEvent.Bars).map(e -> (SourceEvent.Bars) e).toList();
    }

    List<String> done() {
        return events.stream().filter(e -> e instanceof SourceEvent.TickerDone)
                .map(e -> ((SourceEvent.TickerDone) e).ticker()).toList();
    }

    Map<String, String> failed() {
        Map<String, String> failed = new LinkedHashMap<>();
        events.stream().filter(e -> e instanceof SourceEvent.TickerFailed).map(e -> (SourceEvent.TickerFailed) e)
                .forEach(f -> failed.put(f.ticker(), f.reason()));
        return failed;
    }

    List<SourceEvent.Invalid> invalid() {
        return events.stream().filter(e -> e instanceof SourceEvent.Invalid).map(e -> (SourceEvent.Invalid) e)
                .toList();
    }

    List<SourceEvent.Warning> warnings() {
        return events.stream().filter(e -> e instanceof SourceEvent.Warning).map(e -> (SourceEvent.Warning) e)
                .toList();
    }
}
