package dev.tickeretl.cli;

import dev.tickeretl.RequestStats;
import dev.tickeretl.RunListener;
import dev.tickeretl.RunRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress as log events, for {@code --log-format json}: standard error then holds nothing but JSON lines. The
 * pipeline logs the run's start and end; this adds one event per finished ticker (the pipeline puts the ticker in
 * the MDC around the call).
 */
final class ProgressLog implements RunListener {

    private static final Logger LOG = LoggerFactory.getLogger(ProgressLog.class);

    @Override
    public void tickerFinished(String ticker, RunRecord.TickerOutcome o, int done, int total, RequestStats requests) {
        LOG.atInfo().addKeyValue("event", "ticker_finished").addKeyValue("status", o.status().name())
                .addKeyValue("fetched", o.fetched()).addKeyValue("written", o.written())
                .addKeyValue("updated", o.updated()).addKeyValue("unchanged", o.unchanged())
                .addKeyValue("invalid", o.invalid()).addKeyValue("error", o.error())
                .addKeyValue("done", done).addKeyValue("total", total)
                .log("ticker {} {} ({}/{})", ticker, o.status(), done, total);
    }
}
