package dev.tickeretl.storage.s3;

import dev.tickeretl.spi.BarStore;
import dev.tickeretl.testkit.StoreContract;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The S3 store keeps the store contract, against S3Proxy. Stores reach it through {@link S3Gateway} with writes
 * serialised, because S3Proxy's in-memory store checks If-Match and then writes (not atomic for overlapping PUTs,
 * unlike S3); the conditional-write logic under test is this store's, not the server's.
 */
class S3StoreContractTest extends StoreContract {

    @RegisterExtension
    static final S3ProxyServer S3 = new S3ProxyServer();

    private static S3Gateway gateway;
    private int stores;
    private String prefix;

    @BeforeAll
    static void startGateway() throws IOException {
        gateway = new S3Gateway(S3.port());
        gateway.serializeWrites();
    }

    @AfterAll
    static void stopGateway() throws IOException {
        gateway.close();
    }

    @Override
    protected BarStore newStore() {
        prefix = "store-" + ++stores + "/data";
        return openAgain();
    }

    @Override
    protected BarStore openAgain() {
        return new S3StoreProvider().open(S3.uri(prefix), S3ProxyServer.options(gateway.endpoint()));
    }

    /**
     * A PUT that dies midway publishes nothing on S3; the nearest thing to debris is an upload that was started and
     * never completed: a multipart upload holding the first part of the new content under the partition's key.
     */
    @Override
    protected void leaveCrashDebris(String partition, byte[] partialContent) {
        String key = prefix + "/" + partition;
        String uploadId = S3.admin().createMultipartUpload(b -> b.bucket(S3.bucket()).key(key)).uploadId();
        S3.admin().uploadPart(b -> b.bucket(S3.bucket()).key(key).uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(partialContent));
    }
}
