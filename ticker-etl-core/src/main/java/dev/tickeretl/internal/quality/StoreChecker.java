package dev.tickeretl.internal.quality;

import dev.tickeretl.Bar;
import dev.tickeretl.CheckReport;
import dev.tickeretl.RunRecord;
import dev.tickeretl.StoreCheck;
import dev.tickeretl.StoreException;
import dev.tickeretl.Tickers;
import dev.tickeretl.Timespan;
import dev.tickeretl.TradingCalendar;
import dev.tickeretl.internal.BriefPhaseTagger;
import dev.tickeretl.internal.Coverage;
import dev.tickeretl.internal.DataStore;
import dev.tickeretl.internal.DayTagging;
import dev.tickeretl.internal.JsonCodec;
import dev.tickeretl.internal.OffsetsFile;
import dev.tickeretl.internal.PartitionFile;
import dev.tickeretl.internal.Providers;
import dev.tickeretl.internal.StoreLayout;
import dev.tickeretl.spi.PhaseTagger;
import dev.tickeretl.spi.Storage;
import dev.tickeretl.spi.TickerRange;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * {@code ticker-etl check}: reads a store (only reads: it writes nothing) and reports what breaks its invariants or
 * the data-quality rules, each finding with the store path and line it is on. Works on any {@link Storage} backend.
 *
 * <p>Store invariants are checked over whole partitions (a file is right or wrong as a whole); the data-quality
 * rules judge the bars with dates in the range, against stored neighbours before it.
 */
public final class StoreChecker {

    private final DataStore store;
    private final Storage storage;
    private final TradingCalendar calendar;
    private final StoreCheck check;
    private final PhaseTagger tagger;
    private final String taggerNote;
    private final DayRules dayRules;
    private final StaleTicker stale;
    private final Instant now;
    private final Map<String, Long> counts = new TreeMap<>();
    private final List<CheckReport.Finding> findings = new ArrayList<>();
    private final Set<String> tickersFound = new LinkedHashSet<>();
    private long files;
    private long lines;
    private List<RunRecord> runs;
    private int runFiles;
    private final Map<String, String> unreadableRuns = new TreeMap<>();

    public StoreChecker(DataStore store, TradingCalendar calendar, StoreCheck check) {
        this.store = store;
        this.storage = store.storage();
        this.calendar = calendar;
        this.check = check;
        this.dayRules = new DayRules(check.rules(), calendar);
        this.stale = new StaleTicker(check.rules().staleSessions());
        this.now = check.clock().instant();
        if (check.phaseTagger() != null) {
            tagger = check.phaseTagger();
            taggerNote = tagger.name() + " (given)";
        } else if (check.phaseTaggerName() != null) {
            tagger = Providers.phaseTagger(check.phaseTaggerName());
            taggerNote = tagger.name() + " (given)";
        } else {
            RunRecord newest = readRuns().stream().filter(r -> r.parameters() != null
                    && r.parameters().timespan() == Timespan.DAY && r.parameters().phaseTagger() != null)
                    .sorted(RunRecord.NEWEST_FIRST).findFirst().orElse(null);
            if (newest == null) {
                tagger = new BriefPhaseTagger();
                taggerNote = BriefPhaseTagger.NAME + " (the default)";
            } else {
                String name = newest.parameters().phaseTagger();
                try {
                    tagger = Providers.phaseTagger(name);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("phase-tagger: run " + newest.runId() + " tagged with '"
                            + name + "', which is not on the class path here (" + e.getMessage()
                            + "); name the tagger to check against");
                }
                taggerNote = name + " (as run " + newest.runId() + " recorded)";
            }
        }
    }

    /**
     * @throws StoreException when the store cannot be read at all
     * @throws dev.tickeretl.SourceException when the source minutes are compared with cannot serve them
     */
    public CheckReport run() throws InterruptedException {
        List<Boolean> datasets = check.adjusted() == null ? List.of(true, false) : List.of(check.adjusted());
        for (boolean adjusted : datasets) {
            checkDataset(adjusted);
        }
        for (String ticker : check.tickers()) {
            if (!tickersFound.contains(ticker)) {
                add(QualityCheck.NO_BARS, null, null, ticker, null, "nothing stored for " + ticker + " ("
                        + check.timespan().wireName() + (check.adjusted() == null ? ""
                        : check.adjusted() ? ", adjusted" : ", unadjusted") + range() + ")");
            }
        }
        checkRuns();
        Map<String, RunRecord.CheckCount> byCheck = new TreeMap<>();
        counts.forEach((name, n) -> byCheck.put(name, new RunRecord.CheckCount(
                QualityCheck.valueOf(name).severity(), n)));
        return new CheckReport(store.uri().toString(), taggerNote, files, lines, byCheck, findings);
    }

