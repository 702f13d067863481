package dev.tickeretl.cli;

import dev.tickeretl.CheckReport;
import dev.tickeretl.QualityRules;
import dev.tickeretl.Severity;
import dev.tickeretl.Store;
import dev.tickeretl.StoreCheck;
import dev.tickeretl.Timespan;
import dev.tickeretl.TradingCalendar;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Verify a store: its invariants (JSON lines, schema version, partition membership, unique keys,"
                + " line order, prior_volume and phase against the stored neighbours, offsets and coverage) and the"
                + " data-quality rules (OHLC range, zero volume, price jump, volume spike, missing trading day,"
                + " stale ticker, minute gaps). Read-only: creates and changes nothing. Needs no API key unless"
                + " --source polygon.",
                "Each finding is one line: FILE:LINE: SEVERITY CHECK TICKER DATE: MESSAGE; the last line sums up."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no ERROR finding (WARN and INFO findings are printed; with --strict, no WARN either)",
                "1:problems found, or the store (or --source) could not be read",
                "2:usage error (the message names the option)"},
        footerHeading = "%nExamples:%n",
        footer = {"  ticker-etl check                                 # the whole store at ./data",
                "  ticker-etl check --tickers AAPL,MSFT --from 2025-01-02 --to 2025-01-31 --strict",
                "  ticker-etl check --store s3://bucket/prices --format json",
                "  ticker-etl check --timespan minute --from 2025-03-03 --to 2025-03-03 \\",
                "      --source polygon                             # minutes REST has and the store lacks",
                ""})
final class CheckCommand implements Callable<Integer> {

    enum Format { text, json }

    @Mixin
    StoreOptions store;

    @Option(names = "--tickers", paramLabel = "A,B,..", split = ",",
            description = "Check only these tickers (default: every ticker stored).")
    List<String> tickers;

    @Option(names = "--from", paramLabel = "YYYY-MM-DD", converter = DateConverter.class,
            description = "First trading date the data-quality rules judge (default: the first stored). Store"
                    + " invariants are checked over every partition that overlaps the range.")
    LocalDate from;

    @Option(names = "--to", paramLabel = "YYYY-MM-DD", converter = DateConverter.class,
            description = "Last trading date judged, and the end a ticker must have recent bars before (default: the"
                    + " newest bar stored).")
    LocalDate to;

    @Option(names = "--timespan", defaultValue = "day", paramLabel = "day|minute",
            description = "day (default) or minute bars.")
    String timespan;

