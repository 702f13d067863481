package dev.tickeretl.spi;

import java.util.List;
import java.util.Objects;

/** What {@link Source#poll} returns: bars with their offset, or news about one ticker, or the end. */
public sealed interface SourceEvent {

    /** Bars (any tickers, any order; duplicates allowed: the pipeline collapses them by key). */
    record Bars(List<RawBar> bars, SourceOffset offset) implements SourceEvent {
        public Bars {
            bars = List.copyOf(bars);
            Objects.requireNonNull(offset, "offset");
        }
    }

    /** No more bars will come for this ticker in this request: the pipeline may tag and write it now. */
    record TickerDone(String ticker) implements SourceEvent {
        public TickerDone {
            Objects.requireNonNull(ticker, "ticker");
        }
    }

    /**
     * This ticker could not be fetched. {@code reason} is shown to users and stored in the run record, so it must
     * name the problem (HTTP status, URL path) and never carry a secret. Bars delivered earlier are discarded.
     */
    record TickerFailed(String ticker, String reason) implements SourceEvent {
        public TickerFailed {
            Objects.requireNonNull(ticker, "ticker");
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
