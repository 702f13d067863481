package dev.tickeretl.storage.s3;

import dev.tickeretl.Bar;
import dev.tickeretl.RunRecord;
import dev.tickeretl.StoreException;
import dev.tickeretl.Timespan;
import dev.tickeretl.spi.BarStore;
import dev.tickeretl.spi.JsonCodec;
import dev.tickeretl.spi.PartitionMerge;
import dev.tickeretl.spi.StoreLayout;
import dev.tickeretl.spi.WriteResult;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
 * A {@link BarStore} in an S3 bucket, with the filesystem store's layout and bytes: object key = prefix +
 * {@link StoreLayout} path, content = {@link PartitionMerge#encode}. A PUT replaces an object atomically, so readers
 * never see half a partition and there is no temporary object to clean up after a crash.
 *
 * <p><b>Idempotency.</b> Each partition is read, merged with {@link PartitionMerge#merge} and written back only
 * when the merge changed something; an identical re-write makes no PUT.
 *
 * <p><b>Concurrent writers.</b> Every data PUT is conditional on what was read: {@code If-Match: <ETag>} when the
 * object existed, {@code If-None-Match: *} when it did not. When another writer got there first the server answers
 * 412 Precondition Failed (or 409 ConditionalRequestConflict while two writes race, or 404 when the object was
 * deleted), and this store re-reads, re-merges and tries again, up to {@link S3Settings#conflictRetries()} times
 * with a short jittered backoff, then fails with a {@link StoreException}. No update is lost on AWS S3 (conditional
 * writes since 2024) or on any server that evaluates these headers atomically.
 *
 * <p><b>Servers without conditional writes.</b> A server that ignores {@code If-Match}/{@code If-None-Match}
 * accepts every PUT, so the last writer of a partition wins: when two processes merge the same partition at the
 * same moment, the bars that only the earlier PUT carried are lost (a later ingest of those dates restores them).
 * One writer per partition at a time is always safe there. A server that rejects the headers (HTTP 501
 * NotImplemented) makes every data write fail with a clear {@link StoreException} instead. S3Proxy's file and
 * in-memory back ends evaluate {@code If-Match} as a check followed by a write, which protects only against writes
 * that do not overlap in time; AWS S3 evaluates both headers atomically.
 *
 * <p><b>Lost responses.</b> When the SDK retries a PUT whose first attempt was stored but whose answer was lost,
 * the retry meets its own write and gets 412; the re-read then finds exactly the bytes this store sent and counts
 * the write as done instead of redoing it.
 *
 * <p>Retries of 5xx, throttling ({@code 503 SlowDown}) and I/O errors are the SDK's standard retry strategy,
 * configured in {@link S3StoreProvider}. Partitions of one write go out in parallel on a few threads.
 */
final class S3Store implements BarStore {

    private static final Logger LOG = LoggerFactory.getLogger(S3Store.class);

    /** Parallel partition writes; enough to hide S3's per-request latency, few enough to be polite. */
    static final int WRITE_THREADS = 8;
    private static final String BARS_CONTENT_TYPE = "application/x-ndjson";
    private static final String RUN_CONTENT_TYPE = "application/json";

    private final S3Client s3;
    private final S3Location location;
    private final S3Settings settings;
    private final S3Errors errors;
    private final List<AutoCloseable> resources;
    private final AtomicLong dataPuts = new AtomicLong();
    private final AtomicLong conflicts = new AtomicLong();
    private ExecutorService writers;
    private volatile boolean closed;

    /** Takes ownership of {@code s3} and of {@code resources} (closed with this store). */
    S3Store(S3Client s3, S3Location location, S3Settings settings, S3Errors errors, List<AutoCloseable> resources) {
        this.s3 = s3;
        this.location = location;
        this.settings = settings;
        this.errors = errors;
        this.resources = List.copyOf(resources);
    }

    @Override
    public URI uri() {
        return location.uri();
    }

    @Override
    public WriteResult write(List<Bar> bars) {
        ensureOpen();
        Map<String, List<Bar>> byPartition = StoreLayout.byPartition(bars);
        if (byPartition.size() <= 1) {
            WriteResult result = WriteResult.EMPTY;
            for (Map.Entry<String, List<Bar>> e : byPartition.entrySet()) {
                result = result.plus(writePartition(e.getKey(), e.getValue()));
            }
            return result;
        }
        List<Future<WriteResult>> futures = new ArrayList<>();
        ExecutorService pool = writers();
        for (Map.Entry<String, List<Bar>> e : byPartition.entrySet()) {
            futures.add(pool.submit(() -> writePartition(e.getKey(), e.getValue())));
        }
        WriteResult result = WriteResult.EMPTY;
        RuntimeException failure = null;
        for (Future<WriteResult> f : futures) {
            try {
                result = result.plus(f.get());
            } catch (ExecutionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException re ? re
                        : new StoreException("writing to " + uri() + " failed: " + e.getCause(), e.getCause());
                if (failure == null) {
                    failure = cause;
                } else if (failure != cause) {
                    failure.addSuppressed(cause);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(other -> other.cancel(true));
                throw new StoreException("interrupted while writing to " + uri(), e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return result;
    }

    /** Read, merge, conditional PUT; again from the read when another writer changed the object in between. */
    private WriteResult writePartition(String layoutPath, List<Bar> incoming) {
        String key = location.key(layoutPath);
        byte[] attempted = null;
        PartitionMerge.Result attemptedMerge = null;
        for (int round = 1; ; round++) {
            StoredObject stored = get(key);
            if (attempted != null && stored != null && Arrays.equals(stored.bytes(), attempted)) {
                // Our PUT did land: the SDK retried it after a lost response and the retry met its own write.
                dataPuts.incrementAndGet();
                return attemptedMerge.toWriteResult(1, attempted.length);
            }
            List<Bar> storedBars = stored == null ? List.of() : decodeBars(key, stored.bytes());
            PartitionMerge.Result merged = PartitionMerge.merge(storedBars, incoming);
            if (!merged.changed()) {
                return merged.toWriteResult(0, 0);
            }
            byte[] body = PartitionMerge.encode(merged.bars());
            if (putIfUnchanged(key, body, stored == null ? null : stored.eTag())) {
                dataPuts.incrementAndGet();
                return merged.toWriteResult(1, body.length);
            }
            conflicts.incrementAndGet();
            if (round > settings.conflictRetries()) {
                throw new StoreException("gave up writing " + location.describe(key) + " after " + round
                        + " conflicting concurrent writes");
            }
            LOG.debug("{} changed while merging; re-reading (round {})", location.describe(key), round);
            attempted = body;
            attemptedMerge = merged;
            pause(round);
        }
    }

    /** PUT guarded by the ETag that was read; false when the object is no longer what was read. */
    private boolean putIfUnchanged(String key, byte[] body, String eTag) {
        PutObjectRequest.Builder request = PutObjectRequest.builder()
                .bucket(location.bucket())
                .key(key)
                .contentType(BARS_CONTENT_TYPE)
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
    public void putRun(RunRecord run) {
        ensureOpen();
        String key = location.key(StoreLayout.runPath(run.runId()));
        byte[] body = JsonCodec.toJson(run);
        try {
            s3.putObject(b -> b.bucket(location.bucket()).key(key).contentType(RUN_CONTENT_TYPE)
                    .contentLength((long) body.length).contentMD5(md5(body)), RequestBody.fromBytes(body));
        } catch (SdkException e) {
            throw errors.translate(e, "PutObject", location.describe(key));
        }
    }

    @Override
    public List<Bar> read(String ticker, Timespan timespan, java.time.LocalDate from, java.time.LocalDate to) {
        ensureOpen();
        return StoreLayout.read(ticker, timespan, from, to, path -> {
            String key = location.key(path);
            StoredObject stored = get(key);
            return stored == null ? List.of() : decodeBars(key, stored.bytes());
        });
    }

    @Override
    public List<RunRecord> runs() {
        ensureOpen();
        String runsPrefix = location.key(StoreLayout.RUNS + "/");
        List<String> keys = new ArrayList<>();
        try {
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(location.bucket()).prefix(runsPrefix))
                    .contents()) {
                String name = object.key().substring(runsPrefix.length());
                if (name.endsWith(".json") && !name.contains("/")) {
                    keys.add(object.key());
                }
            }
        } catch (SdkException e) {
            throw errors.translate(e, "ListObjectsV2", location.describe(runsPrefix));
        }
        List<RunRecord> runs = new ArrayList<>();
        for (String key : keys) {
            StoredObject stored = get(key);
            if (stored == null) {
                continue; // deleted since the listing
            }
            try {
                runs.add(JsonCodec.parseRun(stored.bytes()));
            } catch (UncheckedIOException e) {
                throw new StoreException("run record " + location.describe(key) + " is not readable: "
                        + e.getMessage(), e);
            }
        }
        runs.sort(RunRecord.NEWEST_FIRST);
        return runs;
    }

    /** The object and its ETag, or null when there is no such key. */
    private StoredObject get(String key) {
        try {
            ResponseBytes<GetObjectResponse> response = s3.getObjectAsBytes(b -> b.bucket(location.bucket()).key(key));
            return new StoredObject(response.asByteArray(), response.response().eTag());
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

    private List<Bar> decodeBars(String key, byte[] bytes) {
        try {
            return PartitionMerge.decode(bytes);
        } catch (UncheckedIOException e) {
            throw new StoreException("partition " + location.describe(key) + " is not readable: " + e.getMessage(), e);
        }
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

    private synchronized ExecutorService writers() {
        if (writers == null) {
            AtomicInteger n = new AtomicInteger();
            writers = Executors.newFixedThreadPool(WRITE_THREADS, r -> {
                Thread t = new Thread(r, "ticker-etl-s3-writer-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        return writers;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("S3 store " + uri() + " is closed");
        }
    }

    /** Data objects PUT by this store since it was opened (run records not counted). */
    long dataPuts() {
        return dataPuts.get();
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
        if (writers != null) {
            writers.shutdown();
            try {
                writers.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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
        return "S3Store[" + uri() + "]";
    }

    private record StoredObject(byte[] bytes, String eTag) {
    }
}
