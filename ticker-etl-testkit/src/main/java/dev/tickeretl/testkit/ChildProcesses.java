package dev.tickeretl.testkit;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Stopping the servers tests start in processes of their own (Prometheus, a Kafka broker). */
public final class ChildProcesses {

    private ChildProcesses() {
    }

    /**
     * Stops {@code process} as an operator would: SIGTERM (a controlled shutdown), then SIGKILL if it has not ended
     * within {@code limit}, and waits for that too, at most {@code limit} again.
     */
    public static void stop(Process process, Duration limit) {
        process.destroy();
        try {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
