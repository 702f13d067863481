package dev.tickeretl.storage.s3;

import dev.tickeretl.spi.ProviderContext;
import dev.tickeretl.spi.Storage;
import dev.tickeretl.testkit.StoreContract;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The S3 store keeps the store contract, against S3Proxy. Storages reach it through {@link S3Gateway} with writes
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
    protected Storage newStorage() {
        prefix = "store-" + ++stores + "/data";
        return openAgain();
    }

    @Override
    protected Storage openAgain() {
        return open(prefix, Storage.Access.READ_WRITE);
    }

    @Override
    protected Storage openReadOnly() {
        return open(prefix, Storage.Access.READ_ONLY);
    }

    /** A prefix no object was ever written under: S3 has no directories, so that is a store that does not exist. */
    @Override
    protected Storage openMissingReadOnly() {
        return open("never/written", Storage.Access.READ_ONLY);
    }

    /**
     * A PUT that dies midway publishes nothing on S3; the nearest thing to debris is an upload that was started and
     * never completed: a multipart upload holding the first part of the new content under the object's key.
     */
    @Override
    protected void leaveCrashDebris(String path, byte[] partialContent) {
        String key = prefix + "/" + path;
        String uploadId = S3.admin().createMultipartUpload(b -> b.bucket(S3.bucket()).key(key)).uploadId();
        S3.admin().uploadPart(b -> b.bucket(S3.bucket()).key(key).uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(partialContent));
    }

    private Storage open(String at, Storage.Access access) {
        return new S3StoreProvider().open(S3.uri(at), ProviderContext.of(S3ProxyServer.options(gateway.endpoint())),
                access);
    }
}