    private String range() {
        if (check.from() == null && check.to() == null) {
            return "";
        }
        return ", " + (check.from() == null ? "..." : check.from()) + ".." + (check.to() == null ? ""
                : check.to());
    }

    private void add(QualityCheck c, String file, Integer line, String ticker, LocalDate date, String message) {
        long n = counts.merge(c.name(), 1L, Long::sum);
        if (n <= check.listedPerCheck()) {
            findings.add(new CheckReport.Finding(c.name(), c.severity(), file, line, ticker, date, message));
        }
    }

    private LineAudit.Findings into(String path) {
        return (c, line, bar, message) -> add(c, path, line, bar == null ? null : bar.ticker(),
                bar == null ? null : bar.tradingDate(), message);
    }

    private boolean wanted(String ticker) {
        return check.tickers().isEmpty() || check.tickers().contains(ticker);
    }

    private boolean inRange(LocalDate d) {
        return (check.from() == null || !d.isBefore(check.from())) && (check.to() == null || !d.isAfter(check.to()));
    }

    private boolean inRange(PartitionFile.Expected e) {
        if (e.date() != null) {
            return inRange(e.date());
        }
        return (check.from() == null || e.year() >= check.from().getYear())
                && (check.to() == null || e.year() <= check.to().getYear());
    }

    // ------------------------------------------------------------------------------------------------ a dataset

    private void checkDataset(boolean adjusted) throws InterruptedException {
        Timespan timespan = check.timespan();
        Map<String, List<String>> partitions = new TreeMap<>();
        String directory = StoreLayout.dataset(adjusted) + "/timespan=" + timespan.wireName() + "/";
        for (String path : storage.list(directory)) {
            PartitionFile.Expected e = PartitionFile.Expected.of(path);
            if (e == null || !Tickers.isValid(e.ticker())) {
                String ticker = tickerOf(path);
                if (ticker == null ? check.tickers().isEmpty() : wanted(ticker)) {
                    add(QualityCheck.UNEXPECTED_FILE, path, null, ticker, null, "not a partition of the layout ("
                            + directory + "ticker=T/" + (timespan == Timespan.DAY ? "year=YYYY" : "date=YYYY-MM-DD")
                            + "/bars.jsonl); readers ignore it");
                }
                continue;
            }
            if (wanted(e.ticker()) && inRange(e)) {
                partitions.computeIfAbsent(e.ticker(), t -> new ArrayList<>()).add(path);
            }
        }
        Map<String, List<Coverage.Span>> coverage = checkOffsets(timespan, adjusted);
        Map<String, Map<LocalDate, BitSet>> segmentMinutes = checkSegments(timespan, adjusted);
        tickersFound.addAll(partitions.keySet());
        if (timespan == Timespan.DAY) {
            Map<String, Newest> newest = new TreeMap<>();
            partitions.forEach((ticker, paths) -> checkDays(ticker, adjusted, paths, coverage.get(ticker), newest));
            checkStale(newest);
        } else {
            for (String t : segmentMinutes.keySet()) {
                if (wanted(t)) {
                    partitions.computeIfAbsent(t, k -> new ArrayList<>());
                    tickersFound.add(t);
                }
            }
            Map<String, Map<LocalDate, BitSet>> source = check.compareSource() == null ? null
                    : sourceMinutes(adjusted, partitions, segmentMinutes);
            for (Map.Entry<String, List<String>> p : partitions.entrySet()) {
                checkMinutes(p.getKey(), adjusted, p.getValue(), segmentMinutes.getOrDefault(p.getKey(), Map.of()),
                        source == null ? null : source.getOrDefault(p.getKey(), Map.of()));
            }
        }
    }

