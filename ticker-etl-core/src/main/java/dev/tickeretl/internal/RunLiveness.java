package dev.tickeretl.internal;

import dev.tickeretl.RunRecord;
import dev.tickeretl.RunRecord.RunProcess;
import dev.tickeretl.RunStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a RUNNING record whose process is gone from a live one. On the same host the process id answers (and its
 * start time, so a recycled pid does not pass for the run); elsewhere the heartbeat does: a record whose heartbeat
 * is older than {@value #MISSED_HEARTBEATS} intervals is abandoned.
 */
public final class RunLiveness {

    private static final Logger LOG = LoggerFactory.getLogger(RunLiveness.class);

    static final int MISSED_HEARTBEATS = 3;
    /** Records written before heartbeats existed: abandoned once this old. */
    private static final Duration LEGACY_LIMIT = Duration.ofHours(1);

    private static volatile String host;

    private RunLiveness() {
    }

    /** This process, as a run record names it. */
    static RunProcess thisProcess(Instant now, Duration heartbeatInterval) {
        ProcessHandle me = ProcessHandle.current();
        return new RunProcess(hostName(), me.pid(), me.info().startInstant().orElse(null), now,
                heartbeatInterval.toMillis());
    }

    /** Why {@code run} is abandoned, or empty when it is finished or may still be running. */
    public static Optional<String> abandonment(RunRecord run, Instant now) {
        if (run.finished()) {
            return Optional.empty();
        }
        RunProcess p = run.process();
        if (p == null) {
            return run.startedAt() != null && run.startedAt().plus(LEGACY_LIMIT).isBefore(now)
                    ? Optional.of("no heartbeat since it started at " + run.startedAt())
                    : Optional.empty();
        }
        if (hostName().equals(p.host())) {
            Optional<ProcessHandle> handle = ProcessHandle.of(p.pid());
            boolean alive = handle.isPresent() && handle.get().isAlive()
                    && (p.processStartedAt() == null || handle.get().info().startInstant()
                    .map(s -> s.equals(p.processStartedAt())).orElse(true));
            return alive ? Optional.empty()
                    : Optional.of("process " + p.pid() + " on " + p.host() + " is gone (last heartbeat "
                    + p.heartbeatAt() + ")");
        }
        Instant last = p.heartbeatAt() != null ? p.heartbeatAt() : run.startedAt();
        Duration limit = Duration.ofMillis(Math.max(1, p.heartbeatIntervalMs()) * MISSED_HEARTBEATS);
        return last != null && last.plus(limit).isBefore(now)
                ? Optional.of("no heartbeat from process " + p.pid() + " on " + p.host() + " since " + last)
                : Optional.empty();
    }

    /** {@code runs} with every abandoned RUNNING record shown as ABANDONED. */
    public static List<RunRecord> view(List<RunRecord> runs, Instant now) {
        List<RunRecord> out = new ArrayList<>(runs.size());
        for (RunRecord r : runs) {
            out.add(abandonment(r, now).map(why -> asAbandoned(r, why)).orElse(r));
        }
        return out;
    }

    static RunRecord asAbandoned(RunRecord r, String why) {
        Instant lastSign = r.process() != null && r.process().heartbeatAt() != null ? r.process().heartbeatAt()
                : r.startedAt();
        return r.finishedAs(RunStatus.ABANDONED, lastSign, "abandoned: " + why);
    }

    /**
     * Re-records every abandoned run in {@code store} as ABANDONED (best effort: a store that cannot be written
     * keeps them RUNNING on disk, and readers still show them ABANDONED).
     *
     * @return how many were re-recorded
     */
    public static int reconcile(DataStore store, Instant now, String exceptRunId) {
        int n = 0;
        for (RunRecord r : store.runs()) {
            if (r.runId().equals(exceptRunId)) {
                continue;
            }
            Optional<String> why = abandonment(r, now);
            if (why.isPresent()) {
                try {
                    store.putRun(asAbandoned(r, why.get()));
                    LOG.warn("run {} was left RUNNING; recorded it as ABANDONED ({})", r.runId(), why.get());
                    n++;
                } catch (RuntimeException e) {
                    LOG.debug("cannot re-record run {} as ABANDONED: {}", r.runId(), e.getMessage());
                }
            }
        }
        return n;
    }

    /** The host name without a DNS round trip: the environment or the kernel knows it. */
    static String hostName() {
        String h = host;
        if (h == null) {
            h = System.getenv("HOSTNAME");
            if (h == null || h.isBlank()) {
                try {
                    h = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.US_ASCII).strip();
                } catch (IOException | RuntimeException e) {
                    try {
                        h = InetAddress.getLocalHost().getHostName();
                    } catch (IOException e2) {
                        h = "unknown-host";
                    }
                }
            }
            host = h;
        }
        return h;
    }
}
