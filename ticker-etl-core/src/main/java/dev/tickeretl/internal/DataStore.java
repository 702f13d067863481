package dev.tickeretl.internal;

import dev.tickeretl.Bar;
import dev.tickeretl.QualityRules;
import dev.tickeretl.RunRecord;
import dev.tickeretl.RunRecord.DataQualityWarning;
import dev.tickeretl.StoreException;
import dev.tickeretl.Timespan;
import dev.tickeretl.TradingCalendar;
import dev.tickeretl.internal.quality.DayRules;
import dev.tickeretl.internal.quality.Issue;
import dev.tickeretl.internal.quality.QualityCheck;
import dev.tickeretl.spi.PhaseTagger;
import dev.tickeretl.spi.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store: bars, run records and offsets laid out on a {@link Storage} as {@link StoreLayout} says. The same code
 * for every backend, so all of them write the same bytes and keep the same rules:
 * <ul>
 *   <li>Writes are keyed merges: an identical bar changes nothing and an unchanged partition is not written.</li>
 *   <li>Day bars are re-tagged with the whole partition on every write, and a changed partition re-tags the next
 *       year's, so each stored {@code prior_volume} is the stored volume of the previous session and each phase is
 *       the rule applied to the stored bars.</li>
 *   <li>Reads never pass on a foreign line or a repeated key; the next write of such a partition repairs it.</li>
 * </ul>
 */