    private static String tickerOf(String path) {
        for (String segment : path.split("/")) {
            if (segment.startsWith("ticker=")) {
                return segment.substring("ticker=".length());
            }
        }
        return null;
    }

    /** The offsets file's own consistency; returns each ticker's coverage (empty when it cannot be read). */
    private Map<String, List<Coverage.Span>> checkOffsets(Timespan timespan, boolean adjusted) {
        String path = StoreLayout.offsetsPath(timespan, adjusted);
        byte[] bytes = storage.read(path).orElse(null);
        if (bytes == null) {
            return Map.of();
        }
        files++;
        OffsetsFile file;
        try {
            file = JsonCodec.read(bytes, OffsetsFile.class);
        } catch (java.io.IOException | RuntimeException e) {
            add(QualityCheck.OFFSETS_UNREADABLE, path, null, null, null, "not an offsets file ("
                    + firstLine(e.getMessage()) + "); runs fail to plan from it: move it away (the next run then "
                    + "fetches its whole range again)");
            return Map.of();
        }
        if (file.schemaVersion() != OffsetsFile.SCHEMA_VERSION) {
            add(QualityCheck.SCHEMA_VERSION, path, null, null, null, "schema_version " + file.schemaVersion()
                    + "; this library reads and writes " + OffsetsFile.SCHEMA_VERSION);
        }
        if (file.timespan() != timespan || file.adjusted() != adjusted) {
            add(QualityCheck.COVERAGE_MALFORMED, path, null, null, null, "the file says timespan="
                    + (file.timespan() == null ? null : file.timespan().wireName()) + ", adjusted=" + file.adjusted()
                    + ", but lies where timespan=" + timespan.wireName() + ", adjusted=" + adjusted + " belongs");
        }
        Map<String, List<Coverage.Span>> coverage = new HashMap<>();
        file.partitions().forEach((ticker, progress) -> {
            if (!wanted(ticker) || progress == null) {
                return;
            }
            List<Coverage.Span> spans = progress.coverage();
            for (int i = 0; i < spans.size(); i++) {
                Coverage.Span s = spans.get(i);
                if (s.from().isAfter(s.to())) {
                    add(QualityCheck.COVERAGE_MALFORMED, path, null, ticker, s.from(), "coverage span " + s.from()
                            + ".." + s.to() + " ends before it starts");
                } else if (i > 0 && !s.from().isAfter(spans.get(i - 1).to())) {
                    add(QualityCheck.COVERAGE_MALFORMED, path, null, ticker, s.from(), "coverage span " + s.from()
                            + ".." + s.to() + " overlaps or precedes " + spans.get(i - 1).from() + ".."
                            + spans.get(i - 1).to() + " (spans are kept in date order, apart)");
                }
            }
            coverage.put(ticker, spans);
        });
        return coverage;
    }

    /** Audits a dataset's segments (a stream's group commits); returns the session minutes they hold. */
    private Map<String, Map<LocalDate, BitSet>> checkSegments(Timespan timespan, boolean adjusted) {
        Map<String, Map<LocalDate, BitSet>> minutes = new HashMap<>();
        for (String path : storage.list(StoreLayout.segmentsDirectory(timespan, adjusted))) {
            byte[] bytes = storage.read(path).orElse(null);
            if (bytes == null) {
                continue; // compacted since the listing: its bars are in the partitions now
            }
            files++;
            LineAudit.Result result = LineAudit.audit(bytes, null, into(path));
            lines += result.lines();
            for (LineAudit.Located l : result.bars()) {
                Bar b = l.bar();
                if (b.timespan() != timespan || b.adjusted() != adjusted) {
                    add(QualityCheck.FOREIGN_LINE, path, l.line(), b.ticker(), b.tradingDate(), "a "
                            + b.timespan().wireName() + (b.adjusted() ? " adjusted" : " unadjusted")
                            + " bar in a segment of another dataset");
                } else if (timespan == Timespan.MINUTE && wanted(b.ticker()) && inRange(b.tradingDate())) {
                    mark(minutes.computeIfAbsent(b.ticker(), t -> new HashMap<>()), b);
                }
            }
        }
        return minutes;
    }

