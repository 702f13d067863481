package dev.tickeretl.polygon;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that makes a text safe to show: every log line, event reason and exception message that carries a
 * URL or a server's text passes through {@link #redact}. It masks
 * <ul>
 *   <li>the API key in any spelling a URL or a JSON body may give it: plain, percent-encoded (either hex case, or
 *       only some characters encoded), or with JSON's escaped slash, and</li>
 *   <li>the value of every query parameter whose name says it is a credential ({@code apiKey}, {@code api_key},
 *       {@code apikey}, {@code api-key}, {@code token}, {@code access_token}, …; any case, also percent-encoded
 *       names), whatever key it holds: a server may echo another client's key, or a {@code next_url} may carry
 *       one; and the same names as JSON fields or header-like text ({@code "token": "…"}), and
 *       {@code Bearer …}.</li>
 * </ul>
 */
final class Redactor {

    static final String MASK = "<redacted>";

    /**
     * {@code name=value} where name ends in a credential word; the value runs to the next separator. Names may be
     * percent-encoded ({@code api%5Fkey}); the value may not hold {@code & # " ' ,} or whitespace.
     */
    private static final Pattern CREDENTIAL_PARAMETER = Pattern.compile(
            "(?i)((?:^|[?&;\\s\"',(\\[{])[\\w.%-]*?(?:api(?:[_-]|%5f|%2d)?key|(?:access(?:[_-]|%5f|%2d)?)?token))"
                    + "(=|%3d)([^&#;\\s\"',)\\]}]+)");

    /** {@code "apiKey": "value"}, {@code token: value} (JSON, headers, prose) and {@code Bearer value}. */
    private static final Pattern CREDENTIAL_FIELD = Pattern.compile(
            "(?i)((?:\\b|_)(?:api[_-]?key|(?:access[_-]?)?token)\"?\\s*:\\s*\"?|\\bbearer\\s+)"
                    + "([^\"\\s,;&}]+)");

    private final Pattern key;

    private Redactor(Pattern key) {
        this.key = key;
    }

    /** A redactor for {@code apiKey}; null when no key is configured (credential parameters are still masked). */
    static Redactor of(ApiKey apiKey) {
        return new Redactor(apiKey == null ? null : anySpelling(apiKey.value()));
    }

    String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = key == null ? text : key.matcher(text).replaceAll(MASK);
        Matcher parameter = CREDENTIAL_PARAMETER.matcher(masked);
        if (parameter.find()) {
            masked = parameter.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + r.group(2) + MASK));
        }
        Matcher field = CREDENTIAL_FIELD.matcher(masked);
        if (field.find()) {
            masked = field.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + MASK));
        }
        return masked;
    }

    /** Matches {@code key} with each character written as itself or percent-encoded (the hex in either case). */
    private static Pattern anySpelling(String key) {
        StringBuilder regex = new StringBuilder();
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            String hex = String.format(Locale.ROOT, "%02X", b & 0xff);
            regex.append("(?:").append(Pattern.quote(String.valueOf(c)))
                    .append("|%(?i:").append(hex).append(')');
            if (c == '/') {
                regex.append("|\\\\/"); // JSON may escape a slash
            }
            if (c == ' ') {
                regex.append("|\\+"); // form encoding
            }
            regex.append(')');
        }
        return Pattern.compile(regex.toString());
    }
}
