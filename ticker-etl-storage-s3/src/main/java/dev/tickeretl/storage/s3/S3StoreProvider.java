package dev.tickeretl.storage.s3;

import dev.tickeretl.StoreException;
import dev.tickeretl.spi.ProviderContext;
import dev.tickeretl.spi.Storage;
import dev.tickeretl.spi.StoreProvider;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * Opens {@code s3://bucket/prefix} stores (AWS S3 or any S3-compatible server) through the AWS SDK for Java v2.
 * Found by {@link java.util.ServiceLoader} for the scheme {@code s3}.
 *
 * <p>Options: {@value #ENDPOINT} (an S3-compatible server's URL, e.g. {@code http://127.0.0.1:9000}; implies
 * path-style access), {@value #REGION} (else the SDK's default region chain: {@code AWS_REGION}, the profile,
 * the instance; with an endpoint and no region found, {@code us-east-1}) and {@value #PATH_STYLE}
 * ({@code true}/{@code false}). Credentials come only from the SDK's default chain ({@code AWS_ACCESS_KEY_ID} and
 * {@code AWS_SECRET_ACCESS_KEY}, {@code aws.accessKeyId}/{@code aws.secretAccessKey}, the profile, the container
 * or instance role) and never appear in logs, run records or messages.
 *
 * <p>Opening checks the bucket with HeadBucket, so a missing bucket, wrong credentials or an unreachable endpoint
 * fail here, with one line naming the bucket, the operation or the endpoint. Buckets are never created. Opened
 * read-only, the store must also hold at least one object under its prefix: a prefix without objects (a typo) is
 * a store that does not exist, as a missing directory is for the file store.
 */
public final class S3StoreProvider implements StoreProvider {

    /** Option: URL of an S3-compatible server; implies path-style access. */
    public static final String ENDPOINT = "s3-endpoint";
    /** Option: the AWS region to sign for and, without an endpoint, to send to. */
    public static final String REGION = "s3-region";
    /** Option: {@code true} for {@code http://host/bucket/key} addressing, {@code false} for virtual hosts. */
    public static final String PATH_STYLE = "s3-path-style";

    private static final Logger LOG = LoggerFactory.getLogger(S3StoreProvider.class);

    @Override
    public String scheme() {
        return "s3";
    }

    @Override
    public Storage open(URI uri, ProviderContext context, Storage.Access access) {
        context.requireKnownOptions("the S3 store", S3Settings.OPTIONS);
        return open(S3Location.parse(uri), S3Settings.fromOptions(context.options()), null,
                access == Storage.Access.READ_ONLY);
    }

    /**
     * Opens a store. {@code credentials} is a hook for tests; null (the only production value) means the SDK's
     * default chain.
     */
    static S3Storage open(S3Location location, S3Settings settings, AwsCredentialsProvider credentials,
                          boolean readOnly) {
        List<AutoCloseable> owned = new ArrayList<>();
        AwsCredentialsProvider provider = credentials;
        if (provider == null) {
            DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build();
            owned.add(chain);
            provider = chain;
        }
        Region region = region(settings, location);
        String endpoint = settings.describeEndpoint(region.id());
        S3Errors errors = new S3Errors(location.bucket(), endpoint, region.id());
        S3Client client = null;
        try {
            requireCredentials(provider, location);
            client = client(settings, region, provider);
            checkBucket(client, location, errors);
            if (readOnly) {
                requireObjects(client, location, errors);
            }
            LOG.debug("opened {} at {} (region {}, path-style {})", location.uri(), endpoint, region.id(),
                    settings.pathStyle());
            return new S3Storage(client, location, settings, errors, owned, readOnly);
        } catch (RuntimeException e) {
            if (client != null) {
                client.close();
            }
            owned.forEach(S3StoreProvider::closeQuietly);
            throw e;
        }
    }

    private static Region region(S3Settings settings, S3Location location) {
        if (settings.region() != null) {
            return Region.of(settings.region());
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkException e) {
            if (settings.endpoint() != null) {
                // S3-compatible servers mostly ignore the region but SigV4 needs one; us-east-1 is their default.
                return Region.US_EAST_1;
            }
            throw new StoreException("no AWS region for s3://" + location.bucket() + ": set the " + REGION
                    + " option or AWS_REGION", e);
        }
    }

    private static void requireCredentials(AwsCredentialsProvider provider, S3Location location) {
        try {
            provider.resolveCredentials();
        } catch (SdkException e) {
            // The SDK's message lists every provider it tried; the user needs the ways to supply them.
            throw new StoreException("no AWS credentials for s3://" + location.bucket() + ": set AWS_ACCESS_KEY_ID "
                    + "and AWS_SECRET_ACCESS_KEY, an AWS profile (AWS_PROFILE), or run with an instance role", e);
        }
    }

    private static S3Client client(S3Settings settings, Region region, AwsCredentialsProvider credentials) {
        RetryStrategy retry = AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(settings.maxAttempts())
                .backoffStrategy(BackoffStrategy.exponentialDelay(settings.baseDelay(), Duration.ofSeconds(5)))
                .throttlingBackoffStrategy(
                        BackoffStrategy.exponentialDelay(settings.throttlingDelay(), Duration.ofSeconds(10)))
                .build();
        S3ClientBuilder builder = S3Client.builder()
                // Chosen explicitly (no class-path lookup): Apache HttpClient 5, pooled for the parallel writers.
                .httpClientBuilder(Apache5HttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60))
                        .maxConnections(S3Storage.MAX_CONNECTIONS))
                .region(region)
                .credentialsProvider(credentials)
                .forcePathStyle(settings.pathStyle())
                // Partitions are small: waiting for "100 Continue" would only add a round trip per PUT.
                .serviceConfiguration(S3Configuration.builder().expectContinueEnabled(false).build())
                // Content-MD5 guards our PUTs; trailing CRC checksums break many S3-compatible servers.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.retryStrategy(retry));
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        return builder.build();
    }

    private static void checkBucket(S3Client client, S3Location location, S3Errors errors) {
        try {
            client.headBucket(b -> b.bucket(location.bucket()));
        } catch (SdkException e) {
            throw errors.translate(e, "HeadBucket", "bucket '" + location.bucket() + "'");
        }
    }

    /**
     * A store opened for reading must exist, as a directory must for the file store. S3 has no directories: a prefix
     * exists when some object has a key under it, and a mistyped prefix would otherwise read as an empty store.
     */
    private static void requireObjects(S3Client client, S3Location location, S3Errors errors) {
        String prefix = location.key("");
        try {
            if (client.listObjectsV2(b -> b.bucket(location.bucket()).prefix(prefix).maxKeys(1)).contents()
                    .isEmpty()) {
                throw new StoreException("store " + location.uri() + " does not exist (no object under "
                        + location.describe(prefix) + ")");
            }
        } catch (SdkException e) {
            throw errors.translate(e, "ListObjectsV2", location.describe(prefix));
        }
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            LOG.debug("closing {} failed", resource, e);
        }
    }
}
