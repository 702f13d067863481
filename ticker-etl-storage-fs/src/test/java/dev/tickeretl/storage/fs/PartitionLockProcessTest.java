package dev.tickeretl.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The OS layer of {@link PartitionLock}, polled rather than blocked on, against a holder in another process. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PartitionLockProcessTest {

    @TempDir
    Path tmp;

    private Process holder;
    private final ExecutorService waiter = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() throws InterruptedException {
        waiter.shutdownNow();
        if (holder != null) {
            holder.destroyForcibly();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aWriterWaitsWhileAnotherProcessHoldsTheLockAndGetsItOnceReleased() throws Exception {
        Path lockFile = tmp.resolve(".bars.jsonl.lock");
        BufferedReader out = startHolder(lockFile);
        assertThat(out.readLine()).isEqualTo("locked");

        Future<String> acquired = waiter.submit(() -> {
            try (PartitionLock lock = PartitionLock.acquire(lockFile)) {
                return "acquired";
            }
        });
        // Long enough for many polls at the largest backoff: it must still be waiting.
        assertThat(waitFor(acquired, 1_500)).as("acquired while the other process holds the lock").isNull();

        try (OutputStream in = holder.getOutputStream()) {
            in.write("release\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(out.readLine()).isEqualTo("released");
        assertThat(acquired.get(10, TimeUnit.SECONDS)).isEqualTo("acquired");
    }

    @Test
    void anInterruptEndsTheWaitForAnotherProcessAndFreesTheLockForOtherThreads() throws Exception {
        Path lockFile = tmp.resolve(".bars.jsonl.lock");
        BufferedReader out = startHolder(lockFile);
        assertThat(out.readLine()).isEqualTo("locked");

        CompletableFuture<Thread> waitingThread = new CompletableFuture<>();
        Future<String> outcome = waiter.submit(() -> {
            waitingThread.complete(Thread.currentThread());
            try (PartitionLock lock = PartitionLock.acquire(lockFile)) {
                return "acquired";
            } catch (IOException e) {
                // Interrupted in the nap or inside tryLock (which closes the channel): both are an interrupt.
                return e.getClass().getSimpleName() + ", interrupted=" + Thread.currentThread().isInterrupted();
            }
        });
        assertThat(waitFor(outcome, 300)).isNull();
        waitingThread.get().interrupt();
        assertThat(outcome.get(10, TimeUnit.SECONDS)).as("gave up, interrupt status kept")
                .isIn("FileLockInterruptionException, interrupted=true",
                        "ClosedByInterruptException, interrupted=true");

        try (OutputStream in = holder.getOutputStream()) {
            in.write("release\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(out.readLine()).isEqualTo("released");
        // The interrupted waiter released its in-JVM place: this thread gets the lock.
        try (PartitionLock lock = PartitionLock.acquire(lockFile)) {
            assertThat(lock).isNotNull();
        }
    }

    private BufferedReader startHolder(Path lockFile) throws IOException {
        holder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), LockHolderProcess.class.getName(),
                lockFile.toString()))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        return new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
    }

    /** The result, or null when {@code future} is not done within {@code millis}. */
    private static String waitFor(Future<String> future, long millis) throws Exception {
        try {
            return future.get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillWaiting) {
            return null;
        } catch (ExecutionException e) {
            throw new AssertionError("the waiter failed", e.getCause());
        }
    }
}
