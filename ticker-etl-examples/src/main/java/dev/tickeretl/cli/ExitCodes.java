package dev.tickeretl.cli;

import dev.tickeretl.RunStatus;

final class ExitCodes {
    private ExitCodes() {
    }

    static int of(RunStatus status) {
        return switch (status) {
            case SUCCEEDED -> Main.EXIT_OK;
            case PARTIAL -> Main.EXIT_PARTIAL;
            case CANCELLED -> Main.EXIT_CANCELLED;
            case FAILED, RUNNING, ABANDONED -> Main.EXIT_FAILED;
        };
    }
}
