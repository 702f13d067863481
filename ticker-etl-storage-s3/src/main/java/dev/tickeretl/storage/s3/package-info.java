/**
 * The S3 store: {@code s3://bucket/prefix} on AWS S3 or any S3-compatible server, with the filesystem store's
 * layout, bytes, idempotency and run records. Add this artifact to the class path and open it by URI:
 *
 * <pre>
 * Store.open(URI.create("s3://prices/team"), Map.of("s3-endpoint", "http://127.0.0.1:9000"))
 * </pre>
 *
 * Options: {@code s3-endpoint}, {@code s3-region}, {@code s3-path-style} (see
 * {@link dev.tickeretl.storage.s3.S3StoreProvider}). Credentials come from the AWS SDK's default chain only.
 */
package dev.tickeretl.storage.s3;