public final class DataStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DataStore.class);
    /** Segment names: wall-clock microseconds, strictly increasing within this JVM. */
    private static final java.util.concurrent.atomic.AtomicLong SEGMENT_SEQUENCE =
            new java.util.concurrent.atomic.AtomicLong();
    /** Decoded segment bars kept per store (about 60 MB at most; a few minutes of a full-market stream). */
    private static final int SEGMENT_CACHE_BARS = 250_000;
    /** Bars one compaction round holds in memory (about 30 MB): see {@link #compact(Timespan, boolean, int)}. */
    static final int COMPACTION_ROUND_BARS = 100_000;

    private final Storage storage;
    private final TradingCalendar calendar;
    private final SegmentCache segmentCache = new SegmentCache(SEGMENT_CACHE_BARS);
    /** The offsets file as this store last wrote it, parsed: a stream commits every second, mostly over it. */
    private volatile LastOffsets lastOffsets;

    public DataStore(Storage storage, TradingCalendar calendar) {
        this.storage = storage;
        this.calendar = calendar;
    }

    public URI uri() {
        return storage.uri();
    }

    public Storage storage() {
        return storage;
    }

    // ---------------------------------------------------------------- bars

    /**
     * Stored bars of one ticker and dataset with trading dates in [from, to], in time order. Minute bars still in
     * segments (written by a stream, not yet compacted into partitions) are included, the newest revision winning.
     */
    public List<Bar> read(String ticker, Timespan timespan, boolean adjusted, LocalDate from, LocalDate to) {
        if (from.isAfter(to)) {
            return new ArrayList<>();
        }
        StoreLayout.tickerDirectory(ticker, timespan, adjusted); // refuses what is not a symbol
        if (timespan != Timespan.MINUTE) {
            return readPartitions(ticker, timespan, adjusted, from, to);
        }
        // Compaction writes a segment's bars into the partitions and then deletes the segment. So the segments are
        // listed before the partitions are read, and a listed segment that is gone by the time it is read (or by
        // the end) means a compaction ran in between: read again, and the bars are in the partitions then.
        String directory = StoreLayout.segmentsDirectory(timespan, adjusted);
        for (int attempt = 1; ; attempt++) {
            List<String> segments = storage.list(directory);
            List<Bar> found = readPartitions(ticker, timespan, adjusted, from, to);
            if (segments.isEmpty()) {
                segmentCache.retainOnly(segments);
                return found;
            }
            TreeMap<Long, Bar> merged = new TreeMap<>();
            for (Bar b : found) {
                merged.put(b.startMs(), b);
            }
            boolean complete = true;
            for (String segment : segments) {
                Map<String, List<Bar>> byTicker = segmentBars(segment);
                if (byTicker == null) {
                    complete = false;
                    break;
                }
                for (Bar b : byTicker.getOrDefault(ticker, List.of())) {
                    if (!b.tradingDate().isBefore(from) && !b.tradingDate().isAfter(to)) {
                        merged.put(b.startMs(), b);
                    }
                }
            }
            if (complete && storage.list(directory).containsAll(segments)) {
                segmentCache.retainOnly(segments);
                return new ArrayList<>(merged.values());
            }
            if (attempt == 5) {
                // Compactions keep overtaking this read (a store under heavy writing): what the partitions hold
                // after the last one is complete up to it, which is the best a reader can have.
                return readPartitions(ticker, timespan, adjusted, from, to);
            }
        }
    }

    private List<Bar> readPartitions(String ticker, Timespan timespan, boolean adjusted, LocalDate from,
                                     LocalDate to) {
        List<String> paths = StoreLayout.partitionsBetween(ticker, timespan, adjusted, from, to);
        List<List<Bar>> decoded = new ArrayList<>(paths.size());
        int count = 0;
        for (String path : paths) {
            List<Bar> bars = readPartition(path).bars();
            decoded.add(bars);
            count += bars.size();
        }
        // Sized once: growing a list of 20 years of bars copied it about a dozen times.
        List<Bar> found = new ArrayList<>(count);
        for (int i = 0; i < paths.size(); i++) {
            List<Bar> bars = decoded.get(i);
            // Decoding leaves out bars of other periods, so a partition inside [from, to] needs no check per bar.
            PartitionFile.Expected period = PartitionFile.Expected.of(paths.get(i));
            if (period != null && period.within(from, to)) {
                found.addAll(bars);
                continue;
            }
            for (Bar bar : bars) {
                if (!bar.tradingDate().isBefore(from) && !bar.tradingDate().isAfter(to)) {
                    found.add(bar);
                }
            }
        }
        return found;
    }

    // ---------------------------------------------------------------- segments (group commit)

    /**
     * Makes {@code bars} (any tickers of one dataset, untagged minute bars) durable with one write: a new segment,
     * as Kafka appends to its log. Thousands of tickers a minute cannot each pay a partition rewrite and an fsync;
     * {@link #compact} later folds segments into the partitions, and reads see both meanwhile.
     */
    public WriteOutcome appendSegment(Timespan timespan, boolean adjusted, List<Bar> bars, String runId) {
        if (bars.isEmpty()) {
            return WriteOutcome.EMPTY;
        }
        long micros = SEGMENT_SEQUENCE.updateAndGet(last -> Math.max(last + 1, System.currentTimeMillis() * 1000));
        String path = StoreLayout.segmentsDirectory(timespan, adjusted) + String.format("%016d-%s.jsonl", micros,
                StoreLayout.requireSafeRunId(runId));
        byte[] bytes = PartitionFile.encode(bars);
        storage.create(path, bytes); // a name of its own: no lock, nothing left behind when compaction deletes it
        return new WriteOutcome(0, 0, 0, 1, bytes.length, bars, List.of());
    }

    /**
     * Folds every segment of one dataset into its partitions, oldest first (a later revision of a minute wins), then
     * removes those segments. Idempotent: after a crash midway it is simply done again.
     *
     * @return what the partition writes did
     */
    public WriteOutcome compact(Timespan timespan, boolean adjusted) {
        return compact(timespan, adjusted, COMPACTION_ROUND_BARS);
    }

    /**
     * {@link #compact(Timespan, boolean)} in rounds of segments holding about {@code roundBars} bars: only one round
     * is in memory, so segments left by a long stream (or a crash) never need the heap all at once. Each round's
     * partitions are written before its segments are deleted, and rounds go oldest first, so a minute revised in a
     * later round ends at its later revision, and a reader (which overlays the remaining segments) never misses one.
     */
    WriteOutcome compact(Timespan timespan, boolean adjusted, int roundBars) {
        List<String> segments = storage.list(StoreLayout.segmentsDirectory(timespan, adjusted));
        Totals total = new Totals();
        int next = 0;
        while (next < segments.size()) {
            List<String> round = new ArrayList<>();
            Map<String, TreeMap<Long, Bar>> byPartition = new TreeMap<>(); // partitions in path order
            long held = 0;
            while (next < segments.size() && (round.isEmpty() || held < roundBars)) {
                String segment = segments.get(next++);
                round.add(segment);
                for (Bar b : readSegment(segment)) {
                    byPartition.computeIfAbsent(StoreLayout.partitionOf(b), p -> new TreeMap<>()).put(b.startMs(), b);
                    held++;
                }
            }
            for (Map.Entry<String, TreeMap<Long, Bar>> p : byPartition.entrySet()) {
                total.add(writePartition(p.getKey(), new ArrayList<>(p.getValue().values()), bars -> bars));
            }
            for (String segment : round) {
                storage.delete(segment);
                segmentCache.remove(segment);
            }
        }
        return total.outcome(false);
    }

    /**
     * One segment's bars, for compaction: from the cache when a reader decoded it already, else decoded without
     * caching it (it is deleted right after; caching it would only evict what readers use).
     */
    private List<Bar> readSegment(String path) {
        Map<String, List<Bar>> byTicker = segmentCache.get(path);
        if (byTicker == null) {
            byte[] bytes = storage.read(path).orElse(null);
            if (bytes == null) {
                return List.of(); // compacted and removed since the listing
            }
            byTicker = decodeSegment(path, bytes);
        }
        List<Bar> bars = new ArrayList<>();
        byTicker.values().forEach(bars::addAll);
        return bars;
    }

    /** For tests: bars held in the decoded-segment cache. */
    long segmentCacheBars() {
        return segmentCache.bars();
    }

    /**
     * One segment's bars by ticker, in arrival order, or null when the segment is gone. Segments are never rewritten
     * (each has a unique name and is only ever deleted), so decoded ones are kept: a reader that polls one ticker's
     * minutes every second would otherwise decode every ticker's bars of every segment each time.
     */
    private Map<String, List<Bar>> segmentBars(String path) {
        Map<String, List<Bar>> cached = segmentCache.get(path);
        if (cached != null) {
            return cached;
        }
        byte[] bytes = storage.read(path).orElse(null);
        if (bytes == null) {
            return null;
        }
        Map<String, List<Bar>> byTicker = decodeSegment(path, bytes);
        segmentCache.put(path, byTicker);
        return byTicker;
    }

    private Map<String, List<Bar>> decodeSegment(String path, byte[] bytes) {
        // A segment holds many tickers, so no partition membership applies; order within it is arrival order.
        Map<String, List<Bar>> byTicker = new java.util.HashMap<>();
        PartitionFile.forEachBar(uri().toString(), path, bytes,
                (lineNo, bar) -> byTicker.computeIfAbsent(bar.ticker(), t -> new ArrayList<>()).add(bar));
        return byTicker;
    }

    /** One partition, checked; problems are logged (the next write repairs them). */
    public PartitionFile.Decoded readPartition(String path) {
        PartitionFile.Decoded decoded = PartitionFile.decode(uri().toString(), path,
                storage.read(path).orElse(null));
        if (!decoded.problems().isEmpty()) {
            LOG.warn("store {}: partition {} is damaged, the bad lines are not read (the next write of it repairs"
                    + " the file): {}", uri(), path, String.join("; ", decoded.problems()));
        }
        return decoded;
    }

    /** What one write did. {@code changed}: the bars whose stored bytes changed, for fan-out sinks. */
    public record WriteOutcome(long inserted, long updated, long unchanged, long filesWritten, long bytesWritten,
                               List<Bar> changed, List<DataQualityWarning> warnings) {
        static final WriteOutcome EMPTY = new WriteOutcome(0, 0, 0, 0, 0, List.of(), List.of());

        WriteOutcome plus(WriteOutcome o) {
            List<Bar> c = new ArrayList<>(changed);
            c.addAll(o.changed);
            List<DataQualityWarning> w = new ArrayList<>(warnings);
            w.addAll(o.warnings);
            return new WriteOutcome(inserted + o.inserted, updated + o.updated, unchanged + o.unchanged,
                    filesWritten + o.filesWritten, bytesWritten + o.bytesWritten, c, w);
        }
    }

    /**
     * Adds up many writes' outcomes in place: {@link WriteOutcome#plus} copies its lists, which over thousands of
     * partitions (a compaction, a long minute backfill) is quadratic.
     */
    private static final class Totals {
        private long inserted;
        private long updated;
        private long unchanged;
        private long filesWritten;
        private long bytesWritten;
        private final List<Bar> changed = new ArrayList<>();
        private final List<DataQualityWarning> warnings = new ArrayList<>();

        void add(WriteOutcome o) {
            inserted += o.inserted();
            updated += o.updated();
            unchanged += o.unchanged();
            filesWritten += o.filesWritten();
            bytesWritten += o.bytesWritten();
            changed.addAll(o.changed());
            warnings.addAll(o.warnings());
        }

        /** @param withChanged whether the changed bars are wanted (fan-out), or only the counts */
        WriteOutcome outcome(boolean withChanged) {
            return new WriteOutcome(inserted, updated, unchanged, filesWritten, bytesWritten,
                    withChanged ? changed : List.of(), warnings);
        }
    }

    /**
     * Merges {@code incoming} bars of one ticker, timespan and price basis into the store, durably. Day bars are
     * tagged with {@code tagger}; minute bars carry no phase.
     */
    public WriteOutcome write(String ticker, Timespan timespan, boolean adjusted, Collection<Bar> incoming,
                              PhaseTagger tagger) {
        return write(ticker, timespan, adjusted, incoming, tagger, null);
    }

    /**
     * {@link #write(String, Timespan, boolean, Collection, PhaseTagger)}, and judges the written bars by the
     * data-quality {@code rules} (null: none) against the stored neighbours the write already holds, so the checks
     * cost no extra read; their findings come back as the outcome's warnings.
     */
    public WriteOutcome write(String ticker, Timespan timespan, boolean adjusted, Collection<Bar> incoming,
                              PhaseTagger tagger, QualityRules rules) {
        for (Bar b : incoming) {
            if (!b.ticker().equals(ticker) || b.timespan() != timespan || b.adjusted() != adjusted) {
                throw new IllegalArgumentException("bar " + b.key() + " (adjusted=" + b.adjusted()
                        + ") does not belong to " + ticker + "/" + timespan.wireName() + "/adjusted=" + adjusted);
            }
        }
        if (timespan == Timespan.DAY) {
            return writeDays(ticker, adjusted, incoming, tagger, rules == null ? null : new DayRules(rules, calendar));
        }
        WriteOutcome written = writeMinutes(incoming);
        return rules == null ? written : written.plus(issues(DayRules.barChecks(incoming)));
    }

    private static WriteOutcome issues(List<Issue> issues) {
        if (issues.isEmpty()) {
            return WriteOutcome.EMPTY;
        }
        List<DataQualityWarning> warnings = new ArrayList<>(issues.size());
        for (Issue i : issues) {
            warnings.add(i.toWarning());
        }
        return new WriteOutcome(0, 0, 0, 0, 0, List.of(), warnings);
    }

    private WriteOutcome writeMinutes(Collection<Bar> incoming) {
        Totals total = new Totals();
        for (Map.Entry<String, List<Bar>> p : StoreLayout.byPartition(incoming).entrySet()) {
            total.add(writePartition(p.getKey(), p.getValue(), bars -> bars));
        }
        return total.outcome(true);
    }

    private WriteOutcome writeDays(String ticker, boolean adjusted, Collection<Bar> incoming, PhaseTagger tagger,
                                   DayRules rules) {
        TreeMap<Integer, List<Bar>> byYear = new TreeMap<>();
        for (Bar b : incoming) {
            byYear.computeIfAbsent(b.tradingDate().getYear(), y -> new ArrayList<>()).add(b);
        }
        if (byYear.isEmpty()) {
            return WriteOutcome.EMPTY;
        }
        // Years written in this call, as now stored: the context the next year is tagged against.
        Map<Integer, Map<LocalDate, Bar>> years = new HashMap<>();
        Function<Integer, Map<LocalDate, Bar>> year = y -> years.computeIfAbsent(y, k -> byDate(readPartition(
                StoreLayout.partitionOf(ticker, Timespan.DAY, adjusted, LocalDate.of(k, 1, 1))).bars()));
        Function<LocalDate, Bar> earlier = date -> year.apply(date.getYear()).get(date);
        WriteOutcome total = WriteOutcome.EMPTY;
        int lastIncoming = byYear.lastKey();
        boolean previousChanged = false;
        for (int y = byYear.firstKey(); ; y++) {
            List<Bar> in = byYear.getOrDefault(y, List.of());
            if (in.isEmpty() && !previousChanged) {
                if (y > lastIncoming) {
                    break;
                }
                continue;
            }
            String path = StoreLayout.partitionOf(ticker, Timespan.DAY, adjusted, LocalDate.of(y, 1, 1));
            AtomicReference<List<Bar>> stored = new AtomicReference<>();
            WriteOutcome outcome = writePartition(path, in, merged -> {
                List<Bar> tagged = DayTagging.tag(merged, earlier, tagger, calendar);
                stored.set(tagged);
                return tagged;
            });
            years.put(y, byDate(stored.get()));
            total = total.plus(outcome.plus(missingPrevious(in, stored.get(), earlier)));
            if (rules != null && !in.isEmpty()) {
                total = total.plus(issues(judge(rules, in, stored.get(), y, year)));
            }
            // A changed year can change the prior sessions of the next one: re-tag it, and so on while it changes.
            previousChanged = !outcome.changed().isEmpty();
        }
        return total;
    }

    /**
     * The data-quality findings about the {@code incoming} bars of year {@code y}, judged against what is now stored:
     * the year itself and, when the rules' history reaches into it, the year before (the tagging has usually read it
     * already).
     */
    private static List<Issue> judge(DayRules rules, List<Bar> incoming, List<Bar> stored, int y,
                                     Function<Integer, Map<LocalDate, Bar>> year) {
        java.util.Set<Long> written = new java.util.HashSet<>();
        for (Bar b : incoming) {
            written.add(b.startMs());
        }
        int firstTarget = 0;
        while (firstTarget < stored.size() && !written.contains(stored.get(firstTarget).startMs())) {
            firstTarget++;
        }
        List<Bar> series = stored;
        if (firstTarget <= rules.history()) {
            series = new ArrayList<>(new TreeMap<>(year.apply(y - 1)).values());
            series.addAll(stored);
        }
        return rules.check(series, b -> written.contains(b.startMs()), d -> false);
    }

    /** Warnings for incoming bars whose previous session has no bar. */
    private WriteOutcome missingPrevious(List<Bar> incoming, List<Bar> stored, Function<LocalDate, Bar> earlier) {
        if (incoming.isEmpty()) {
            return WriteOutcome.EMPTY;
        }
        Map<Long, Bar> tagged = new HashMap<>();
        for (Bar b : stored) {
            tagged.put(b.startMs(), b);
        }
        LocalDate firstStored = stored.isEmpty() ? null : stored.get(0).tradingDate();
        List<DataQualityWarning> warnings = new ArrayList<>();
        for (Bar in : incoming) {
            Bar b = tagged.get(in.startMs());
            if (b == null || b.priorVolume() != null) {
                continue;
            }
            LocalDate prev = calendar.previousTradingDay(b.tradingDate());
            boolean first = b.tradingDate().equals(firstStored) && !hasBarBefore(b.tradingDate(), earlier);
            warnings.add(first
                    ? new DataQualityWarning("NO_PREVIOUS_BAR", b.ticker(), b.tradingDate(), "no bar for the previous"
                    + " trading day " + prev + " (first bar of the ticker); tagged Neutral")
                    : new DataQualityWarning("MISSING_PREVIOUS_BAR", b.ticker(), b.tradingDate(), "previous trading"
                    + " day " + prev + " has no bar upstream; tagged Neutral without comparing with an older bar"));
        }
        return new WriteOutcome(0, 0, 0, 0, 0, List.of(), warnings);
    }

    /** Whether the ticker has any bar in the year before {@code date}'s (the partition itself is checked apart). */
    private static boolean hasBarBefore(LocalDate date, Function<LocalDate, Bar> earlier) {
        LocalDate d = date.withDayOfYear(1).minusDays(1);
        for (int i = 0; i < 366; i++, d = d.minusDays(1)) {
            if (earlier.apply(d) != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * One partition's read-merge-write, atomic against other writers: incoming bars replace stored ones of the same
     * key, {@code finish} turns the merged partition (time order) into what is stored, and only a partition whose
     * bytes would change (or that needs repair) is written.
     */
    private WriteOutcome writePartition(String path, List<Bar> incoming,
                                        java.util.function.UnaryOperator<List<Bar>> finish) {
        WriteOutcome[] result = new WriteOutcome[1];
        storage.update(path, bytes -> {
            PartitionFile.Decoded old = PartitionFile.decode(uri().toString(), path, bytes);
            TreeMap<Long, Bar> merged = new TreeMap<>();
            for (Bar b : old.bars()) {
                merged.put(b.startMs(), b);
            }
            TreeMap<Long, Bar> latest = new TreeMap<>();
            for (Bar b : incoming) {
                latest.put(b.startMs(), b); // the last one received wins
            }
            merged.putAll(latest);
            List<Bar> stored = finish.apply(new ArrayList<>(merged.values()));
            Map<Long, Bar> before = new HashMap<>();
            for (Bar b : old.bars()) {
                before.put(b.startMs(), b);
            }
            long inserted = 0;
            long updated = 0;
            long unchanged = 0;
            List<Bar> changed = new ArrayList<>();
            for (Bar b : stored) {
                Bar was = before.get(b.startMs());
                boolean isIncoming = latest.containsKey(b.startMs());
                if (was == null) {
                    inserted++;
                    changed.add(b);
                } else if (!was.equals(b)) {
                    updated++;
                    changed.add(b);
                } else if (isIncoming) {
                    unchanged++;
                }
            }
            List<DataQualityWarning> warnings = new ArrayList<>();
            if (!old.issues().isEmpty()) {
                String ticker = incoming.isEmpty() ? null : incoming.get(0).ticker();
                // Each bad line counts under its own check; the repair itself is one note.
                for (PartitionFile.Problem p : old.issues()) {
                    warnings.add(new DataQualityWarning(p.check().name(), ticker, p.bar().tradingDate(), path
                            + " line " + p.line() + ": " + p.message() + "; dropped by this write"));
                }
                warnings.add(new DataQualityWarning(QualityCheck.REPAIRED_PARTITION.name(), ticker, null,
                        "rewrote " + path + " without its bad lines: " + String.join("; ", old.problems())));
            }
            if (changed.isEmpty() && old.issues().isEmpty()) {
                result[0] = new WriteOutcome(inserted, updated, unchanged, 0, 0, List.of(), List.of());
                return null;
            }
            byte[] encoded = PartitionFile.encode(stored);
            result[0] = new WriteOutcome(inserted, updated, unchanged, 1, encoded.length, changed, warnings);
            return encoded;
        });
        return result[0];
    }

    private static Map<LocalDate, Bar> byDate(List<Bar> bars) {
        Map<LocalDate, Bar> map = new HashMap<>();
        for (Bar b : bars) {
            map.put(b.tradingDate(), b);
        }
        return map;
    }

    // ---------------------------------------------------------------- runs

    public void putRun(RunRecord run) {
        storage.put(StoreLayout.runPath(StoreLayout.requireSafeRunId(run.runId())), JsonCodec.toJson(run));
    }

    /** Every readable run record, newest first; an unreadable one is skipped with a warning. */
    public List<RunRecord> runs() {
        List<RunRecord> runs = new ArrayList<>();
        for (String path : storage.list(StoreLayout.RUNS + "/")) {
            String name = path.substring(StoreLayout.RUNS.length() + 1);
            if (!name.endsWith(".json") || name.contains("/")) {
                continue;
            }
            readRun(path).ifPresent(runs::add);
        }
        runs.sort(RunRecord.NEWEST_FIRST);
        return runs;
    }

    private Optional<RunRecord> readRun(String path) {
        Optional<byte[]> bytes = storage.read(path);
        if (bytes.isEmpty()) {
            return Optional.empty(); // deleted since the listing
        }
        try {
            return Optional.of(JsonCodec.parseRun(bytes.get()));
        } catch (UncheckedIOException e) {
            LOG.warn("store {}: skipping unreadable run record {}: {}", uri(), path, e.getMessage());
            return Optional.empty();
        }
    }

    // ---------------------------------------------------------------- offsets

    /** The committed offsets and coverage of one dataset (empty when none). */
    public OffsetsFile offsets(Timespan timespan, boolean adjusted) {
        String path = StoreLayout.offsetsPath(timespan, adjusted);
        return parseOffsets(path, storage.read(path).orElse(null), timespan, adjusted);
    }

    private OffsetsFile parseOffsets(String path, byte[] bytes, Timespan timespan, boolean adjusted) {
        if (bytes == null || bytes.length == 0) {
            return OffsetsFile.empty(timespan, adjusted);
        }
        try {
            return JsonCodec.read(bytes, OffsetsFile.class);
        } catch (IOException | RuntimeException e) {
            throw new StoreException("store " + uri() + ": offsets file " + path + " is not readable ("
                    + firstLine(e.getMessage()) + "); move it away to start over (the next run then fetches the"
                    + " whole range again)");
        }
    }

    /** What to commit for one partition: its new offset (null: keep the stored one) and newly answered spans. */
    public record Commit(Map<String, String> offset, List<Coverage.Span> coverage) {
        public Commit {
            coverage = List.copyOf(coverage);
        }
    }

    /** Commits offsets and coverage of one dataset's partitions (by ticker), atomically, in one write. */
    public void commit(Timespan timespan, boolean adjusted, Map<String, Commit> commits, Instant at, String runId) {
        if (commits.isEmpty()) {
            return;
        }
        String path = StoreLayout.offsetsPath(timespan, adjusted);
        byte[][] written = new byte[1][];
        OffsetsFile[] parsed = new OffsetsFile[1];
        LastOffsets last = lastOffsets;
        lastOffsets = null;
        storage.update(path, bytes -> {
            // Parsing a file of thousands of partitions costs far more than comparing its bytes: when nobody else
            // wrote it since our last commit, the copy in memory is the file.
            OffsetsFile file = last != null && last.path().equals(path) && Arrays.equals(last.bytes(), bytes)
                    ? last.file() : parseOffsets(path, bytes, timespan, adjusted);
            Map<String, OffsetsFile.Progress> partitions = new TreeMap<>(file.partitions());
            commits.forEach((ticker, c) -> {
                OffsetsFile.Progress old = partitions.getOrDefault(ticker, OffsetsFile.Progress.NONE);
                List<Coverage.Span> coverage = old.coverage();
                for (Coverage.Span s : c.coverage()) {
                    coverage = Coverage.add(coverage, s, calendar);
                }
                partitions.put(ticker, new OffsetsFile.Progress(c.offset() != null ? c.offset() : old.offset(),
                        coverage, at, runId));
            });
            parsed[0] = new OffsetsFile(OffsetsFile.SCHEMA_VERSION, timespan, adjusted, partitions);
            written[0] = JsonCodec.toJsonBytes(parsed[0]);
            return written[0];
        });
        if (written[0] != null) {
            // Written, or already equal to what would have been written: the file now holds these bytes.
            lastOffsets = new LastOffsets(path, written[0], parsed[0]);
        }
    }

    private record LastOffsets(String path, byte[] bytes, OffsetsFile file) {
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    @Override
    public void close() {
        storage.close();
    }

    @Override
    public String toString() {
        return "DataStore[" + uri() + "]";
    }
}
