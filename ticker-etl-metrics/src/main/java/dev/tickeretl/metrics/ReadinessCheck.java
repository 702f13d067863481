package dev.tickeretl.metrics;

import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What {@code /ready} asks: whether this process does its job now. A batch run is ready while it runs; a stream
 * is ready when it is connected and its newest bar is fresh ("connected and last bar younger than N"), which the
 * stream plugs in with {@link #of} and {@link #and}. Called on every request to {@code /ready}: keep it quick and
 * free of I/O.
 */
@FunctionalInterface
public interface ReadinessCheck {

    /** Always ready. */
    ReadinessCheck ALWAYS = () -> Readiness.READY;

    Readiness check();

    /** Ready while {@code condition} holds; otherwise not, with {@code reason} (computed only then). */
    static ReadinessCheck of(BooleanSupplier condition, Supplier<String> reason) {
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(reason, "reason");
        return () -> condition.getAsBoolean() ? Readiness.READY : Readiness.notReady(reason.get());
    }

    /** Ready when this and {@code other} are; the first reason that is not. */
    default ReadinessCheck and(ReadinessCheck other) {
        Objects.requireNonNull(other, "other");
        return () -> {
            Readiness first = check();
            return first.ready() ? other.check() : first;
        };
    }
}
