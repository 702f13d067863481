package dev.tickeretl.cli;

import dev.tickeretl.RunListener;
import dev.tickeretl.RunRecord;
import dev.tickeretl.metrics.Readiness;
import dev.tickeretl.metrics.ReadinessCheck;

/** {@code /ready} for a batch run: ready while the run is under way (recorded RUNNING, not yet finished). */
final class RunReadiness implements RunListener, ReadinessCheck {

    private volatile Readiness state = Readiness.notReady("the run has not started yet");

    @Override
    public void runStarted(RunRecord running) {
        state = Readiness.READY;
    }

    @Override
    public void runFinished(RunRecord finished) {
        state = Readiness.notReady("the run has finished: " + finished.status());
    }

    @Override
    public Readiness check() {
        return state;
    }
}
