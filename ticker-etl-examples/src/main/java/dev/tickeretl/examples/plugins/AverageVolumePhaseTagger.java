package dev.tickeretl.examples.plugins;

import dev.tickeretl.Bar;
import dev.tickeretl.Phase;
import dev.tickeretl.spi.PhaseTagger;

/**
 * The brief's rule with a steadier yardstick: a day's volume is compared with the average volume of the 20 sessions
 * before it, not with the previous session's alone. Chosen by name ({@code --phase-tagger avg20},
 * {@code phaseTagger("avg20")}) once it is registered in {@code META-INF/services/dev.tickeretl.spi.PhaseTagger}.
 * <ul>
 *   <li>Bull: close &gt; open and volume &gt; the 20-session average volume</li>
 *   <li>Bear: close &lt; open and volume &gt; the 20-session average volume</li>
 *   <li>Neutral: everything else, and whenever one of those 20 sessions has no bar (too little history)</li>
 * </ul>
 */
public final class AverageVolumePhaseTagger implements PhaseTagger {

    /** How many sessions the average covers; the run fetches that many before its first day. */
    static final int SESSIONS = 20;

    @Override
    public String name() {
        return "avg20";
    }

    @Override
    public int sessions() {
        return SESSIONS;
    }

    @Override
    public Phase phaseOf(Bar bar, PriorSessions prior) {
        double total = 0;
        for (int n = 1; n <= SESSIONS; n++) {
            Bar earlier = prior.get(n);
            if (earlier == null) {
                return Phase.NEUTRAL;
            }
            total += earlier.volume();
        }
        if (!(bar.volume() > total / SESSIONS)) {
            return Phase.NEUTRAL;
        }
        return bar.close() > bar.open() ? Phase.BULL : bar.close() < bar.open() ? Phase.BEAR : Phase.NEUTRAL;
    }
}
