package dev.tickeretl.spi;

import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What every provider's {@code open(...)} receives: its options, the clock the run uses (tests pass a fixed or
 * simulated one; sources must take "now" from it), the observer to report events and metrics to, and, when it is
 * opened for a run, that run's id and source name (a sink stamps them on what it publishes; null outside a run,
 * e.g. for {@code Store.open}).
 */
public record ProviderContext(Map<String, String> options, Clock clock, Observer observer, String runId,
                              String sourceName) {

    public ProviderContext {
        options = Map.copyOf(options);
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(observer, "observer");
    }

    /** Outside a run: no run id, no source name. */
    public ProviderContext(Map<String, String> options, Clock clock, Observer observer) {
        this(options, clock, observer, null, null);
    }

    /** Options only, the system clock, no observer. */
    public static ProviderContext of(Map<String, String> options) {
        return new ProviderContext(options, Clock.systemUTC(), Observer.NONE);
    }

    /** The option {@code key}, or null. */
    public String option(String key) {
        return options.get(key);
    }

    /** The same context with other options. */
    public ProviderContext withOptions(Map<String, String> newOptions) {
        return new ProviderContext(newOptions, clock, observer, runId, sourceName);
    }

    /**
     * Fails, naming them, when options outside {@code known} were given: an option a provider would silently ignore
     * (a base URL for a source that has none) is a mistake the user should hear about.
     *
     * @throws IllegalArgumentException naming the unknown options and the known ones
     */
    public void requireKnownOptions(String provider, Collection<String> known) {
        TreeSet<String> unknown = new TreeSet<>(options.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(String.join(", ", unknown) + ": not an option of " + provider
                    + " (its options: " + String.join(", ", new TreeSet<>(known)) + ")");
        }
    }
}
