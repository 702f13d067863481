package dev.tickeretl.spi;

import dev.tickeretl.Bar;
import dev.tickeretl.RunRecord;
import java.util.List;

/**
 * Where tagged bars go. Writes are idempotent by {@link dev.tickeretl.BarKey}: an identical bar is left alone (no
 * file or object is rewritten), a changed one replaces the stored one, and no key is ever stored twice.
 */
public interface Sink extends AutoCloseable {

    /**
     * Durably merges {@code bars} (any tickers, any order) into the store. When this returns, the bars survive a
     * crash; when it throws, no reader sees a partial write. The pipeline calls this from several threads at once
     * (one ticker each), so implementations must be thread-safe.
     */
    WriteResult write(List<Bar> bars);

    /** Creates or replaces the run record {@code runs/<run_id>.json}. */
    void putRun(RunRecord run);

    @Override
    void close();

}
