package dev.tickeretl;

import dev.tickeretl.spi.PhaseTagger;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link Store#check} verifies: the store's invariants (JSON, schema version, partition membership, unique keys,
 * line order, {@code prior_volume} and phase against the stored neighbours, coverage) and the data-quality rules,
 * over some tickers, dates, one timespan and one or both datasets. Immutable; built with {@link #builder()}.
 *
 * <p>Minute gaps are judged against the session's minutes, or, with {@link Builder#compareWith}, against what a
 * source (e.g. {@code polygon}) serves for sessions that have closed.
 */
public final class StoreCheck {

    private final List<String> tickers;
    private final LocalDate from;
    private final LocalDate to;
    private final Timespan timespan;
    private final Boolean adjusted;
    private final String phaseTaggerName;
    private final PhaseTagger phaseTagger;
    private final QualityRules rules;
    private final String compareSource;
    private final Map<String, String> compareOptions;
    private final int listedPerCheck;
    private final Clock clock;

    private StoreCheck(Builder b) {
        this.tickers = List.copyOf(b.tickers);
        this.from = b.from;
        this.to = b.to;
        this.timespan = b.timespan;
        this.adjusted = b.adjusted;
        this.phaseTaggerName = b.phaseTaggerName;
        this.phaseTagger = b.phaseTagger;
        this.rules = b.rules;
        this.compareSource = b.compareSource;
        this.compareOptions = Map.copyOf(b.compareOptions);
        this.listedPerCheck = b.listedPerCheck;
        this.clock = b.clock;
    }

    /** Everything stored: every ticker and date of both day datasets, with the default rules. */
    public static StoreCheck defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The tickers to check; empty: every ticker stored. */
    public List<String> tickers() {
        return tickers;
    }

    /** First trading date whose bars the data-quality rules judge; null: from the first stored. */
    public LocalDate from() {
        return from;
    }

    /** Last trading date judged, and the end the stale rule counts back from; null: the newest stored. */
    public LocalDate to() {
        return to;
    }

    public Timespan timespan() {
        return timespan;
    }

    /** Which dataset: split-adjusted ({@code bars/}) or not ({@code bars-unadjusted/}); null: both. */
    public Boolean adjusted() {
        return adjusted;
    }

    /** The tagger given by name, or null (then the tagger of the newest day run recorded, else {@code brief}). */
    public String phaseTaggerName() {
        return phaseTaggerName;
    }

    /** The tagger given as an object, or null. */
    public PhaseTagger phaseTagger() {
        return phaseTagger;
    }

    public QualityRules rules() {
        return rules;
    }

    /** The source minute bars are compared with, or null. */
    public String compareSource() {
        return compareSource;
    }

    public Map<String, String> compareOptions() {
        return compareOptions;
    }

    /** At most this many findings per check are kept in the report; all are counted. */
    public int listedPerCheck() {
        return listedPerCheck;
    }

    /** What "now" is: which sessions have closed. */
    public Clock clock() {
        return clock;
    }

    /** Builds a {@link StoreCheck}; every setter checks its argument and names the field when it is bad. */
    public static final class Builder {
        private List<String> tickers = List.of();
        private LocalDate from;
        private LocalDate to;
        private Timespan timespan = Timespan.DAY;
        private Boolean adjusted;
        private String phaseTaggerName;
        private PhaseTagger phaseTagger;
        private QualityRules rules = QualityRules.defaults();
        private String compareSource;
        private Map<String, String> compareOptions = Map.of();
        private int listedPerCheck = 1_000;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        public Builder tickers(String... tickers) {
            return tickers(List.of(tickers));
        }

        /** Symbols to check ({@code BRK.A} is valid); none: every ticker stored. */
        public Builder tickers(List<String> tickers) {
            LinkedHashSet<String> unique = new LinkedHashSet<>();
            for (String t : Objects.requireNonNull(tickers, "tickers")) {
                unique.add(Tickers.requireValid(t));
            }
            this.tickers = new ArrayList<>(unique);
            return this;
        }

        public Builder from(LocalDate from) {
            this.from = from;
            return this;
        }

        public Builder to(LocalDate to) {
            this.to = to;
            return this;
        }

        public Builder timespan(Timespan timespan) {
            this.timespan = Objects.requireNonNull(timespan, "timespan");
            return this;
        }

        /** Only the split-adjusted (true) or the unadjusted (false) dataset; default both. */
        public Builder adjusted(boolean adjusted) {
            this.adjusted = adjusted;
            return this;
        }

        /** The tagger whose rule stored phases must follow, by name (as {@code TickerEtl.Builder#phaseTagger}). */
        public Builder phaseTagger(String name) {
            this.phaseTaggerName = Objects.requireNonNull(name, "phaseTagger");
            this.phaseTagger = null;
            return this;
        }

        public Builder phaseTagger(PhaseTagger tagger) {
            this.phaseTagger = Objects.requireNonNull(tagger, "phaseTagger");
            this.phaseTaggerName = null;
            return this;
        }

        public Builder rules(QualityRules rules) {
            this.rules = Objects.requireNonNull(rules, "rules");
            return this;
        }

        /**
         * Compares stored minute bars with what this source serves (by provider name, e.g. {@code polygon} or
         * {@code simulator}, with its options): a regular-session minute it has and the store lacks is a
         * {@code MINUTE_GAP}. Only sessions that have closed are compared.
         */
        public Builder compareWith(String source, Map<String, String> options) {
            this.compareSource = Objects.requireNonNull(source, "source");
            this.compareOptions = Map.copyOf(options);
            return this;
        }

        public Builder listedPerCheck(int listed) {
            if (listed < 1) {
                throw new IllegalArgumentException("max-per-check: must be at least 1, got " + listed);
            }
            this.listedPerCheck = listed;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** @throws IllegalArgumentException naming the field: from after to */
        public StoreCheck build() {
            if (from != null && to != null && from.isAfter(to)) {
                throw new IllegalArgumentException("from: " + from + " is after to: " + to);
            }
            return new StoreCheck(this);
        }
    }
}
