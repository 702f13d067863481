package dev.tickeretl.cli;

import static dev.tickeretl.cli.CliRunner.cli;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.RunRecord;
import dev.tickeretl.Store;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --store} as a user types it: a plain path is that directory, character for character; a location that
 * cannot name a store is a usage error (exit 2, one line); a store that cannot be reached is a failure (exit 1).
 */
class CliStoreLocationTest {

    /** Names a URI reads differently: a space (refused), '?' and '#' (cut the path), '%20' (decoded). */
    private static final List<String> LITERAL_NAMES = List.of("dir with space", "a?b", "c#d", "e%20f");

    private static final String[] ONE_DAY = {"--source", "simulator", "--tickers", "AAPL", "--from", "2025-01-02",
        "--to", "2025-01-03"};

    @TempDir
    Path tmp;

    @Test
    void ingestIntoAPlainPathCreatesExactlyThatDirectoryAndTheRunRecordNamesIt() throws IOException {
        for (String name : LITERAL_NAMES) {
            Path parent = Files.createDirectory(tmp.resolve("p" + LITERAL_NAMES.indexOf(name)));
            Path dir = parent.resolve(name);

            CliRunner.Result ingest = cli(ingest("--store", dir.toString()));

            assertThat(ingest.exit()).as(name + ": " + ingest.err()).isZero();
            assertThat(children(parent)).as(name).containsExactly(name);
            assertThat(dir.resolve("bars/timespan=day/ticker=AAPL/year=2025/bars.jsonl")).as(name).isRegularFile();
            try (Store store = Store.open(dir.toUri())) {
                RunRecord run = store.runs().get(0);
                assertThat(Path.of(URI.create(run.parameters().store()))).as(name).isEqualTo(dir);
                assertThat(ingest.out()).as(name).contains("into " + run.parameters().store());
            }
            CliRunner.Result bars = cli("bars", "--ticker", "AAPL", "--from", "2025-01-02", "--to", "2025-01-03",
                    "--format", "jsonl", "--store", dir.toString());
            assertThat(bars.exit()).as(name + ": " + bars.err()).isZero();
            assertThat(bars.out().lines()).as(name).hasSize(2);
        }
    }

    @Test
    void everyStoreLocationErrorIsAUsageErrorOnOneLineAndCreatesNothing() throws IOException {
        String abs = tmp.toUri().getRawPath(); // ends with '/'
        List<List<String>> bad = List.of(
                List.of("--store", "ftp://host/x"),
                List.of("--store", "file://fileserver" + abs + "x"),
                List.of("--store", "file:"),
                List.of("--store", "file:" + abs + "a b"),
                List.of("--store", "file://" + abs + "a?b"),
                List.of("--store", "file://" + abs + "c#d"),
                List.of("--store", " "),
                List.of("--store", "s3:prices"),
                List.of("--store", "s3://"),
                List.of("--store", "s3://prices:9000/p"),
                List.of("--store", "s3://prices/p?region=x"),
                List.of("--store", "s3://AKIDEXAMPLE:s3cr3tValue@prices/p"),
                List.of("--store", "s3://prices/p", "--s3-endpoint", "ftp://127.0.0.1:9000"),
                List.of("--store", "s3://prices/p", "--s3-endpoint", "http://user:pa55word@127.0.0.1:9000"));
        for (List<String> options : bad) {
            for (String command : List.of("ingest", "runs")) {
                List<String> args = new ArrayList<>(List.of(command));
                if (command.equals("ingest")) {
                    args.addAll(List.of(ONE_DAY));
                }
                args.addAll(options);

                CliRunner.Result r = cli(args.toArray(String[]::new));

                assertThat(r.exit()).as(args + ": " + r.err()).isEqualTo(2);
                assertThat(r.errLines()).as(args.toString()).singleElement().asString()
                        .containsAnyOf("store", "s3-endpoint")
                        .doesNotContain("s3cr3tValue").doesNotContain("pa55word");
                assertThat(r.out()).as(args.toString()).isEmpty();
            }
        }
        assertThat(children(tmp)).as("no directory was created for a refused location").isEmpty();
    }

    @Test
    void aStoreThatCannotBeReachedAtRunTimeIsAFailureOnOneLine() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");

        CliRunner.Result underAFile = cli(ingest("--store", file.resolve("data").toString()));

        assertThat(underAFile.exit()).as(underAFile.err()).isEqualTo(1);
        assertThat(underAFile.errLines()).singleElement().asString().contains(file.toString());

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        CliRunner.Result unreachable = withAwsCredentials(() -> cli(ingest("--store", "s3://prices/p",
                "--s3-endpoint", "http://127.0.0.1:" + closedPort, "--s3-region", "us-east-1")));

        assertThat(unreachable.exit()).as(unreachable.err()).isEqualTo(1);
        assertThat(unreachable.errLines()).singleElement().asString().contains("127.0.0.1:" + closedPort);
    }

    private static String[] ingest(String... options) {
        List<String> args = new ArrayList<>(List.of("ingest"));
        args.addAll(List.of(ONE_DAY));
        args.addAll(List.of(options));
        return args.toArray(String[]::new);
    }

    /** Runs {@code call} with credentials in the SDK's system properties, so the store gets as far as the network. */
    private static CliRunner.Result withAwsCredentials(java.util.function.Supplier<CliRunner.Result> call) {
        String[] keys = {"aws.accessKeyId", "aws.secretAccessKey"};
        String[] before = {System.getProperty(keys[0]), System.getProperty(keys[1])};
        System.setProperty(keys[0], "ticker-etl-test-identity");
        System.setProperty(keys[1], "ticker-etl-test-credential");
        try {
            return call.get();
        } finally {
            for (int i = 0; i < keys.length; i++) {
                if (before[i] == null) {
                    System.clearProperty(keys[i]);
                } else {
                    System.setProperty(keys[i], before[i]);
                }
            }
        }
    }

    private static List<String> children(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).toList();
        }
    }
}
