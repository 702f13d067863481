package dev.tickeretl.cli;

import static dev.tickeretl.cli.CliRunner.cli;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.storage.s3.S3ProxyServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

/** {@code check} on an S3 store (S3Proxy, SigV4): the same findings as on files, and it writes no object. */
class CheckCommandS3Test {

    @RegisterExtension
    static final S3ProxyServer S3 = new S3ProxyServer();

    private static final String AAPL_2025 = "bars/timespan=day/ticker=AAPL/year=2025/bars.jsonl";

    private String[] s3(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--store", S3.uri("prices").toString(), "--s3-endpoint", S3.endpoint().toString(),
                "--s3-region", S3ProxyServer.REGION));
        return all.toArray(String[]::new);
    }

    @Test
    void aCleanS3StorePassesAndAPlantedDuplicateIsFoundOnItsLineWithoutAnyWrite() {
        CliRunner.Result ingest = cli(s3("ingest", "--source", "simulator", "--tickers", "AAPL,BRK.A", "--from",
                "2024-12-02", "--to", "2025-01-31", "--quiet"));
        assertThat(ingest.exit()).as(ingest.err()).isZero();

        CliRunner.Result clean = cli(s3("check"));

        assertThat(clean.exit()).as(clean.out() + clean.err()).isZero();
        assertThat(clean.out().lines()).singleElement().asString().startsWith("check s3://").contains(": clean");

        String key = "prices/" + AAPL_2025;
        List<String> lines = new ArrayList<>(S3.admin().getObjectAsBytes(b -> b.bucket(S3.bucket()).key(key))
                .asUtf8String().lines().toList());
        lines.add(3, lines.get(2));
        S3.admin().putObject(b -> b.bucket(S3.bucket()).key(key), RequestBody.fromString(String.join("\n", lines)
                + "\n", StandardCharsets.UTF_8));
        List<String> keys = S3.keys();

        CliRunner.Result r = cli(s3("check", "--tickers", "AAPL"));

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out().lines().toList().get(0)).startsWith(AAPL_2025 + ":4: ERROR DUPLICATE_KEY AAPL ");
        assertThat(S3.keys()).isEqualTo(keys);
    }
}
