package dev.tickeretl.storage.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The provider options of one S3 store, parsed and checked, plus the retry timing (fixed in production, shortened
 * by tests).
 *
 * @param endpoint        an S3-compatible server ({@code s3-endpoint}), or null for AWS itself
 * @param region          the {@code s3-region} option, or null to ask the SDK's default region chain
 * @param pathStyle       {@code http://host/bucket/key} instead of {@code http://bucket.host/key}
 * @param maxAttempts     attempts per S3 request by the SDK's standard retry strategy (5xx, throttling, I/O)
 * @param baseDelay       first backoff of that strategy for 5xx and I/O errors; doubles per retry, full jitter
 * @param throttlingDelay first backoff for throttling answers (503 SlowDown); doubles per retry, full jitter
 * @param conflictRetries re-read/re-merge rounds after a lost conditional write before a write gives up
 */
record S3Settings(URI endpoint, String region, boolean pathStyle, int maxAttempts, Duration baseDelay,
                  Duration throttlingDelay, int conflictRetries) {

    static final int DEFAULT_MAX_ATTEMPTS = 4;
    static final Duration DEFAULT_BASE_DELAY = Duration.ofMillis(100);
    static final Duration DEFAULT_THROTTLING_DELAY = Duration.ofMillis(500);
    static final int DEFAULT_CONFLICT_RETRIES = 20;

    /** Every option this store takes. */
    static final java.util.List<String> OPTIONS = java.util.List.of(S3StoreProvider.ENDPOINT, S3StoreProvider.REGION,
            S3StoreProvider.PATH_STYLE);

    /** @throws IllegalArgumentException naming the option that is malformed */
    static S3Settings fromOptions(Map<String, String> options) {
        URI endpoint = endpoint(options.get(S3StoreProvider.ENDPOINT));
        String region = blankToNull(options.get(S3StoreProvider.REGION));
        String pathStyleOption = blankToNull(options.get(S3StoreProvider.PATH_STYLE));
        boolean pathStyle;
        if (pathStyleOption == null) {
            // S3-compatible servers rarely have wildcard DNS for bucket.host, so an endpoint implies path style.
            pathStyle = endpoint != null;
        } else if (pathStyleOption.equalsIgnoreCase("true") || pathStyleOption.equalsIgnoreCase("false")) {
            pathStyle = Boolean.parseBoolean(pathStyleOption.toLowerCase(Locale.ROOT));
        } else {
            throw new IllegalArgumentException(S3StoreProvider.PATH_STYLE + ": expected true or false, got '"
                    + pathStyleOption + "'");
        }
        return new S3Settings(endpoint, region, pathStyle, DEFAULT_MAX_ATTEMPTS, DEFAULT_BASE_DELAY,
                DEFAULT_THROTTLING_DELAY, DEFAULT_CONFLICT_RETRIES);
    }

    /** The same settings with other retry timing. */
    S3Settings withRetry(int attempts, Duration base, Duration throttling) {
        return new S3Settings(endpoint, region, pathStyle, attempts, base, throttling, conflictRetries);
    }

    /** Where requests go, for messages: the endpoint option, or AWS's regional endpoint. */
    String describeEndpoint(String resolvedRegion) {
        return endpoint != null ? endpoint.toString() : "https://s3." + resolvedRegion + ".amazonaws.com";
    }

    private static URI endpoint(String value) {
        String text = blankToNull(value);
        if (text == null) {
            return null;
        }
        // Text with '@' may hold user:password; such a value is never repeated in a message.
        String shown = text.contains("@") ? "a value containing '@'" : "'" + text + "'";
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri != null && uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(S3StoreProvider.ENDPOINT + " must not carry credentials; the AWS "
                    + "default credential chain supplies them");
        }
        String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException(S3StoreProvider.ENDPOINT + ": expected an http:// or https:// URL "
                    + "with a host, got " + shown);
        }
        return uri;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
