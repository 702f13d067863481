package dev.tickeretl.internal;

import dev.tickeretl.Bar;
import dev.tickeretl.Phase;
import dev.tickeretl.spi.PhaseTagger;

/**
 * The default phase tagger, {@code brief}: the original brief's rule, exactly.
 * <ul>
 *   <li>Bull: close &gt; open and volume &gt; the previous session's volume</li>
 *   <li>Bear: close &lt; open and volume &gt; the previous session's volume</li>
 *   <li>Neutral: everything else, including equal close/open, equal volume, and no previous session bar</li>
 * </ul>
 * Strict comparisons throughout: a tie is not a move.
 */
public final class BriefPhaseTagger implements PhaseTagger {

    /** The name this tagger is chosen by. */
    public static final String NAME = "brief";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Phase phaseOf(Bar bar, PriorSessions prior) {
        return rule(bar, prior.previous());
    }

    /** The rule itself, against the previous session's bar (null when that session has none). */
    public static Phase rule(Bar bar, Bar previous) {
        if (previous == null || !(bar.volume() > previous.volume())) {
            return Phase.NEUTRAL;
        }
        if (bar.close() > bar.open()) {
            return Phase.BULL;
        }
        if (bar.close() < bar.open()) {
            return Phase.BEAR;
        }
        return Phase.NEUTRAL;
    }
}
