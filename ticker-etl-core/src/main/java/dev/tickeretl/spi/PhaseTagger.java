package dev.tickeretl.spi;

import dev.tickeretl.Bar;
import dev.tickeretl.Phase;

/**
 * Decides a day bar's market phase. Found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.tickeretl.spi.PhaseTagger}) and chosen by {@link #name()}; the default,
 * {@code brief}, is the original brief's rule.
 *
 * <p>The pipeline calls it whenever a bar or one of the sessions before it changed, with the bars the store holds,
 * so a stored phase is always the rule applied to the stored bars. It must be a pure function of its arguments.
 */
public interface PhaseTagger {

    /** The name users pick this tagger by. */
    String name();

    /**
     * How many trading sessions before a bar this tagger looks at (the brief's rule: 1), at most 260. A batch run
     * also fetches that many sessions before its first day, so that its first bars are tagged against real ones.
     */
    default int sessions() {
        return 1;
    }

    /** The phase of {@code bar}, given the same ticker's bars of the sessions before it. */
    Phase phaseOf(Bar bar, PriorSessions prior);

    /**
     * The same ticker's bars on the trading sessions before a bar, by the NYSE calendar (weekends, holidays and
     * closures skipped; a bar on a day the exchange was closed is never one of them).
     */
    interface PriorSessions {

        /** How many sessions back are available: {@link PhaseTagger#sessions()}. */
        int size();

        /**
         * The bar of the {@code n}-th session back (1 = the previous session), or null when that session has no
         * bar (before the ticker listed, or missing upstream). The pipeline never substitutes an older bar.
         */
        Bar get(int n);

        /** The previous session's bar, or null. */
        default Bar previous() {
            return get(1);
        }
    }
}
