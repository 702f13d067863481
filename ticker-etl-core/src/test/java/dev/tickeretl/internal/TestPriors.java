package dev.tickeretl.internal;

import dev.tickeretl.Bar;
import dev.tickeretl.spi.PhaseTagger;

/** Prior sessions for tagger tests: just the previous session's bar, or none. */
final class TestPriors {

    private TestPriors() {
    }

    static PhaseTagger.PriorSessions previous(Bar previous) {
        return new PhaseTagger.PriorSessions() {
            @Override
            public int size() {
                return 1;
            }

            @Override
            public Bar get(int n) {
                if (n != 1) {
                    throw new IndexOutOfBoundsException(n);
                }
                return previous;
            }
        };
    }
}
