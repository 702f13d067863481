package dev.tickeretl.storage.s3;

import dev.tickeretl.TradingCalendar;
import dev.tickeretl.internal.DataStore;
import dev.tickeretl.spi.ProviderContext;
import dev.tickeretl.spi.Storage;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 server for tests: S3Proxy in this JVM on 127.0.0.1 with an ephemeral port, an in-memory blob store and
 * SigV4 authentication. Started once per test class ({@code @RegisterExtension static}); every test gets a fresh
 * bucket. While the class runs, the system properties {@code aws.accessKeyId}/{@code aws.secretAccessKey} hold the
 * server's identity and credential, so stores opened the production way (the SDK's default chain) sign correctly.
 * Other modules' tests use it through this module's test-jar.
 */
public final class S3ProxyServer implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

    public static final String IDENTITY = "ticker-etl-test-identity";
    public static final String CREDENTIAL = "ticker-etl-test-credential-0123456789";
    public static final String REGION = "us-east-1";
    private static final String ACCESS_KEY_PROPERTY = "aws.accessKeyId";
    private static final String SECRET_KEY_PROPERTY = "aws.secretAccessKey";
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private S3Proxy proxy;
    private URI endpoint;
    private S3Client admin;
    private String bucket;
    private final Map<String, String> savedProperties = new HashMap<>();

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        proxy = S3Proxy.builder()
                .blobStore(BlobStores.create("transient", new java.util.Properties()))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, IDENTITY, CREDENTIAL)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            Thread.sleep(5);
        }
        endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        admin = client(endpoint);
        for (String p : List.of(ACCESS_KEY_PROPERTY, SECRET_KEY_PROPERTY)) {
            savedProperties.put(p, System.getProperty(p));
        }
        System.setProperty(ACCESS_KEY_PROPERTY, IDENTITY);
        System.setProperty(SECRET_KEY_PROPERTY, CREDENTIAL);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        savedProperties.forEach((p, v) -> {
            if (v == null) {
                System.clearProperty(p);
            } else {
                System.setProperty(p, v);
            }
        });
        if (admin != null) {
            admin.close();
        }
        if (proxy != null) {
            proxy.stop();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        bucket = "bucket-" + BUCKETS.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
        admin.createBucket(b -> b.bucket(bucket));
    }

    /** A plain SDK client with the server's credentials, for arranging and inspecting buckets. */
    public static S3Client client(URI endpoint) {
        return S3Client.builder()
                .httpClientBuilder(Apache5HttpClient.builder())
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(IDENTITY,
                        CREDENTIAL)))
                .build();
    }

    public URI endpoint() {
        return endpoint;
    }

    public int port() {
        return proxy.getPort();
    }

    /** This test's bucket (empty when the test starts). */
    public String bucket() {
        return bucket;
    }

    public S3Client admin() {
        return admin;
    }

    /** {@code s3://<this test's bucket>/<prefix>}. */
    public URI uri(String prefix) {
        return URI.create("s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix));
    }

    /** Provider options pointing at this server. */
    public Map<String, String> options() {
        return options(endpoint);
    }

    public static Map<String, String> options(URI endpoint) {
        return Map.of(S3StoreProvider.ENDPOINT, endpoint.toString(), S3StoreProvider.REGION, REGION);
    }

    /** Opens the storage at {@code prefix} the production way: provider, options, default credential chain. */
    S3Storage open(String prefix, Storage.Access access) {
        return (S3Storage) new S3StoreProvider().open(uri(prefix), ProviderContext.of(options()), access);
    }

    /** The store the core builds on the storage at {@code prefix}, opened for writing. */
    DataStore store(String prefix) {
        return new DataStore(open(prefix, Storage.Access.READ_WRITE), TradingCalendar.nyse());
    }

    /** Every key in this test's bucket, sorted. */
    public List<String> keys() {
        return admin.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream()
                .map(S3Object::key).sorted().toList();
    }

    byte[] object(String key) {
        return admin.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }
}
