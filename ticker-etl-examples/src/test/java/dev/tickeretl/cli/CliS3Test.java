package dev.tickeretl.cli;

import static dev.tickeretl.cli.CliRunner.cli;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.RunRecord;
import dev.tickeretl.Store;
import dev.tickeretl.storage.s3.S3ProxyServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Issue 4 through the CLI: ingest into a real S3 server (S3Proxy with SigV4), read back, fail clearly. */
class CliS3Test {

    @RegisterExtension
    static final S3ProxyServer S3 = new S3ProxyServer();

    @TempDir
    Path dir;

    private String[] s3(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--store", S3.uri("prices").toString(), "--s3-endpoint", S3.endpoint().toString(),
                "--s3-region", S3ProxyServer.REGION));
        return all.toArray(String[]::new);
    }

    /** ETag and last-modified of every data object: a PUT of any of them changes one of these. */
    private Map<String, String> dataObjects() {
        Map<String, String> objects = new TreeMap<>();
        for (S3Object o : S3.admin().listObjectsV2Paginator(b -> b.bucket(S3.bucket()).prefix("prices/bars/"))
                .contents()) {
            objects.put(o.key(), o.eTag() + "@" + o.lastModified());
        }
        return objects;
    }

    @Test
    void ingestIntoS3ReadsBackTheFileStoresRecordsAndASecondIngestPutsNoDataObject() {
        String[] range = {"--source", "simulator", "--tickers", "AAPL,BRK.A", "--from", "2024-12-02", "--to",
                "2025-01-31"};
        String fileStore = dir.resolve("data").toUri().toString();
        List<String> ingest = new java.util.ArrayList<>(List.of("ingest"));
        ingest.addAll(List.of(range));

        CliRunner.Result intoS3 = cli(s3(ingest.toArray(String[]::new)));
        List<String> intoFiles = new java.util.ArrayList<>(ingest);
        intoFiles.addAll(List.of("--store", fileStore));
        assertThat(cli(intoFiles.toArray(String[]::new)).exit()).isZero();

        assertThat(intoS3.exit()).as(intoS3.err()).isZero();
        for (String ticker : List.of("AAPL", "BRK.A")) {
            CliRunner.Result fromS3 = cli(s3("bars", "--ticker", ticker, "--from", "2024-12-02", "--to", "2025-01-31",
                    "--format", "jsonl"));
            CliRunner.Result fromFiles = cli("bars", "--ticker", ticker, "--from", "2024-12-02", "--to", "2025-01-31",
                    "--format", "jsonl", "--store", fileStore);
            assertThat(fromS3.exit()).as(fromS3.err()).isZero();
            assertThat(fromS3.out()).isNotBlank().isEqualTo(fromFiles.out());
        }
        Map<String, String> before = dataObjects();
        assertThat(before).containsOnlyKeys("prices/bars/timespan=day/ticker=AAPL/year=2024/bars.jsonl",
                "prices/bars/timespan=day/ticker=AAPL/year=2025/bars.jsonl",
                "prices/bars/timespan=day/ticker=BRK.A/year=2024/bars.jsonl",
                "prices/bars/timespan=day/ticker=BRK.A/year=2025/bars.jsonl");

        CliRunner.Result again = cli(s3(ingest.toArray(String[]::new)));

        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(dataObjects()).isEqualTo(before);
        try (Store store = Store.open(S3.uri("prices"), S3.options())) {
            RunRecord rerun = store.runs().get(0);
            assertThat(rerun.totals().filesWritten()).as("data PUTs").isZero();
            assertThat(rerun.totals().unchanged()).isEqualTo(rerun.totals().fetched()); // lookbacks are stored too
            assertThat(store.runs()).hasSize(2);
        }
        CliRunner.Result runs = cli(s3("runs"));
        assertThat(runs.out().lines().count()).isEqualTo(3);
    }

    @Test
    void aMissingBucketIsOneClearErrorLineAndExitOne() {
        CliRunner.Result r = cli("ingest", "--source", "simulator", "--tickers", "AAPL", "--from", "2025-01-02",
                "--to", "2025-01-03", "--store", "s3://no-such-bucket/prices", "--s3-endpoint",
                S3.endpoint().toString(), "--s3-region", S3ProxyServer.REGION);

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errLines()).singleElement().asString().contains("no-such-bucket").contains("does not exist");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void wrongCredentialsAreOneClearErrorLineExitOneAndWriteNothing() {
        String secret = System.getProperty("aws.secretAccessKey");
        System.setProperty("aws.secretAccessKey", "wrong-secret-for-this-test");
        CliRunner.Result r;
        try {
            r = cli(s3("ingest", "--source", "simulator", "--tickers", "AAPL", "--from", "2025-01-02", "--to",
                    "2025-01-03"));
        } finally {
            System.setProperty("aws.secretAccessKey", secret);
        }

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errLines()).singleElement().asString().contains("access denied").contains(S3.bucket())
                .doesNotContain("wrong-secret-for-this-test");
        assertThat(S3.keys()).isEmpty();
    }
}
