package dev.tickeretl.bench;

import dev.tickeretl.RunRecord;
import dev.tickeretl.Store;
import dev.tickeretl.TradingCalendar;
import dev.tickeretl.internal.StoreLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The small jobs {@code bench/e2e.sh} needs Java for, so that the script needs nothing but bash, java and
 * {@code /usr/bin/time}:
 * <pre>
 * universe N        the first N symbols of the simulator's universe, comma-separated
 * run DIR           the newest run record of the file store in DIR, as key=value pairs on one line
 * digest DIR        SHA-256 over every data file of the store (relative path and bytes, both datasets), to compare
 *                   two stores
 * heap GC_LOG       the largest heap occupancy (MB) before any collection in a -Xlog:gc log, and the heap size
 * writes DIR       the store-write phase of the newest run: data files it wrote, from the first to the last file's
 *                   modification time, and bars written per second of that phase (meaningful when the writes
 *                   come in one stretch, as with the grouped-daily plan)
 * trading-days FROM..TO   the number of NYSE trading days in [FROM, TO]
 * </pre>
 */
public final class E2eTool {

    /** {@code GC(12) Pause Young (Normal) (G1 Evacuation Pause) 24M->5M(256M) 3.123ms} */
    private static final Pattern GC_LINE = Pattern.compile("\\bGC\\(\\d+\\) .*?(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    private E2eTool() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            usage();
            return;
        }
        String out = switch (args[0]) {
            case "universe" -> String.join(",", BenchData.universe(Integer.parseInt(args[1])));
            case "run" -> latestRun(Path.of(args[1]));
            case "digest" -> digest(Path.of(args[1]));
            case "heap" -> peakHeap(Path.of(args[1]));
            case "writes" -> writePhase(Path.of(args[1]));
            case "trading-days" -> {
                String[] range = args[1].split("\\.\\.");
                yield Integer.toString(TradingCalendar.nyse().countTradingDays(LocalDate.parse(range[0]),
                        LocalDate.parse(range[1])));
            }
            default -> null;
        };
        if (out == null) {
            usage();
            return;
        }
        System.out.println(out);
    }

    static String latestRun(Path storeDir) {
        try (Store store = Store.open(storeDir.toUri())) {
            List<RunRecord> runs = store.runs();
            if (runs.isEmpty()) {
                throw new IllegalStateException("store " + storeDir + " has no run record");
            }
            RunRecord r = runs.get(0);
            return String.format(Locale.ROOT, "status=%s duration_ms=%d requests=%d data_requests=%d retries=%d "
                            + "rate_limited=%d failed_requests=%d fetched=%d written=%d updated=%d unchanged=%d "
                            + "invalid=%d failed_tickers=%d files=%d bytes=%d",
                    r.status(), r.durationMs(), r.requests().requests(), r.requests().dataRequests(),
                    r.requests().retries(), r.requests().rateLimited(), r.requests().failedRequests(),
                    r.totals().fetched(), r.totals().written(), r.totals().updated(), r.totals().unchanged(),
                    r.totals().invalid(), r.totals().failedTickers(), r.totals().filesWritten(),
                    r.totals().bytesWritten());
        }
    }

    static String writePhase(Path storeDir) throws IOException {
        RunRecord run;
        try (Store store = Store.open(storeDir.toUri())) {
            run = store.runs().get(0);
        }
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long files = 0;
        long startedNanos = toNanos(run.startedAt());
        for (Path p : dataFiles(storeDir)) {
            long modified = toNanos(Files.getLastModifiedTime(p).toInstant());
            if (modified >= startedNanos) {
                first = Math.min(first, modified);
                last = Math.max(last, modified);
                files++;
            }
        }
        if (files < 2) {
            return "write_files=" + files + " write_phase_ms=0 write_bars_per_s=0";
        }
        // n files finish over n-1 gaps: scale up so that the phase includes the first file's own write.
        double phaseNanos = (last - first) * (double) files / (files - 1);
        return String.format(Locale.ROOT, "write_files=%d write_phase_ms=%.0f write_bars_per_s=%.0f", files,
                phaseNanos / 1e6, run.totals().written() / (phaseNanos / 1e9));
    }

    private static long toNanos(java.time.Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    static String digest(Path storeDir) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        long files = 0;
        for (Path p : dataFiles(storeDir)) {
            sha.update(storeDir.relativize(p).toString().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(Files.readAllBytes(p));
            files++;
        }
        return files + " files sha256=" + HexFormat.of().formatHex(sha.digest());
    }

    /** Every data file of the store, adjusted and unadjusted datasets alike, in path order. */
    static List<Path> dataFiles(Path storeDir) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String dataset : List.of(StoreLayout.ADJUSTED_BARS, StoreLayout.UNADJUSTED_BARS)) {
            Path root = storeDir.resolve(dataset);
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(p -> p.getFileName().toString().equals(StoreLayout.FILE_NAME)).forEach(files::add);
            }
        }
        files.sort(null);
        return files;
    }

    static String peakHeap(Path gcLog) throws IOException {
        long peak = 0;
        long size = 0;
        long collections = 0;
        try (Stream<String> lines = Files.lines(gcLog)) {
            for (String line : (Iterable<String>) lines::iterator) {
                Matcher m = GC_LINE.matcher(line);
                if (m.find()) {
                    peak = Math.max(peak, Long.parseLong(m.group(1)));
                    size = Math.max(size, Long.parseLong(m.group(3)));
                    collections++;
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return "peak_heap_mb=" + peak + " heap_size_mb=" + size + " collections=" + collections;
    }

    private static void usage() {
        System.err.println("usage: E2eTool universe N | run STORE_DIR | digest STORE_DIR | heap GC_LOG | writes STORE_DIR"
                + " | trading-days FROM..TO");
        System.exit(2);
    }
}
