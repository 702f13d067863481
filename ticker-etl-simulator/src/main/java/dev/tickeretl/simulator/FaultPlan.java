package dev.tickeretl.simulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;

/**
 * A deterministic schedule of {@link Fault}s: scripted ones for the next requests, and optionally a seeded random
 * rate for soak tests. Immutable; hand it to {@link PolygonSimulator.Builder#faults} or, at any time,
 * {@link PolygonSimulator#faults(FaultPlan)} (which starts it afresh).
 *
 * <pre>{@code
 * FaultPlan.builder()
 *         .next(2, Fault.HTTP_503)                     // the next two requests
 *         .next(1, Fault.TRUNCATED_BODY, "/MSFT/")     // then the next request whose target contains "/MSFT/"
 *         .build();
 * FaultPlan.builder().randomly(0.05, 7L).build();      // about 5% of requests, any fault kind, reproducibly
 * }</pre>
 *
 * <p>Each request that passes the key check and the rate limit asks the plan once. Scripted rules are tried in the
 * order they were added: the first rule that still has requests left and whose filter matches the request target
 * (path and raw query) answers, and uses up one of its requests. Only when no scripted rule answers does the random
 * rate apply: the k-th such request (counted from when the plan was installed) faults when a hash of (seed, k) falls
 * below the rate, so the same request sequence always meets the same faults.
 */
public final class FaultPlan {

    private static final FaultPlan NONE = new FaultPlan(List.of(), 0.0, 0L, List.of());

    private final List<Rule> scripted;
    private final double randomRate;
    private final long randomSeed;
    private final List<Fault> randomKinds;

    private FaultPlan(List<Rule> scripted, double randomRate, long randomSeed, List<Fault> randomKinds) {
        this.scripted = scripted;
        this.randomRate = randomRate;
        this.randomSeed = randomSeed;
        this.randomKinds = randomKinds;
    }

    /** No faults: every request is answered normally. */
    public static FaultPlan none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The scripted requests in this plan, summed over its rules. */
    public int scriptedCount() {
        return scripted.stream().mapToInt(Rule::count).sum();
    }

    List<Rule> scripted() {
        return scripted;
    }

    double randomRate() {
        return randomRate;
    }

    long randomSeed() {
        return randomSeed;
    }

    List<Fault> randomKinds() {
        return randomKinds;
    }

    @Override
    public String toString() {
        return "FaultPlan" + scripted + (randomRate > 0 ? " random " + randomRate + " of " + randomKinds : "");
    }

    /** One scripted rule: {@code count} requests whose target contains {@code targetContains} get {@code fault}. */
    record Rule(int count, Fault fault, String targetContains) {
    }

    /** Collects scripted rules and an optional random rate. */
    public static final class Builder {

        private final List<Rule> rules = new ArrayList<>();
        private double rate;
        private long seed;
        private List<Fault> kinds = List.of();

        private Builder() {
        }

        /** The next {@code count} requests (after any earlier rules) answer with {@code fault}. */
        public Builder next(int count, Fault fault) {
            return next(count, fault, "");
        }

        /**
         * The next {@code count} requests whose target (raw path, {@code ?}, raw query) contains
         * {@code targetContains} answer with {@code fault}; other requests pass this rule by.
         */
        public Builder next(int count, Fault fault, String targetContains) {
            if (count < 1) {
                throw new IllegalArgumentException("count: must be at least 1, got " + count);
            }
            rules.add(new Rule(count, Objects.requireNonNull(fault, "fault"),
                    Objects.requireNonNull(targetContains, "targetContains")));
            return this;
        }

        /**
         * Requests no scripted rule answers fault with probability {@code rate}, reproducibly for a given
         * {@code seed}; the kind is drawn from {@code kinds} (all kinds when none are given).
         */
        public Builder randomly(double rate, long seed, Fault... kinds) {
            if (!(rate >= 0.0 && rate <= 1.0)) {
                throw new IllegalArgumentException("rate: must be within [0, 1], got " + rate);
            }
            this.rate = rate;
            this.seed = seed;
            this.kinds = kinds.length == 0 ? List.copyOf(EnumSet.allOf(Fault.class)) : List.copyOf(Arrays.asList(kinds));
            return this;
        }

        public FaultPlan build() {
            return new FaultPlan(List.copyOf(rules), rate, seed, kinds);
        }
    }
}