    /** Marks {@code b}'s minute as present, when it is one of its session's regular minutes. */
    private void mark(Map<LocalDate, BitSet> present, Bar b) {
        SessionMinutes session = SessionMinutes.of(b.tradingDate(), calendar);
        int i = session == null ? -1 : session.index(b.startMs());
        if (i >= 0) {
            present.computeIfAbsent(b.tradingDate(), d -> new BitSet(session.minutes())).set(i);
        }
    }

    /** The readable run records (once: the tagger is looked up in them); the others are remembered as findings. */
    private List<RunRecord> readRuns() {
        if (runs != null) {
            return runs;
        }
        runs = new ArrayList<>();
        for (String path : storage.list(StoreLayout.RUNS + "/")) {
            String name = path.substring(StoreLayout.RUNS.length() + 1);
            if (!name.endsWith(".json") || name.contains("/")) {
                continue;
            }
            byte[] bytes = storage.read(path).orElse(null);
            if (bytes == null) {
                continue;
            }
            runFiles++;
            try {
                runs.add(JsonCodec.parseRun(bytes));
            } catch (RuntimeException e) {
                unreadableRuns.put(path, firstLine(e.getMessage()));
            }
        }
        return runs;
    }

    private void checkRuns() {
        readRuns();
        files += runFiles;
        unreadableRuns.forEach((path, why) -> add(QualityCheck.RUN_RECORD_UNREADABLE, path, null, null, null, why
                + "; run history skips it"));
    }

    // ------------------------------------------------------------------------------------------------ day bars

    /** A ticker's newest stored day bar at or before the end of the range, and where it is. */
    private record Newest(LocalDate date, String path) {
    }

    private void checkDays(String ticker, boolean adjusted, List<String> paths, List<Coverage.Span> coverage,
                           Map<String, Newest> newest) {
        TreeMap<Integer, List<LineAudit.Located>> byYear = new TreeMap<>();
        Map<Integer, String> pathOfYear = new HashMap<>();
        for (String path : paths) {
            byte[] bytes = storage.read(path).orElse(null);
            if (bytes == null) {
                continue;
            }
            files++;
            PartitionFile.Expected e = PartitionFile.Expected.of(path);
            LineAudit.Result result = LineAudit.audit(bytes, e, into(path));
            lines += result.lines();
            byYear.put(e.year(), result.bars());
            pathOfYear.put(e.year(), path);
        }
        if (byYear.isEmpty()) {
            return;
        }
        // What a reader sees, by date: the year before the first checked one too (the first days' previous
        // sessions and the rules' history are there).
        TreeMap<LocalDate, LineAudit.Located> byDate = new TreeMap<>();
        for (Bar b : contextYear(ticker, adjusted, byYear.firstKey() - 1)) {
            byDate.put(b.tradingDate(), new LineAudit.Located(b, null));
        }
        byYear.values().forEach(bars -> bars.forEach(l -> byDate.put(l.bar().tradingDate(), l)));
        Function<LocalDate, Bar> stored = d -> {
            LineAudit.Located l = byDate.get(d);
            return l == null ? null : l.bar();
        };
        byYear.forEach((year, bars) -> checkTags(pathOfYear.get(year), bars, stored));

        List<Bar> series = new ArrayList<>(byDate.size());
        byDate.values().forEach(l -> series.add(l.bar()));
        Predicate<Bar> judged = b -> inRange(b.tradingDate()) && byYear.containsKey(b.tradingDate().getYear());
        Predicate<LocalDate> answered = d -> coverage != null && Coverage.answered(coverage, d, calendar);
        for (Issue i : dayRules.check(series, judged, answered)) {
            LineAudit.Located l = byDate.get(i.tradingDate());
            add(i.check(), StoreLayout.partitionOf(ticker, Timespan.DAY, adjusted, i.tradingDate()),
                    l == null ? null : l.line(), ticker, i.tradingDate(), i.message());
        }
        for (Bar b : series) {
            if (judged.test(b) && !calendar.isTradingDay(b.tradingDate())) {
                add(QualityCheck.NON_TRADING_DAY_BAR, pathOfYear.get(b.tradingDate().getYear()),
                        byDate.get(b.tradingDate()).line(), ticker, b.tradingDate(), "a bar on a day the NYSE was"
                                + " closed; it is never any bar's previous session");
            }
        }
        LocalDate end = check.to() == null ? LocalDate.MAX : check.to();
        LocalDate last = byDate.floorKey(end);
        if (last != null && byYear.containsKey(last.getYear())) {
            newest.put(ticker, new Newest(last, pathOfYear.get(last.getYear())));
        }
    }

