package dev.tickeretl.storage.s3;

import dev.tickeretl.StoreException;
import dev.tickeretl.spi.Storage;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@link Storage} in an S3 bucket under a prefix: object key = prefix + store path. A PUT replaces an object
 * atomically, so readers never see half a partition and there is no temporary object to clean up after a crash.
 *
 * <p><b>Atomic updates.</b> {@link #update} reads the object and its ETag, applies the change, and PUTs the result
 * conditionally: {@code If-Match: <ETag>} when the object existed, {@code If-None-Match: *} when it did not. When
 * another writer got there first the server answers 412 Precondition Failed (or 409 ConditionalRequestConflict while
 * two writes race, or 404 when the object was deleted), and the update re-reads, re-applies and tries again, up to
 * {@link S3Settings#conflictRetries()} times with a short jittered backoff, then fails with a
 * {@link StoreException}. No update is lost on AWS S3 (conditional writes since 2024) or on any server that
 * evaluates these headers atomically.
 *
 * <p><b>Servers without conditional writes.</b> A server that ignores {@code If-Match}/{@code If-None-Match}
 * accepts every PUT, so the last writer of an object wins: when two processes update the same partition at the
 * same moment, the bars that only the earlier PUT carried are lost (a later ingest of those dates restores them).
 * One writer per partition at a time is always safe there. A server that rejects the headers (HTTP 501
 * NotImplemented) makes every update fail with a clear {@link StoreException} instead. S3Proxy's file and
 * in-memory back ends evaluate {@code If-Match} as a check followed by a write, which protects only against writes
 * that do not overlap in time; AWS S3 evaluates both headers atomically.
 *
 * <p><b>Lost responses.</b> When the SDK retries a PUT whose first attempt was stored but whose answer was lost,
 * the retry meets its own write and gets 412. Every conditional PUT carries a random token as user metadata
 * ({@value #WRITE_TOKEN}); when the re-read object carries this attempt's token, the write did land and counts as
 * done instead of being redone. Equal bytes would not tell: another writer may have written the very bytes this
 * update meant to write (two counters both going from 5 to 6), and taking that for our own write loses an update.
 * If another writer replaces the object between our lost-response PUT and the re-read, the change is applied again
 * on top of theirs; the core's changes are merges, for which that is harmless.
 *
 * <p>Retries of 5xx, throttling ({@code 503 SlowDown}) and I/O errors are the SDK's standard retry strategy,
 * configured in {@link S3StoreProvider}.
 */
final class S3Storage implements Storage {

    private static final Logger LOG = LoggerFactory.getLogger(S3Storage.class);

    /** Connections kept for writers running in parallel (the pipeline writes a few partitions at once). */
    static final int MAX_CONNECTIONS = 16;
    private static final String BARS_CONTENT_TYPE = "application/x-ndjson";
    private static final String JSON_CONTENT_TYPE = "application/json";
    /** User metadata naming the conditional PUT that wrote an object (S3 sends it as x-amz-meta-ticker-etl-write). */
    static final String WRITE_TOKEN = "ticker-etl-write";

    private final S3Client s3;
    private final S3Location location;
    private final S3Settings settings;
    private final S3Errors errors;
    private final List<AutoCloseable> resources;
    private final boolean readOnly;
    private final AtomicLong puts = new AtomicLong();
    private final AtomicLong conflicts = new AtomicLong();
    private volatile boolean closed;

    /** Takes ownership of {@code s3} and of {@code resources} (closed with this storage). */
    S3Storage(S3Client s3, S3Location location, S3Settings settings, S3Errors errors, List<AutoCloseable> resources,
              boolean readOnly) {
        this.s3 = s3;
        this.location = location;
        this.settings = settings;
        this.errors = errors;
        this.resources = List.copyOf(resources);
        this.readOnly = readOnly;
    }

    @Override
    public URI uri() {
        return location.uri();
    }

    @Override
    public Optional<byte[]> read(String path) {
        ensureOpen();
        StoredObject stored = get(location.key(path));
        return stored == null ? Optional.empty() : Optional.of(stored.bytes());
    }

    @Override
    public List<String> list(String prefix) {
        ensureOpen();
        String keyPrefix = location.key(prefix);
        String root = location.key("");
        List<String> paths = new ArrayList<>();
        try {
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(location.bucket()).prefix(keyPrefix))
                    .contents()) {
                String path = object.key().substring(root.length());
                if (!hidden(path)) {
                    paths.add(path);
                }
            }
        } catch (SdkException e) {
            throw errors.translate(e, "ListObjectsV2", location.describe(keyPrefix));
        }
        paths.sort(null);
        return paths;
    }

    private static boolean hidden(String path) {
        for (String segment : path.split("/")) {
            if (segment.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void put(String path, byte[] bytes) {
        ensureWritable(path);
        String key = location.key(path);
        try {
            s3.putObject(b -> b.bucket(location.bucket()).key(key).contentType(contentType(path))
                    .contentLength((long) bytes.length).contentMD5(md5(bytes)), RequestBody.fromBytes(bytes));
            puts.incrementAndGet();
        } catch (SdkException e) {
            throw errors.translate(e, "PutObject", location.describe(key));
        }
    }

    /** Read, change, conditional PUT; again from the read when another writer changed the object in between. */
    @Override
    public boolean update(String path, UnaryOperator<byte[]> change) {
        ensureWritable(path);
        String key = location.key(path);
        String attempted = null;
        for (int round = 1; ; round++) {
            StoredObject stored = get(key);
            if (attempted != null && stored != null && attempted.equals(stored.writeToken())) {
                // Our PUT did land: the SDK retried it after a lost response and the retry met its own write.
                puts.incrementAndGet();
                return true;
            }
            byte[] old = stored == null ? null : stored.bytes();
            byte[] body = change.apply(old);
            if (body == null || body == old || Arrays.equals(body, old)) {
                return false;
            }
            String token = UUID.randomUUID().toString();
            if (putIfUnchanged(path, key, body, stored == null ? null : stored.eTag(), token)) {
                puts.incrementAndGet();
                return true;
            }
            conflicts.incrementAndGet();
            if (round > settings.conflictRetries()) {
                throw new StoreException("gave up writing " + location.describe(key) + " after " + round
                        + " conflicting concurrent writes");
            }
            LOG.debug("{} changed while updating; re-reading (round {})", location.describe(key), round);
            attempted = token;
            pause(round);
        }
    }

    /** PUT guarded by the ETag that was read; false when the object is no longer what was read. */
    private boolean putIfUnchanged(String path, String key, byte[] body, String eTag, String token) {
        PutObjectRequest.Builder request = PutObjectRequest.builder()
                .bucket(location.bucket())
                .key(key)
                .metadata(Map.of(WRITE_TOKEN, token))
                .contentType(contentType(path))
                .contentLength((long) body.length)
                .contentMD5(md5(body));
        if (eTag == null) {
            request.ifNoneMatch("*");
        } else {
            request.ifMatch(eTag);
        }
        try {
            s3.putObject(request.build(), RequestBody.fromBytes(body));
            return true;
        } catch (S3Exception e) {
            int status = e.statusCode();
            boolean vanished = status == 404 && eTag != null && !isNoSuchBucket(e);
            if (status == 412 || status == 409 || vanished) {
                return false;
            }
            throw errors.translate(e, "PutObject", location.describe(key));
        } catch (SdkException e) {
            throw errors.translate(e, "PutObject", location.describe(key));
        }
    }

    @Override
    public void delete(String path) {
        ensureWritable(path);
        String key = location.key(path);
        try {
            s3.deleteObject(b -> b.bucket(location.bucket()).key(key));
        } catch (SdkException e) {
            throw errors.translate(e, "DeleteObject", location.describe(key));
        }
    }

    /** The object, its ETag and the token of the conditional PUT that wrote it; null when there is no such key. */
    private StoredObject get(String key) {
        try {
            ResponseBytes<GetObjectResponse> response = s3.getObjectAsBytes(b -> b.bucket(location.bucket()).key(key));
            GetObjectResponse head = response.response();
            return new StoredObject(response.asByteArray(), head.eTag(), head.metadata().get(WRITE_TOKEN));
        } catch (NoSuchKeyException e) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 404 && !isNoSuchBucket(e)) {
                return null;
            }
            throw errors.translate(e, "GetObject", location.describe(key));
        } catch (SdkException e) {
            throw errors.translate(e, "GetObject", location.describe(key));
        }
    }

    private static String contentType(String path) {
        return path.endsWith(".jsonl") ? BARS_CONTENT_TYPE : JSON_CONTENT_TYPE;
    }

    private static boolean isNoSuchBucket(S3Exception e) {
        return e.awsErrorDetails() != null && "NoSuchBucket".equals(e.awsErrorDetails().errorCode());
    }

    /** Jittered, growing pause so that racing writers stop colliding. */
    private static void pause(int round) {
        long ceiling = Math.min(1_000, 10L << Math.min(round, 7));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling / 4, ceiling + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while retrying a conditional write", e);
        }
    }

    private static String md5(byte[] body) {
        try {
            // Content-MD5 lets any S3-compatible server reject a corrupted body; the SDK's newer trailing
            // checksums are switched off because many such servers do not understand them.
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has MD5", e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("S3 store " + uri() + " is closed");
        }
    }

    private void ensureWritable(String path) {
        ensureOpen();
        if (readOnly) {
            throw new StoreException("store " + uri() + " is opened read-only: cannot write " + path);
        }
    }

    /** Objects PUT by this storage since it was opened. */
    long puts() {
        return puts.get();
    }

    /** Conditional PUTs that lost to another writer and were redone. */
    long conflicts() {
        return conflicts.get();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        s3.close();
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.debug("closing {} failed", resource, e);
            }
        }
    }

    @Override
    public String toString() {
        return "S3Storage[" + uri() + (readOnly ? ", read-only" : "") + "]";
    }

    private record StoredObject(byte[] bytes, String eTag, String writeToken) {
    }
}
