package dev.tickeretl.server;

import dev.tickeretl.Bar;
import dev.tickeretl.Timespan;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Where {@code /v1/stream} learns of new and changed bars. The default re-reads the watched partitions of the
 * store about once a second, which works across processes (a {@code stream} writing, a server reading). A process
 * that writes bars itself can implement this to push them the moment they are durable.
 */
public interface BarChanges extends AutoCloseable {

    /**
     * Calls {@code listener} with every bar of {@code watch} stored now, then with each bar that is new or whose
     * values changed, until the returned handle is closed. The listener must not block: it is called from the
     * thread that found the change.
     */
    AutoCloseable watch(Watch watch, Consumer<Bar> listener);

    /** Stops watching everything. */
    @Override
    void close();

    /**
     * What a client follows: some tickers' bars of one timespan and dataset on one trading date, or on "today" in
     * New York ({@code date == null}), which moves on to the next day at midnight.
     */
    record Watch(List<String> tickers, Timespan timespan, boolean adjusted, LocalDate date) {
        public Watch {
            tickers = List.copyOf(tickers);
            Objects.requireNonNull(timespan, "timespan");
        }
    }
}
