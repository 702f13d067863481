package dev.tickeretl.metrics;

import dev.tickeretl.internal.DaemonThreads;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a registry's metrics as a node_exporter textfile ({@code --collector.textfile.directory}), so a batch run
 * that no Prometheus scrapes while it lives still reports: at the end of the run, and every {@code interval} while a
 * long one goes on. Each write is atomic (a hidden temporary file in the same directory, synced, then renamed over
 * the target), so node_exporter never reads half a file.
 */
public final class PrometheusTextfile implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PrometheusTextfile.class);

    private final PrometheusMeterRegistry registry;
    private final Path file;
    private final ScheduledExecutorService timer;

    private PrometheusTextfile(PrometheusMeterRegistry registry, Path file, Duration interval) {
        this.registry = registry;
        this.file = file;
        this.timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("ticker-etl-metrics-file"));
        long ms = interval.toMillis();
        timer.scheduleWithFixedDelay(this::writeQuietly, ms, ms, TimeUnit.MILLISECONDS);
    }

    /**
     * Writes {@code file} every {@code interval} until {@link #close()}, which writes it a last time. Nothing is
     * written at once: the file of the previous run stays until this one has something to say (so an alert on "the
     * last success" does not lose it at every start). A path that cannot be written fails here, though.
     *
     * @throws IllegalArgumentException when the file name does not end in {@code .prom} (node_exporter reads only
     *                                  those) or its directory does not exist
     * @throws UncheckedIOException     when it cannot be written
     */
    public static PrometheusTextfile every(PrometheusMeterRegistry registry, Path file, Duration interval) {
        Objects.requireNonNull(registry, "registry");
        check(file);
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("metrics-file interval: must be positive, got " + interval);
        }
        probe(file);
        return new PrometheusTextfile(registry, file, interval);
    }

    /** Writes {@code file} once, atomically. */
    public static void write(PrometheusMeterRegistry registry, Path file) {
        check(file);
        Path tmp = temporary(file);
        try {
            byte[] text = registry.scrape().getBytes(StandardCharsets.UTF_8);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(text);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + file + " atomically on this file system", e);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the write's error is the one to report
            }
            throw new UncheckedIOException("metrics-file: cannot write " + file + " (" + e.getMessage() + ")", e);
        }
    }

    /** Creates and removes the temporary file a write would use: the directory must take it. */
    private static void probe(Path file) {
        Path tmp = temporary(file);
        try {
            Files.deleteIfExists(tmp);
            Files.createFile(tmp);
            Files.delete(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("metrics-file: cannot write in " + tmp.getParent() + " (" + e + ")", e);
        }
    }

    private static Path temporary(Path file) {
        return file.toAbsolutePath().getParent().resolve("." + file.getFileName() + "."
                + ProcessHandle.current().pid() + "." + Thread.currentThread().getId() + ".tmp");
    }

    private static void check(Path file) {
        Objects.requireNonNull(file, "file");
        Path name = file.getFileName();
        if (name == null || !name.toString().endsWith(".prom")) {
            throw new IllegalArgumentException("metrics-file: node_exporter's textfile collector reads only files "
                    + "ending in .prom, got '" + file + "'");
        }
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("metrics-file: the directory " + dir + " does not exist");
        }
    }

    private void writeQuietly() {
        try {
            write(registry, file);
        } catch (RuntimeException e) {
            LOG.warn("{}", e.getMessage()); // the next period, or the end of the run, tries again
        }
    }

    /** Stops the periodic writes and writes the file a last time. */
    @Override
    public void close() {
        cancel();
        write(registry, file);
    }

    /** Stops the periodic writes without writing again (e.g. the command failed before it ran anything). */
    public void cancel() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
