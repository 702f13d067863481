package dev.tickeretl.cli;

import dev.tickeretl.MarketTime;
import dev.tickeretl.RunRecord;
import dev.tickeretl.Store;
import java.io.PrintWriter;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "runs", mixinStandardHelpOptions = true, description = "Run history, newest first.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed", "1:the store could not be read", "2:usage error (the message names the option)"},
        footerHeading = "%nExamples:%n",
        footer = {"  ticker-etl runs", "  ticker-etl runs --limit 5 --store s3://bucket/prices", ""})
final class RunsCommand implements Callable<Integer> {

    @Mixin
    StoreOptions store;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
            description = "Show at most N runs, N >= 1 (default: ${DEFAULT-VALUE}).")
    int limit;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new IllegalArgumentException("--limit: must be 1 or more, got " + limit);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Store s = Store.open(store.uri(), store.options())) {
            List<RunRecord> runs = s.runs();
            if (runs.stream().anyMatch(r -> r.status() == dev.tickeretl.RunStatus.ABANDONED)) {
                s.recordAbandonedRuns(); // best effort: a read-only store keeps showing them ABANDONED
            }
            out.printf("%-27s %-6s %-10s %10s %7s %7s %7s %7s %9s %7s %6s  %s%n", "RUN_ID", "MODE", "STATUS",
                    "DURATION", "TICKERS", "FETCHED", "WRITTEN", "UPDATED", "UNCHANGED", "INVALID", "FAILED",
                    "COMPLETE_THROUGH");
            for (RunRecord r : runs.subList(0, Math.min(limit, runs.size()))) {
                RunRecord.Totals t = r.totals() == null ? RunRecord.Totals.ZERO : r.totals();
                out.printf("%-27s %-6s %-10s %10s %7d %7d %7d %7d %9d %7d %6d  %s%n", r.runId(),
                        r.parameters() == null ? "-" : r.parameters().mode(), r.status(),
                        r.durationMs() == null ? "-" : r.durationMs() + "ms",
                        r.parameters() == null ? 0 : r.parameters().tickers().size(), t.fetched(), t.written(),
                        t.updated(), t.unchanged(), t.invalid(), t.failedTickers(), watermark(r));
            }
        }
        return Main.EXIT_OK;
    }

    /** A stream's watermark as its record last saw it: every minute up to and including this one is final. */
    private static String watermark(RunRecord r) {
        return r.completeThrough().map(at -> WATERMARK.format(at.atZone(MarketTime.ZONE)) + " ET").orElse("-");
    }

    private static final DateTimeFormatter WATERMARK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
}
