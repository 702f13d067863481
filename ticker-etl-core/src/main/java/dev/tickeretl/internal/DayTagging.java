package dev.tickeretl.internal;

import dev.tickeretl.Bar;
import dev.tickeretl.Phase;
import dev.tickeretl.TradingCalendar;
import dev.tickeretl.spi.PhaseTagger;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Tags day bars against the bars the store holds: {@code prior_volume} is the volume of the ticker's bar on the
 * previous trading session (null when that session has no bar) and {@code phase} is the tagger applied to the
 * sessions before the bar. Applied to a whole partition on every write, so a stored phase is always the rule
 * applied to the stored bars, whichever path (full, incremental, correction, any split of a range) wrote them.
 */
public final class DayTagging {

    /** About a year of sessions: the most a tagger may look back ({@link PhaseTagger#sessions()}). */
    static final int MAX_SESSIONS = 260;

    private DayTagging() {
    }

    /**
     * {@code bars} (one partition: one year, time order) tagged. {@code earlier} gives the bar of a trading date in
     * an earlier year, or null.
     *
     * @throws IllegalStateException when the tagger returns no phase; any exception of the tagger passes through
     */
    public static List<Bar> tag(List<Bar> bars, Function<LocalDate, Bar> earlier, PhaseTagger tagger,
                         TradingCalendar calendar) {
        Map<LocalDate, Bar> byDate = new HashMap<>(bars.size() * 2);
        for (Bar b : bars) {
            byDate.put(b.tradingDate(), b);
        }
        int year = bars.isEmpty() ? 0 : bars.get(0).tradingDate().getYear();
        int sessions = sessions(tagger);
        List<Bar> out = new ArrayList<>(bars.size());
        for (Bar bar : bars) {
            Bar[] prior = new Bar[sessions];
            LocalDate day = bar.tradingDate();
            for (int i = 0; i < sessions; i++) {
                day = calendar.previousTradingDay(day);
                prior[i] = day.getYear() < year ? earlier.apply(day) : byDate.get(day);
            }
            Phase phase = tagger.phaseOf(bar, new Prior(prior));
            if (phase == null) {
                throw new IllegalStateException("phase tagger '" + tagger.name() + "' gave no phase for "
                        + bar.ticker() + " " + bar.tradingDate());
            }
            out.add(bar.withPhase(phase, prior[0] == null ? null : prior[0].volume()));
        }
        return out;
    }

    /** The sessions before a bar that {@code tagger} reads: its {@link PhaseTagger#sessions()}, within 1..260. */
    static int sessions(PhaseTagger tagger) {
        return Math.max(1, Math.min(MAX_SESSIONS, tagger.sessions()));
    }

    private record Prior(Bar[] bars) implements PhaseTagger.PriorSessions {
        @Override
        public int size() {
            return bars.length;
        }

        @Override
        public Bar get(int n) {
            if (n < 1 || n > bars.length) {
                throw new IndexOutOfBoundsException("session " + n + " of 1.." + bars.length);
            }
            return bars[n - 1];
        }
    }
}
