package dev.tickeretl.storage.s3;

import dev.tickeretl.StoreException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where an S3 store lives: {@code s3://bucket/prefix}. The prefix is normalised to {@code ""} or
 * {@code "a/b/"} (no leading slash, one trailing slash, no empty segments), so object keys are
 * {@code prefix + StoreLayout path}.
 */
record S3Location(String bucket, String prefix) {

    /** @throws IllegalArgumentException naming {@code store} when {@code uri} is not {@code s3://bucket[/prefix]} */
    static S3Location parse(URI uri) {
        if (uri.getScheme() == null || !uri.getScheme().toLowerCase(Locale.ROOT).equals("s3")) {
            throw new IllegalArgumentException("store: not an S3 store URI: expected s3://bucket[/prefix], got "
                    + "scheme '" + uri.getScheme() + "'");
        }
        // Never echo the authority when it carries user info: that would be a secret in a message.
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("store: an s3:// store URI must not carry credentials; the AWS default "
                    + "credential chain supplies them (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile or an "
                    + "instance role)");
        }
        String bucket = uri.getHost() != null ? uri.getHost() : uri.getAuthority();
        if (uri.isOpaque() || bucket == null || bucket.isEmpty()) {
            throw new IllegalArgumentException("store: S3 store URI needs a bucket: expected s3://bucket[/prefix], "
                    + "got '" + uri + "'");
        }
        if (uri.getPort() != -1) {
            throw new IllegalArgumentException("store: S3 store URI '" + uri + "' names a port; give the server with "
                    + "the " + S3StoreProvider.ENDPOINT + " option instead");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("store: S3 store URI '" + uri + "' must not have a query or "
                    + "fragment; provider settings go into options such as " + S3StoreProvider.ENDPOINT);
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        String prefix = Arrays.stream(path.split("/"))
                .filter(segment -> !segment.isEmpty())
                .collect(Collectors.joining("/"));
        return new S3Location(bucket, prefix.isEmpty() ? "" : prefix + "/");
    }

    /** The object key of a {@link dev.tickeretl.spi.StoreLayout} path. */
    String key(String layoutPath) {
        return prefix + layoutPath;
    }

    /** The store as the user would write it, normalised: {@code s3://bucket} or {@code s3://bucket/a/b}. */
    URI uri() {
        String path = prefix.isEmpty() ? null : "/" + prefix.substring(0, prefix.length() - 1);
        try {
            // The multi-argument constructor quotes what a key may hold but a URI may not (spaces, '%').
            return new URI("s3", bucket, path, null, null);
        } catch (URISyntaxException e) {
            throw new StoreException("S3 store location s3://" + bucket + "/" + prefix + " is not a valid URI", e);
        }
    }

    /** An object as {@code s3://bucket/key}, for messages. */
    String describe(String key) {
        return "s3://" + bucket + "/" + key;
    }
}
