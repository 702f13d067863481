package dev.tickeretl.spi;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/** What {@link Source#poll} returns. */
public sealed interface SourceEvent {

    /**
     * Bars of one partition (any order; duplicates allowed: the pipeline keeps the last one received per key), and
     * the partition's offset after them. The pipeline commits {@code offset} once these bars and every earlier bar
     * of the partition are durable.
     */
    record Bars(SourcePartition partition, List<RawBar> bars, SourceOffset offset) implements SourceEvent {
        public Bars {
            Objects.requireNonNull(partition, "partition");
            bars = List.copyOf(bars);
            Objects.requireNonNull(offset, "offset");
        }
    }

    /**
     * Upstream has answered for every trading day in [from, to] of this partition, and every bar it gave is in an
     * earlier {@link Bars} event. A day with no bar in that answer has none upstream (not listed yet, halted,
     * missing): an incremental run does not ask for it again once the answer has settled.
     */
    record Covered(SourcePartition partition, LocalDate from, LocalDate to) implements SourceEvent {
        public Covered {
            Objects.requireNonNull(partition, "partition");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            if (from.isAfter(to)) {
                throw new IllegalArgumentException("from (" + from + ") is after to (" + to + ")");
            }
        }
    }

    /** No more bars will come for this partition in a bounded request: the pipeline writes it now. */
    record PartitionDone(SourcePartition partition) implements SourceEvent {
        public PartitionDone {
            Objects.requireNonNull(partition, "partition");
        }
    }

    /**
     * This partition could not be fetched. {@code reason} is shown to users and stored in the run record, so it must
     * name the problem (HTTP status, URL path) and never carry a secret. Bars of it not yet durable are discarded,
     * and its offset is not committed in this run.
     */
    record PartitionFailed(SourcePartition partition, String reason) implements SourceEvent {
        public PartitionFailed {
            Objects.requireNonNull(partition, "partition");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A record the source received but could not turn into a {@link RawBar} (e.g. a field missing). */
    record Invalid(String ticker, String reason) implements SourceEvent {
        public Invalid {
            Objects.requireNonNull(ticker, "ticker");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Something worth a data-quality warning that is not a failure (e.g. Polygon answered DELAYED). */
    record Warning(String ticker, String message) implements SourceEvent {
        public Warning {
            Objects.requireNonNull(message, "message");
        }
    }

    /** A bounded source has delivered everything. An unbounded one never sends this. */
    record End() implements SourceEvent {
    }

    /** The shared end marker. */
    End END = new End();
}
