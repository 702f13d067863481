package dev.tickeretl.server;

import dev.tickeretl.Bar;
import dev.tickeretl.RunRecord;
import dev.tickeretl.StoreException;
import dev.tickeretl.Timespan;
import dev.tickeretl.internal.Providers;
import dev.tickeretl.spi.BarStore;
import dev.tickeretl.spi.StoreProvider;
import dev.tickeretl.spi.WriteResult;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * {@code recording:/abs/dir}: the real file store at that directory, with every read the server asks of it
 * recorded, so tests can see exactly what a request made reach the store. {@code recording-fail:/abs/dir} fails
 * every read as an unreachable store would.
 */
public final class RecordingStoreProvider implements StoreProvider {

    /** One read: what the server passed to the store. */
    record Read(String ticker, Timespan timespan, LocalDate from, LocalDate to) {
    }

    static final Queue<Read> READS = new ConcurrentLinkedQueue<>();

    @Override
    public String scheme() {
        return "recording";
    }

    @Override
    public BarStore open(URI uri, Map<String, String> options) {
        URI file = URI.create("file:" + uri.getSchemeSpecificPart());
        BarStore delegate = Providers.store(file).open(file, options);
        boolean failing = "true".equals(options.get("fail"));
        return new BarStore() {
            @Override
            public URI uri() {
                return uri;
            }

            @Override
            public List<Bar> read(String ticker, Timespan timespan, LocalDate from, LocalDate to) {
                READS.add(new Read(ticker, timespan, from, to));
                if (failing) {
                    throw new StoreException("store " + uri + ": cannot read (test)", null);
                }
                return delegate.read(ticker, timespan, from, to);
            }

            @Override
            public List<RunRecord> runs() {
                return delegate.runs();
            }

            @Override
            public WriteResult write(List<Bar> bars) {
                return delegate.write(bars);
            }

            @Override
            public void putRun(RunRecord run) {
                delegate.putRun(run);
            }

            @Override
            public void close() {
                delegate.close();
            }
        };
    }
}
