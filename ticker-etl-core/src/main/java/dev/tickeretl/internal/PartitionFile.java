package dev.tickeretl.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tickeretl.Bar;
import dev.tickeretl.StoreException;
import dev.tickeretl.Timespan;
import dev.tickeretl.internal.quality.QualityCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * One partition file: JSON Lines of data-contract bars in {@code start_ms} order, one line per key. Decoding checks
 * what a reader must never pass on: a line that is not a bar (an error naming the file and the 1-based line), a
 * bar that belongs to another partition, a key that repeats. The last two are left out of what is read and reported
 * as {@link Decoded#problems()}; the next write of the partition drops them for good.
 */
public final class PartitionFile {

    /** A daily bar's line is about 330 characters. */
    static final int LINE_CAPACITY = 384;

    private PartitionFile() {
    }

    /** The bars of a partition, in time order, and what was wrong with the file (empty when nothing). */
    public record Decoded(List<Bar> bars, List<Problem> issues) {
        public Decoded {
            bars = List.copyOf(bars);
            issues = List.copyOf(issues);
        }

        static final Decoded EMPTY = new Decoded(List.of(), List.of());

        /** The problems as "line N: what" texts. */
        public List<String> problems() {
            return issues.stream().map(Problem::toString).toList();
        }
    }

    /** A line left out of what is read: a {@code DUPLICATE_KEY} or a {@code FOREIGN_LINE}, at a 1-based line. */
    public record Problem(QualityCheck check, int line, Bar bar, String message) {
        @Override
        public String toString() {
            return "line " + line + ": " + message;
        }
    }

    /** What a partition path says its bars are. */
    public record Expected(String ticker, Timespan timespan, boolean adjusted, int year, LocalDate date) {

        /** Parses a {@link StoreLayout} partition path; null when {@code path} is not one. */
        public static Expected of(String path) {
            String[] seg = path.split("/");
            if (seg.length != 5 || !seg[4].equals(StoreLayout.FILE_NAME) || !seg[1].startsWith("timespan=")
                    || !seg[2].startsWith("ticker=")) {
                return null;
            }
            boolean adjusted = seg[0].equals(StoreLayout.ADJUSTED_BARS);
            if (!adjusted && !seg[0].equals(StoreLayout.UNADJUSTED_BARS)) {
                return null;
            }
            try {
                Timespan timespan = Timespan.fromWireName(seg[1].substring("timespan=".length()));
                String ticker = seg[2].substring("ticker=".length());
                if (timespan == Timespan.DAY && seg[3].startsWith("year=")) {
                    return new Expected(ticker, timespan, adjusted, Integer.parseInt(seg[3].substring(5)), null);
                }
                if (timespan == Timespan.MINUTE && seg[3].startsWith("date=")) {
                    LocalDate date = LocalDate.parse(seg[3].substring(5));
                    return new Expected(ticker, timespan, adjusted, date.getYear(), date);
                }
            } catch (RuntimeException e) {
                return null;
            }
            return null;
        }

        /**
         * Whether every bar that belongs here (see {@link #mismatch}) has a trading date in [from, to]: the whole
         * year of a day partition, or the date of a minute partition, lies inside.
         */
        public boolean within(LocalDate from, LocalDate to) {
            LocalDate first = date != null ? date : LocalDate.of(year, 1, 1);
            LocalDate last = date != null ? date : LocalDate.of(year, 12, 31);
            return !first.isBefore(from) && !last.isAfter(to);
        }

        /** Why {@code bar} does not belong here, or null when it does. */
        public String mismatch(Bar bar) {
            if (!bar.ticker().equals(ticker)) {
                return "a " + bar.ticker() + " bar in " + ticker + "'s partition";
            }
            if (bar.timespan() != timespan) {
                return "a " + bar.timespan().wireName() + " bar in a " + timespan.wireName() + " partition";
            }
            if (bar.adjusted() != adjusted) {
                return "an " + (bar.adjusted() ? "adjusted" : "unadjusted") + " bar in the "
                        + (adjusted ? "adjusted" : "unadjusted") + " dataset";
            }
            if (date != null ? !bar.tradingDate().equals(date) : bar.tradingDate().getYear() != year) {
                return "a bar of " + bar.tradingDate() + " in the partition of " + (date != null ? date : year);
            }
            return null;
        }
    }

    /**
     * Parses the partition at {@code path} (a {@link StoreLayout} path) of store {@code store}.
     *
     * @throws StoreException naming the store, the file and the 1-based line when a line is not a bar, with what to
     *                        do about it
     */
    public static Decoded decode(String store, String path, byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return Decoded.EMPTY;
        }
        Expected expected = Expected.of(path);
        InOrder collected = new InOrder(bytes.length / 320 + 1);
        forEachBar(store, path, bytes, (lineNo, bar) -> {
            String mismatch = expected == null ? null : expected.mismatch(bar);
            if (mismatch != null) {
                collected.problems.add(new Problem(QualityCheck.FOREIGN_LINE, lineNo, bar, mismatch));
            } else {
                collected.add(lineNo, bar);
            }
        });
        return new Decoded(collected.bars(), collected.problems);
    }

    /**
     * A partition's bars by {@code start_ms}, the last line of a key winning. Lines are almost always in strictly
     * increasing order (the writer sorts them): such bars are appended to a list. Only a line out of order or
     * repeating a key moves them into a map that orders and de-duplicates (a TreeMap.put per bar was a tenth of
     * the decode).
     */
    private static final class InOrder {
        final List<Problem> problems = new ArrayList<>();
        private final List<Bar> inOrder;
        private TreeMap<Long, Bar> byStart;

        InOrder(int expected) {
            inOrder = new ArrayList<>(expected);
        }

        void add(int lineNo, Bar bar) {
            if (byStart == null) {
                if (inOrder.isEmpty() || bar.startMs() > inOrder.get(inOrder.size() - 1).startMs()) {
                    inOrder.add(bar);
                    return;
                }
                byStart = new TreeMap<>();
                for (Bar b : inOrder) {
                    byStart.put(b.startMs(), b);
                }
            }
            if (byStart.put(bar.startMs(), bar) != null) {
                problems.add(new Problem(QualityCheck.DUPLICATE_KEY, lineNo, bar, "key " + bar.ticker() + "/"
                        + bar.timespan().wireName() + "/" + bar.startMs() + " (" + bar.tradingDate()
                        + ") repeats an earlier line; the later one is kept"));
            }
        }

        List<Bar> bars() {
            return byStart == null ? inOrder : new ArrayList<>(byStart.values());
        }
    }

    /** Takes each bar of a file with its 1-based line number. */
    interface LineConsumer {
        void accept(int lineNo, Bar bar);
    }

    /**
     * Hands over the bar of every non-blank line of {@code bytes} (data-contract JSON Lines of a partition or a
     * segment at {@code path}), in file order.
     *
     * @throws StoreException naming the store, the file and the line when a line is not a bar
     */
    static void forEachBar(String store, String path, byte[] bytes, LineConsumer consumer) {
        BarLineParser fast = new BarLineParser();
        int lineNo = 0;
        int start = 0;
        while (start < bytes.length) {
            lineNo++;
            // Lines in the shape our writer makes are read without Jackson, and the parse finds where they end;
            // anything else is cut at the next '\n' and goes through Jackson.
            Bar bar = fast.parseLine(bytes, start);
            if (bar != null) {
                start = fast.lineEnd() + 1;
            } else {
                int end = start;
                while (end < bytes.length && bytes[end] != '\n') {
                    end++;
                }
                String line = new String(bytes, start, end - start, StandardCharsets.UTF_8);
                start = end + 1;
                if (line.isBlank()) {
                    continue;
                }
                bar = parseLine(store, path, lineNo, line.strip());
            }
            consumer.accept(lineNo, bar);
        }
    }

    static Bar parseLine(String store, String path, int lineNo, String line) {
        String why;
        try {
            Bar bar = JsonCodec.readBar(line);
            if (bar != null) {
                return bar;
            }
            why = "null is not a bar";
        } catch (JsonProcessingException e) {
            why = e.getOriginalMessage() + (e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr());
        } catch (IOException | RuntimeException e) {
            why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        // Jackson messages can run over several lines and quote the whole input; the first line says what is wrong.
        int newline = why.indexOf('\n');
        if (newline > 0) {
            why = why.substring(0, newline);
        }
        throw new StoreException("store " + store + ": partition " + path + " line " + lineNo
                + " is not a data-contract bar (" + why + "); move the file away and re-run the ingest of that period"
                + " (without --incremental) to fetch these bars again");
    }

    /** A partition file's bytes: one data-contract JSON object per line, in the given order. */
    public static byte[] encode(Collection<Bar> bars) {
        AsciiBuffer out = new AsciiBuffer(bars.size() * LINE_CAPACITY);
        for (Bar b : bars) {
            JsonCodec.appendJson(b, out);
            out.ascii('\n');
        }
        return out.toByteArray();
    }
}