    /** The bars of a year outside the range, for context only; a damaged one gives what can be read. */
    private List<Bar> contextYear(String ticker, boolean adjusted, int year) {
        String path = StoreLayout.partitionOf(ticker, Timespan.DAY, adjusted, LocalDate.of(year, 1, 1));
        try {
            return PartitionFile.decode(store.uri().toString(), path, storage.read(path).orElse(null)).bars();
        } catch (StoreException e) {
            return List.of();
        }
    }

    /** Re-runs the tagger over one partition's stored bars: each stored prior volume and phase must be its result. */
    private void checkTags(String path, List<LineAudit.Located> located, Function<LocalDate, Bar> stored) {
        List<Bar> bars = new ArrayList<>(located.size());
        located.forEach(l -> bars.add(l.bar()));
        List<Bar> tagged;
        try {
            tagged = DayTagging.tag(bars, stored, tagger, calendar);
        } catch (RuntimeException e) {
            add(QualityCheck.WRONG_PHASE, path, null, bars.get(0).ticker(), null, "phase tagger '" + tagger.name()
                    + "' failed on this partition: " + firstLine(e.getMessage()));
            return;
        }
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            Bar t = tagged.get(i);
            LocalDate previous = calendar.previousTradingDay(b.tradingDate());
            if (!Objects.equals(b.priorVolume(), t.priorVolume())) {
                add(QualityCheck.STALE_PRIOR_VOLUME, path, located.get(i).line(), b.ticker(), b.tradingDate(),
                        "prior_volume " + b.priorVolume() + ", but the previous session " + previous + (t.priorVolume()
                                == null ? " has no stored bar (null expected)" : " has volume " + t.priorVolume()
                                + " stored"));
            }
            if (b.phase() != t.phase()) {
                add(QualityCheck.WRONG_PHASE, path, located.get(i).line(), b.ticker(), b.tradingDate(), "phase "
                        + (b.phase() == null ? null : b.phase().label()) + ", but tagger '" + tagger.name()
                        + "' gives " + t.phase().label() + " for the stored bars (open " + b.open() + ", close "
                        + b.close() + ", volume " + b.volume() + ", previous session's volume " + t.priorVolume()
                        + ")");
            }
        }
    }

    private void checkStale(Map<String, Newest> newest) {
        if (newest.isEmpty()) {
            return;
        }
        LocalDate end = check.to() != null ? lastClosedSession(check.to())
                : newest.values().stream().map(Newest::date).max(LocalDate::compareTo).orElseThrow();
        newest.forEach((ticker, n) -> {
            String why = stale.check(n.date(), end, calendar);
            if (why != null) {
                add(QualityCheck.STALE_TICKER, n.path(), null, ticker, n.date(), why);
            }
        });
    }

    /** {@code to}, or the session before it while its own session (today's) has not closed. */
    private LocalDate lastClosedSession(LocalDate to) {
        LocalDate day = calendar.isTradingDay(to) ? to : calendar.previousTradingDay(to);
        while (!closed(day)) {
            day = calendar.previousTradingDay(day);
        }
        return day;
    }

    private boolean closed(LocalDate day) {
        return calendar.session(day).map(s -> !now.isBefore(s.close().toInstant())).orElse(!day.isAfter(
                now.atZone(dev.tickeretl.MarketTime.ZONE).toLocalDate()));
    }

    // ------------------------------------------------------------------------------------------------ minute bars

    private Map<String, Map<LocalDate, BitSet>> sourceMinutes(boolean adjusted, Map<String, List<String>> partitions,
                                                              Map<String, Map<LocalDate, BitSet>> segments)
            throws InterruptedException {
        List<TickerRange> ranges = new ArrayList<>();
        for (Map.Entry<String, List<String>> p : partitions.entrySet()) {
            List<LocalDate> dates = comparedDates(p.getValue(), segments.getOrDefault(p.getKey(), Map.of()));
            if (!dates.isEmpty()) {
                ranges.add(new TickerRange(p.getKey(), dates.get(0), dates.get(dates.size() - 1)));
            }
        }
        for (String t : check.tickers()) {
            if (!partitions.containsKey(t)) {
                List<LocalDate> dates = comparedDates(List.of(), Map.of());
                if (!dates.isEmpty()) {
                    ranges.add(new TickerRange(t, dates.get(0), dates.get(dates.size() - 1)));
                    partitions.put(t, new ArrayList<>());
                }
            }
        }
        return SourceMinutes.fetch(check.compareSource(), check.compareOptions(), check.clock(), adjusted, ranges,
                calendar);
    }

    /**
     * The closed sessions whose minutes are judged: with a source, every session of the range (or of the stored
     * days, without a range); without one, the days that have minute bars stored.
     */
    private List<LocalDate> comparedDates(List<String> paths, Map<LocalDate, BitSet> segments) {
        java.util.TreeSet<LocalDate> stored = new java.util.TreeSet<>(segments.keySet());
        for (String path : paths) {
            stored.add(PartitionFile.Expected.of(path).date());
        }
        List<LocalDate> dates = new ArrayList<>();
        if (check.compareSource() != null) {
            LocalDate from = check.from() != null ? check.from() : stored.isEmpty() ? null : stored.first();
            LocalDate to = check.to() != null ? check.to() : stored.isEmpty() ? null : stored.last();
            if (from != null && to != null) {
                dates.addAll(calendar.tradingDays(from, to));
            }
        } else {
            stored.stream().filter(calendar::isTradingDay).forEach(dates::add);
        }
        dates.removeIf(d -> !closed(d));
        return dates;
    }

    private void checkMinutes(String ticker, boolean adjusted, List<String> paths, Map<LocalDate, BitSet> segments,
                              Map<LocalDate, BitSet> source) {
        Map<LocalDate, BitSet> present = new HashMap<>();
        segments.forEach((d, set) -> present.put(d, (BitSet) set.clone()));
        for (String path : paths) {
            byte[] bytes = storage.read(path).orElse(null);
            if (bytes == null) {
                continue;
            }
            files++;
            LineAudit.Result result = LineAudit.audit(bytes, PartitionFile.Expected.of(path), into(path));
            lines += result.lines();
            for (LineAudit.Located l : result.bars()) {
                Bar b = l.bar();
                if (b.priorVolume() != null) {
                    add(QualityCheck.STALE_PRIOR_VOLUME, path, l.line(), ticker, b.tradingDate(), "a minute bar"
                            + " carries prior_volume " + b.priorVolume() + " (always null for minute bars)");
                }
                if (b.phase() != null) {
                    add(QualityCheck.WRONG_PHASE, path, l.line(), ticker, b.tradingDate(), "a minute bar carries"
                            + " phase " + b.phase().label() + " (always null for minute bars)");
                }
                for (Issue i : DayRules.barChecks(List.of(b))) {
                    add(i.check(), path, l.line(), ticker, b.tradingDate(), i.message());
                }
                mark(present, b);
            }
        }
        for (LocalDate date : comparedDates(paths, segments)) {
            SessionMinutes session = SessionMinutes.of(date, calendar);
            BitSet have = present.getOrDefault(date, new BitSet());
            BitSet expected = source != null ? (BitSet) source.getOrDefault(date, new BitSet()).clone()
                    : session.all();
            expected.andNot(have);
            if (expected.isEmpty()) {
                continue;
            }
            String file = StoreLayout.partitionOf(ticker, Timespan.MINUTE, adjusted, date);
            if (source != null) {
                add(QualityCheck.MINUTE_GAP, file, null, ticker, date, expected.cardinality() + " regular-session"
                        + " minutes the source (" + check.compareSource() + ") has are not stored: "
                        + session.describe(expected, 8));
            } else {
                add(QualityCheck.SESSION_MINUTES_WITHOUT_BAR, file, null, ticker, date, expected.cardinality()
                        + " of " + session.minutes() + " regular-session minutes have no bar: "
                        + session.describe(expected, 8));
            }
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
