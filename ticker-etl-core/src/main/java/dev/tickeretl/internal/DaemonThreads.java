package dev.tickeretl.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named daemon threads, so that a pool or a watchdog left behind by a failed close never keeps the JVM alive. The
 * one place this project makes its background threads (the other modules reach it through the core's qualified
 * export). Not for a run's own thread ({@code RunHandle}), which must keep the JVM alive until the run is recorded,
 * nor for shutdown hooks.
 */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** Threads named {@code prefix-1}, {@code prefix-2}, ... */
    public static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return task -> thread(prefix + "-" + n.incrementAndGet(), task);
    }

    /** One daemon thread named {@code name}, not started yet (an acceptor, a watchdog, a feed). */
    public static Thread thread(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
