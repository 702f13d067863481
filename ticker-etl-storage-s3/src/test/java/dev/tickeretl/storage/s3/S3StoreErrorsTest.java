package dev.tickeretl.storage.s3;

import static dev.tickeretl.storage.s3.TestBars.day;
import static dev.tickeretl.storage.s3.TestBars.untagged;
import static dev.tickeretl.storage.s3.TestBars.weekdays;
import static dev.tickeretl.storage.s3.TestBars.writeDays;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickeretl.Bar;
import dev.tickeretl.StoreException;
import dev.tickeretl.Timespan;
import dev.tickeretl.TradingCalendar;
import dev.tickeretl.internal.DataStore;
import dev.tickeretl.internal.DataStore.WriteOutcome;
import dev.tickeretl.spi.ProviderContext;
import dev.tickeretl.spi.Storage;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class S3StoreErrorsTest {

    @RegisterExtension
    static final S3ProxyServer S3 = new S3ProxyServer();

    private static final LocalDate JAN_6 = LocalDate.of(2025, 1, 6);
    private static final String WRONG_SECRET = "not-the-secret-9876543210";

    @Test
    void aMissingBucketIsNamedWhenTheStoreOpensForReadingOrWriting() {
        URI uri = URI.create("s3://no-such-bucket/prefix");

        for (Storage.Access access : Storage.Access.values()) {
            assertThatThrownBy(() -> new S3StoreProvider().open(uri, ProviderContext.of(S3.options()), access))
                    .as("opened %s", access).isInstanceOf(StoreException.class)
                    .hasMessage("bucket 'no-such-bucket' does not exist (at " + S3.endpoint() + ")");
        }
    }

    @Test
    void aWrongSecretIsAccessDeniedForHeadBucketAndWritesNothing() {
        S3Location location = S3Location.parse(S3.uri("p"));
        StaticCredentialsProvider wrong = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(S3ProxyServer.IDENTITY, WRONG_SECRET));

        assertThatThrownBy(() -> S3StoreProvider.open(location, S3Settings.fromOptions(S3.options()), wrong, false))
                .isInstanceOf(StoreException.class)
                .hasMessage("access denied for HeadBucket on bucket '" + S3.bucket() + "' (check credentials)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(WRONG_SECRET).doesNotContain("\n"));
        assertThat(S3.keys()).isEmpty();
    }

    @Test
    void theDefaultCredentialChainIsWhatTheProviderSignsWith() {
        String saved = System.getProperty("aws.accessKeyId");
        System.setProperty("aws.accessKeyId", "AKIDUNKNOWNTOTHESERVER");
        try {
            assertThatThrownBy(() -> open(S3.uri("p"), S3.options()))
                    .isInstanceOf(StoreException.class)
                    .hasMessage("access denied for HeadBucket on bucket '" + S3.bucket() + "' (check credentials)")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(S3ProxyServer.CREDENTIAL));
        } finally {
            System.setProperty("aws.accessKeyId", saved);
        }
        assertThat(S3.keys()).isEmpty();
    }

    @Test
    void credentialsThatStopWorkingAreAccessDeniedNamingTheOperation() {
        // Opening succeeded; then the bucket is only reachable with other credentials (e.g. a rotated key).
        try (S3Gateway gateway = new S3Gateway(S3.port());
             DataStore store = viaGateway(gateway)) {
            gateway.failNext(1, 403, "Forbidden", "AccessDenied", "GET");

            assertThatThrownBy(() -> writeDays(store, List.of(day("AAPL", JAN_6, 1))))
                    .isInstanceOf(StoreException.class)
                    .hasMessage("access denied for GetObject on s3://" + S3.bucket()
                            + "/p/bars/timespan=day/ticker=AAPL/year=2025/bars.jsonl: AccessDenied (check credentials)");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(S3.keys()).isEmpty();
    }

    @Test
    void anUnreachableEndpointIsNamed() {
        Map<String, String> options = Map.of(S3StoreProvider.ENDPOINT, "http://127.0.0.1:1",
                S3StoreProvider.REGION, "us-east-1");

        assertThatThrownBy(() -> open(S3.uri("p"), options))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("cannot reach S3 endpoint http://127.0.0.1:1: connection failed")
                .hasMessageEndingWith("(HeadBucket on bucket '" + S3.bucket() + "', after "
                        + S3Settings.DEFAULT_MAX_ATTEMPTS + " attempts)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void transientSlowDownAnswersAreRetriedAndTheWriteSucceeds() throws Exception {
        List<Bar> bars = weekdays("AAPL", JAN_6, JAN_6.plusDays(20));
        try (S3Gateway gateway = new S3Gateway(S3.port());
             DataStore store = viaGateway(gateway)) {
            gateway.failNext(2, 503, "Slow Down", "SlowDown", null);

            WriteOutcome result = writeDays(store, bars);

            assertThat(gateway.faultsAnswered()).isEqualTo(2);
            assertThat(result.inserted()).isEqualTo(bars.size());
            assertThat(result.filesWritten()).isEqualTo(1);
            assertThat(untagged(store.read("AAPL", Timespan.DAY, true, JAN_6, JAN_6.plusDays(20)))).isEqualTo(bars);
        }
    }

    @Test
    void aSlowDownOnTheConditionalPutIsRetriedAndWritesThePartitionOnce() throws Exception {
        List<Bar> bars = weekdays("AAPL", JAN_6, JAN_6.plusDays(6));
        try (S3Gateway gateway = new S3Gateway(S3.port());
             S3Storage storage = (S3Storage) open(S3.uri("p"), S3ProxyServer.options(gateway.endpoint()))) {
            DataStore store = new DataStore(storage, TradingCalendar.nyse());
            gateway.failNext(1, 503, "Slow Down", "SlowDown", "PUT");

            WriteOutcome result = writeDays(store, bars);

            assertThat(gateway.faultsAnswered()).isEqualTo(1);
            assertThat(gateway.count("PUT", "/bars/")).isEqualTo(2);
            assertThat(result.inserted()).isEqualTo(bars.size());
            assertThat(result.filesWritten()).isEqualTo(1);
            assertThat(storage.conflicts()).isZero();
            assertThat(storage.puts()).isEqualTo(1);
            assertThat(untagged(store.read("AAPL", Timespan.DAY, true, JAN_6, JAN_6.plusDays(6)))).isEqualTo(bars);
        }
    }

    @Test
    void aPersistentServerErrorEndsInOneClearStoreException() throws Exception {
        try (S3Gateway gateway = new S3Gateway(S3.port());
             DataStore store = viaGateway(gateway)) {
            gateway.failNext(Integer.MAX_VALUE, 500, "Internal Server Error", "InternalError", null);

            assertThatThrownBy(() -> writeDays(store, List.of(day("AAPL", JAN_6, 1))))
                    .isInstanceOf(StoreException.class)
                    .hasMessage("S3 GetObject on s3://" + S3.bucket()
                            + "/p/bars/timespan=day/ticker=AAPL/year=2025/bars.jsonl failed: HTTP 500 InternalError "
                            + "(Internal Server Error (injected by the test gateway)), after "
                            + S3Settings.DEFAULT_MAX_ATTEMPTS + " attempts");
            assertThat(gateway.count("GET", "/bars/")).isEqualTo(S3Settings.DEFAULT_MAX_ATTEMPTS);
            assertThat(gateway.count("PUT", "/bars/")).isZero();
        }
        assertThat(S3.keys()).isEmpty();
    }

    @Test
    void retryTimingIsConfigurable() throws Exception {
        S3Settings quick = S3Settings.fromOptions(S3.options()).withRetry(2, Duration.ofMillis(1),
                Duration.ofMillis(1));
        try (S3Gateway gateway = new S3Gateway(S3.port());
             S3Storage storage = S3StoreProvider.open(S3Location.parse(S3.uri("p")),
                     S3Settings.fromOptions(S3ProxyServer.options(gateway.endpoint())).withRetry(2,
                             quick.baseDelay(), quick.throttlingDelay()), null, false)) {
            DataStore store = new DataStore(storage, TradingCalendar.nyse());
            gateway.failNext(Integer.MAX_VALUE, 503, "Slow Down", "SlowDown", null);

            assertThatThrownBy(() -> store.read("AAPL", Timespan.DAY, true, JAN_6, JAN_6))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("HTTP 503 SlowDown")
                    .hasMessageEndingWith("after 2 attempts");
            assertThat(gateway.faultsAnswered()).isEqualTo(2);
        }
    }

    @Test
    void withAnEndpointAndNoRegionTheStoreStillOpens() {
        String savedImds = System.getProperty("aws.disableEc2Metadata");
        // Keeps the region chain from probing an instance-metadata service that this machine does not have.
        System.setProperty("aws.disableEc2Metadata", "true");
        try (DataStore store = new DataStore(open(S3.uri("p"), Map.of(S3StoreProvider.ENDPOINT,
                S3.endpoint().toString())), TradingCalendar.nyse())) {
            writeDays(store, List.of(day("AAPL", JAN_6, 1)));
            assertThat(S3.keys()).hasSize(1);
        } finally {
            if (savedImds == null) {
                System.clearProperty("aws.disableEc2Metadata");
            } else {
                System.setProperty("aws.disableEc2Metadata", savedImds);
            }
        }
    }

    private static Storage open(URI uri, Map<String, String> options) {
        return new S3StoreProvider().open(uri, ProviderContext.of(options), Storage.Access.READ_WRITE);
    }

    private static DataStore viaGateway(S3Gateway gateway) {
        return new DataStore(open(S3.uri("p"), S3ProxyServer.options(gateway.endpoint())), TradingCalendar.nyse());
    }
}
