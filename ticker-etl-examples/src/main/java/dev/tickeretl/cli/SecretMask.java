package dev.tickeretl.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Masks secrets in text that is about to be printed: the last line of defence of the CLI's logging. The Polygon
 * source already redacts what it logs; this catches whatever else could carry a key (a message built elsewhere, an
 * exception's text, an MDC or event field), in plain and JSON lines alike. Each secret is masked as given and
 * URL-encoded.
 */
final class SecretMask {

    static final String MASK = "<redacted>";
    /** Shorter values are no real API key, and masking them would garble every line. */
    private static final int MIN_LENGTH = 4;
    /** Where API keys come from (the same variables the CLI reads). */
    static final List<String> KEY_VARIABLES = List.of("POLYGON_API_KEY", "MASSIVE_API_KEY");

    private final List<String> needles;

    private SecretMask(Collection<String> secrets) {
        Set<String> all = new LinkedHashSet<>();
        for (String s : secrets) {
            if (s == null) {
                continue;
            }
            String v = s.strip();
            if (v.length() >= MIN_LENGTH) {
                all.add(v);
                all.add(URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        }
        // Longest first, so a key that contains another is masked whole.
        List<String> sorted = new ArrayList<>(all);
        sorted.sort((a, b) -> b.length() - a.length());
        this.needles = List.copyOf(sorted);
    }

    /** The API keys in this process's environment, plus {@code extra} (e.g. an {@code api-key} option). */
    static SecretMask fromEnvironment(Collection<String> extra) {
        List<String> secrets = new ArrayList<>(extra);
        for (String variable : KEY_VARIABLES) {
            secrets.add(System.getenv(variable));
        }
        return new SecretMask(secrets);
    }

    String apply(String text) {
        if (text == null || needles.isEmpty()) {
            return text;
        }
        String out = text;
        for (String n : needles) {
            if (out.contains(n)) {
                out = out.replace(n, MASK);
            }
        }
        return out;
    }
}
