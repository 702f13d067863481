package dev.tickeretl.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * How the simulated WebSocket misbehaves: connection faults at chosen market times, and per-event quirks of the real
 * feed at seeded rates. Immutable; give it to {@link PolygonSimulator.Builder#streamFaults} or install it at any time
 * with {@link SimulatedStream#faults(StreamFaultPlan)}.
 *
 * <pre>{@code
 * StreamFaultPlan.builder()
 *         .at(Instant.parse("2025-03-03T15:00:00Z"), StreamFault.DROP)   // reset every connection at 10:00 New York
 *         .stall(Instant.parse("2025-03-03T15:30:00Z"), Duration.ofMinutes(2))
 *         .revisions(0.05).duplicates(0.01).outOfOrder(0.01)
 *         .eventsPerMessage(50).fragmentBytes(300)
 *         .build();
 * }</pre>
 *
 * <p>A connection fault scheduled at market time T applies to the connections open when the market clock reaches T,
 * before the events published at T (those of the minute ending at T); a time already past applies at once. Rates are
 * decided per event by a hash of the simulator's seed, the symbol, the minute and the event's version, so the same
 * seed always revises, duplicates and reorders the same events.
 */
public final class StreamFaultPlan {

    /** Revisions as the real feed has them now and then, and nothing else. */
    static final double DEFAULT_REVISION_RATE = 0.02;
    static final int DEFAULT_EVENTS_PER_MESSAGE = 500;

    private static final StreamFaultPlan NONE = new Builder().revisions(0.0).build();

    private final List<Scheduled> scheduled;
    private final double revisionRate;
    private final double duplicateRate;
    private final double outOfOrderRate;
    private final int authFailures;
    private final int eventsPerMessage;
    private final int fragmentBytes;

    private StreamFaultPlan(Builder b) {
        List<Scheduled> sorted = new ArrayList<>(b.scheduled);
        sorted.sort(Comparator.comparing(Scheduled::at));
        this.scheduled = List.copyOf(sorted);
        this.revisionRate = b.revisionRate;
        this.duplicateRate = b.duplicateRate;
        this.outOfOrderRate = b.outOfOrderRate;
        this.authFailures = b.authFailures;
        this.eventsPerMessage = b.eventsPerMessage;
        this.fragmentBytes = b.fragmentBytes;
    }

    /** A clean feed: no faults, no revisions, every minute's events batched in messages of up to 500. */
    public static StreamFaultPlan none() {
        return NONE;
    }

    /** What a simulator streams unless told otherwise: 2% of minutes revised, nothing else. */
    public static StreamFaultPlan defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    List<Scheduled> scheduled() {
        return scheduled;
    }

    double revisionRate() {
        return revisionRate;
    }

    double duplicateRate() {
        return duplicateRate;
    }

    double outOfOrderRate() {
        return outOfOrderRate;
    }

    int authFailures() {
        return authFailures;
    }

    int eventsPerMessage() {
        return eventsPerMessage;
    }

    int fragmentBytes() {
        return fragmentBytes;
    }

    @Override
    public String toString() {
        return "StreamFaultPlan[scheduled=" + scheduled + ", revisions=" + revisionRate + ", duplicates="
                + duplicateRate + ", outOfOrder=" + outOfOrderRate + ", authFailures=" + authFailures
                + ", eventsPerMessage=" + eventsPerMessage + ", fragmentBytes=" + fragmentBytes + "]";
    }

    /**
     * One connection fault at a market time; a {@link StreamFault#STALL} with a {@code duration} ends by itself after
     * that much market time, without one it lasts until the client closes the connection.
     */
    record Scheduled(Instant at, StreamFault fault, Duration duration) {
    }

    /** Collects a {@link StreamFaultPlan}. */
    public static final class Builder {

        private final List<Scheduled> scheduled = new ArrayList<>();
        private double revisionRate = DEFAULT_REVISION_RATE;
        private double duplicateRate;
        private double outOfOrderRate;
        private int authFailures;
        private int eventsPerMessage = DEFAULT_EVENTS_PER_MESSAGE;
        private int fragmentBytes;

        private Builder() {
        }

        /**
         * Applies {@code fault} to every connection open when the market clock reaches {@code marketTime}. An
         * {@link StreamFault#OUTAGE} needs a duration: use {@link #outage}.
         */
        public Builder at(Instant marketTime, StreamFault fault) {
            if (fault == StreamFault.OUTAGE) {
                throw new IllegalArgumentException("fault: an OUTAGE needs a duration, use outage(at, duration)");
            }
            scheduled.add(new Scheduled(Objects.requireNonNull(marketTime, "marketTime"),
                    Objects.requireNonNull(fault, "fault"), null));
            return this;
        }

        /**
         * Stalls every connection open at {@code marketTime} for {@code marketDuration} of market time: nothing goes
         * out, pongs included; afterwards what was queued meanwhile is delivered, late.
         */
        public Builder stall(Instant marketTime, Duration marketDuration) {
            Objects.requireNonNull(marketDuration, "marketDuration");
            if (marketDuration.isNegative() || marketDuration.isZero()) {
                throw new IllegalArgumentException("marketDuration: must be positive, got " + marketDuration);
            }
            scheduled.add(new Scheduled(Objects.requireNonNull(marketTime, "marketTime"), StreamFault.STALL,
                    marketDuration));
            return this;
        }

        /**
         * From {@code marketTime} the stream is down for {@code marketDuration} of market time: connections are
         * reset and handshakes refused with 503; REST keeps answering.
         */
        public Builder outage(Instant marketTime, Duration marketDuration) {
            Objects.requireNonNull(marketDuration, "marketDuration");
            if (marketDuration.isNegative() || marketDuration.isZero()) {
                throw new IllegalArgumentException("marketDuration: must be positive, got " + marketDuration);
            }
            scheduled.add(new Scheduled(Objects.requireNonNull(marketTime, "marketTime"), StreamFault.OUTAGE,
                    marketDuration));
            return this;
        }

        /**
         * The share of minute bars first sent preliminary (fewer shares, a narrower range) and then revised once or
         * twice within 15 minutes; the last version is always the final bar REST serves. Default 0.02.
         */
        public Builder revisions(double rate) {
            this.revisionRate = rate("revisions", rate);
            return this;
        }

        /** The share of events sent twice, identically. */
        public Builder duplicates(double rate) {
            this.duplicateRate = rate("duplicates", rate);
            return this;
        }

        /** The share of events held back and sent after the next minute's events. */
        public Builder outOfOrder(double rate) {
            this.outOfOrderRate = rate("outOfOrder", rate);
            return this;
        }

        /** The next {@code count} auth messages answer {@code auth_failed}, even with the right key. */
        public Builder failAuth(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("failAuth: must not be negative, got " + count);
            }
            this.authFailures = count;
            return this;
        }

        /** At most this many events per message (each message is one JSON array). Default 500. */
        public Builder eventsPerMessage(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("eventsPerMessage: must be at least 1, got " + max);
            }
            this.eventsPerMessage = max;
            return this;
        }

        /**
         * Sends every message longer than {@code bytes} as a text frame and continuation frames of at most
         * {@code bytes} each (the client sees the text in parts); 0, the default, sends each message in one frame.
         */
        public Builder fragmentBytes(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("fragmentBytes: must not be negative, got " + bytes);
            }
            this.fragmentBytes = bytes;
            return this;
        }

        public StreamFaultPlan build() {
            return new StreamFaultPlan(this);
        }

        private static double rate(String name, double rate) {
            if (!(rate >= 0.0 && rate <= 1.0)) {
                throw new IllegalArgumentException(name + ": must be within [0, 1], got " + rate);
            }
            return rate;
        }
    }
}
