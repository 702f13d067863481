package dev.tickeretl.internal;

import dev.tickeretl.spi.PhaseTagger;
import dev.tickeretl.spi.SinkProvider;
import dev.tickeretl.spi.SourceProvider;
import dev.tickeretl.spi.StoreProvider;
import dev.tickeretl.spi.Transformer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * {@link ServiceLoader} look-ups by name or scheme. An unknown name is bad input: an {@link IllegalArgumentException}
 * that lists what is available.
 */
public final class Providers {

    private Providers() {
    }

    public static StoreProvider store(URI uri) {
        String scheme = storeScheme(uri);
        return find(StoreProvider.class, StoreProvider::scheme, scheme, "store scheme");
    }

    /** A URI without a scheme ({@code ./data}) is a file path. */
    public static String storeScheme(URI uri) {
        return uri.getScheme() == null ? "file" : uri.getScheme().toLowerCase(Locale.ROOT);
    }

    public static SinkProvider sink(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return find(SinkProvider.class, SinkProvider::scheme, scheme, "sink scheme");
    }

    public static SourceProvider source(String name) {
        return find(SourceProvider.class, SourceProvider::name, name, "source");
    }

    public static PhaseTagger phaseTagger(String name) {
        return find(PhaseTagger.class, PhaseTagger::name, name, "phase tagger");
    }

    public static Transformer transformer(String name) {
        return find(Transformer.class, Transformer::name, name, "transformer");
    }

    /**
     * @throws IllegalArgumentException naming {@code field} when {@code uri}'s scheme is not {@code scheme} (a URI
     *                                  without one is a file path)
     */
    public static void requireScheme(String field, String scheme, URI uri) {
        String given = storeScheme(uri);
        if (!given.equalsIgnoreCase(scheme)) {
            // Only the scheme: a URI may carry user information that must not be repeated.
            throw new IllegalArgumentException(field + ": scheme '" + given + "' given to a provider of '" + scheme
                    + "'");
        }
    }

    public static <T> List<String> names(Class<T> service, Function<T, String> nameOf) {
        TreeSet<String> names = new TreeSet<>();
        for (T provider : load(service)) {
            names.add(nameOf.apply(provider));
        }
        return new ArrayList<>(names);
    }

    private static <T> T find(Class<T> service, Function<T, String> nameOf, String wanted, String what) {
        for (T provider : load(service)) {
            if (nameOf.apply(provider).equalsIgnoreCase(wanted)) {
                return provider;
            }
        }
        List<String> available = names(service, nameOf);
        throw new IllegalArgumentException("unknown " + what + " '" + wanted + "'; available: "
                + (available.isEmpty() ? "none (add a provider artifact to the class path)"
                : String.join(", ", available)));
    }

    private static <T> ServiceLoader<T> load(Class<T> service) {
        // The context loader sees provider jars added at run time (JShell --class-path, application servers).
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return ServiceLoader.load(service, loader != null ? loader : Providers.class.getClassLoader());
    }
}
