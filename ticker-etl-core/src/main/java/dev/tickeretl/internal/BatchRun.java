package dev.tickeretl.internal;

import dev.tickeretl.RunRecord;
import dev.tickeretl.TickerEtl;

/** The batch pipeline. */
public final class BatchRun {
    private final TickerEtl.Config config;

    public BatchRun(TickerEtl.Config config) {
        this.config = config;
    }

    public RunRecord execute() {
        throw new UnsupportedOperationException("being written");
    }
}