    @Option(names = "--adjusted", paramLabel = "true|false", arity = "1",
            description = "Only the split-adjusted (true) or unadjusted (false) dataset (default: both).")
    Boolean adjusted;

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json",
            description = "text (default): one line per finding and a summary; json: one JSON object.")
    Format format;

    @Option(names = "--strict", description = "Exit 1 on WARN findings too (INFO never fails).")
    boolean strict;

    @Option(names = "--min-severity", defaultValue = "INFO", paramLabel = "INFO|WARN|ERROR",
            description = "List only findings of this severity or worse (all are counted; default: ${DEFAULT-VALUE}).")
    String minSeverity;

    @Option(names = "--phase-tagger", paramLabel = "NAME",
            description = "The tagger stored phases must follow (default: the one the newest day run recorded, else"
                    + " brief).")
    String phaseTagger;

    @Option(names = "--stale-sessions", paramLabel = "N", description = "A ticker without a bar in the last N"
            + " sessions up to --to is stale (default: 3).")
    Integer staleSessions;

    @Option(names = "--jump-sigmas", paramLabel = "K", description = "A price jump is a log return beyond K"
            + " standard deviations of the recent returns (default: 6).")
    Double jumpSigmas;

    @Option(names = "--jump-sessions", paramLabel = "N", description = "How many recent returns (default: 20).")
    Integer jumpSessions;

    @Option(names = "--spike-factor", paramLabel = "M", description = "A volume spike is a volume above M times the"
            + " median of the recent sessions (default: 10).")
    Double spikeFactor;

    @Option(names = "--spike-sessions", paramLabel = "N", description = "How many recent sessions (default: 20).")
    Integer spikeSessions;

    @Option(names = "--source", paramLabel = "polygon|simulator",
            description = "Minute bars only: compare each closed session's stored minutes with what this source"
                    + " serves; a regular-session minute it has and the store lacks is a MINUTE_GAP. Without it,"
                    + " regular-session minutes without a bar are listed as notes (a minute without trades has"
                    + " none).")
    String source;

    @Option(names = "--source-option", paramLabel = "KEY=VALUE",
            description = "An option of --source (repeatable), e.g. base-url=... or max-requests-per-minute=5.")
    List<String> sourceOptions;

    @Option(names = "--max-per-check", paramLabel = "N", defaultValue = "1000",
            description = "List at most N findings per check; all are counted (default: ${DEFAULT-VALUE}).")
    int maxPerCheck;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        StoreCheck check = check();
        Severity least = severity(minSeverity);
        CheckReport report;
        try (Store s = Store.open(store.uri(), store.options())) {
            report = s.check(check);
        }
        List<CheckReport.Finding> shown = report.findings().stream()
                .filter(f -> f.severity().compareTo(least) >= 0).toList();
        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.json) {
            out.print(new CheckReport(report.store(), report.phaseTagger(), report.files(), report.lines(),
                    report.counts(), shown).toJson());
            out.print('\n');
        } else {
            for (CheckReport.Finding f : shown) {
                out.print(f);
                out.print('\n');
            }
            out.print(report.summary());
            out.print('\n');
        }
        out.flush();
        return report.hasProblems(strict) ? Main.EXIT_FAILED : Main.EXIT_OK;
    }

    /** The options as a {@link StoreCheck}; a bad value is a usage error naming its option. */
    private StoreCheck check() {
        StoreCheck.Builder b = StoreCheck.builder();
        if (tickers != null) {
            b.tickers(tickers.stream().map(t -> t.trim().toUpperCase(Locale.ROOT)).toList());
        }
        if (from != null && to != null && from.isAfter(to)) {
            throw new IllegalArgumentException("from: " + from + " is after to: " + to);
        }
        TradingCalendar nyse = TradingCalendar.nyse();
        for (LocalDate d : new LocalDate[]{from, to}) {
            if (d != null && !nyse.isVerified(d)) {
                throw new IllegalArgumentException((d == from ? "from" : "to") + ": " + d + " is outside the years"
                        + " the NYSE calendar is verified for (" + nyse.firstVerifiedYear() + "-"
                        + nyse.lastVerifiedYear() + ")");
            }
        }
        b.from(from).to(to);
        Timespan span = Timespan.fromWireName(timespan.trim().toLowerCase(Locale.ROOT));
        b.timespan(span);
        if (adjusted != null) {
            b.adjusted(adjusted);
        }
        if (phaseTagger != null) {
            b.phaseTagger(phaseTagger.trim());
        }
        QualityRules d = QualityRules.defaults();
        b.rules(new QualityRules(staleSessions != null ? staleSessions : d.staleSessions(),
                jumpSigmas != null ? jumpSigmas : d.jumpSigmas(), jumpSessions != null ? jumpSessions
                : d.jumpSessions(), spikeFactor != null ? spikeFactor : d.spikeFactor(),
                spikeSessions != null ? spikeSessions : d.spikeSessions(), d.listedPerCheck()));
        if (source != null) {
            if (span != Timespan.MINUTE) {
                throw new IllegalArgumentException("source: compares minute bars only; add --timespan minute");
            }
            b.compareWith(source.trim().toLowerCase(Locale.ROOT), options(sourceOptions));
        } else if (sourceOptions != null && !sourceOptions.isEmpty()) {
            throw new IllegalArgumentException("source-option: given without --source");
        }
        b.listedPerCheck(maxPerCheck);
        return b.build();
    }

    private static Severity severity(String value) {
        try {
            return Severity.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("min-severity: '" + value + "' is not INFO, WARN or ERROR");
        }
    }

    private static Map<String, String> options(List<String> pairs) {
        Map<String, String> options = new LinkedHashMap<>();
        if (pairs != null) {
            for (String kv : pairs) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("source-option: expected KEY=VALUE, got '" + kv + "'");
                }
                options.put(kv.substring(0, eq).strip(), kv.substring(eq + 1).strip());
            }
        }
        return options;
    }
}
