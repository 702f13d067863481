package dev.tickeretl.cli;

import static dev.tickeretl.cli.CliRunner.cli;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.Bar;
import dev.tickeretl.Store;
import dev.tickeretl.testkit.kafka.KafkaBroker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code ingest --sink kafka://...}: what a user types, sees and gets on the topic. */
@Timeout(120)
class CliKafkaTest {

    @TempDir
    static Path brokerDir;
    static KafkaBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start(brokerDir);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void ingestPublishesEveryStoredBarToTheTopicAndARerunPublishesNone() {
        broker.createTopic("cli-bars", 3, Map.of("cleanup.policy", "compact"));
        String store = dir.resolve("data").toString();
        String[] args = {"ingest", "--source", "simulator", "--tickers", "AAPL,MSFT", "--from", "2025-01-02",
                "--to", "2025-01-31", "--store", store, "--sink", "kafka://" + broker.bootstrap() + "/cli-bars",
                "--sink-option", "kafka.compression.type=lz4"};

        CliRunner.Result first = cli(args);
        CliRunner.Result second = cli(args);

        List<Bar> stored;
        try (Store s = Store.open(store)) {
            stored = new java.util.ArrayList<>(s.bars("AAPL", LocalDate.of(2024, 12, 31), LocalDate.of(2025, 1, 31)));
            stored.addAll(s.bars("MSFT", LocalDate.of(2024, 12, 31), LocalDate.of(2025, 1, 31)));
        }
        List<ConsumerRecord<String, String>> records = broker.records("cli-bars");
        assertThat(first.exit()).as(first.err()).isEqualTo(Main.EXIT_OK);
        assertThat(second.exit()).isEqualTo(Main.EXIT_OK);
        assertThat(records).extracting(ConsumerRecord::value)
                .containsExactlyInAnyOrderElementsOf(stored.stream().map(Bar::toJson).toList());
        assertThat(records).extracting(ConsumerRecord::key).contains("AAPL|day|1735794000000");
    }

    @Test
    void streamPublishesEveryStoredMinuteBarToTheTopicAsItArrives() {
        broker.createTopic("cli-minutes", 3, Map.of("cleanup.policy", "compact"));
        String store = dir.resolve("live").toString();

        CliRunner.Result r = cli("stream", "--tickers", "AAPL,MSFT", "--store", store, "--duration", "PT5S",
                "--source-option", "speed=600", "--source-option", "market-start=2025-01-02T14:30:00Z", "--sink",
                "kafka://" + broker.bootstrap() + "/cli-minutes", "--quiet");

        LocalDate day = LocalDate.of(2025, 1, 2);
        List<String> stored = new java.util.ArrayList<>();
        try (Store s = Store.open(store)) {
            for (String t : List.of("AAPL", "MSFT")) {
                s.bars(t, dev.tickeretl.Timespan.MINUTE, day, day).forEach(b -> stored.add(b.toJson()));
            }
        }
        assertThat(r.exit()).as(r.err()).isEqualTo(Main.EXIT_OK);
        assertThat(stored).hasSizeGreaterThan(20);
        // Every stored minute's final version is on the topic: the last record per key equals the stored bar.
        Map<String, String> lastPerKey = new java.util.HashMap<>();
        for (ConsumerRecord<String, String> rec : broker.records("cli-minutes")) {
            lastPerKey.put(rec.key(), rec.value());
        }
        assertThat(lastPerKey.values()).containsExactlyInAnyOrderElementsOf(stored);
        assertThat(lastPerKey.keySet()).allMatch(k -> k.contains("|minute|"));
    }

    @Test
    void aMissingTopicFailsTheCommandWithOneLineSayingHowToCreateIt() {
        CliRunner.Result r = cli("ingest", "--source", "simulator", "--tickers", "AAPL", "--from", "2025-01-02",
                "--to", "2025-01-03", "--store", dir.resolve("data").toString(), "--sink",
                "kafka://" + broker.bootstrap() + "/absent");

        assertThat(r.exit()).isEqualTo(Main.EXIT_FAILED);
        assertThat(r.errLines()).singleElement().asString()
                .startsWith("ticker-etl: kafka sink kafka://" + broker.bootstrap() + "/absent: topic absent does "
                        + "not exist")
                .contains("kafka-topics.sh --bootstrap-server " + broker.bootstrap() + " --create --topic absent");
        assertThat(dir.resolve("data").resolve("runs")).as("no run recorded").doesNotExist();
    }

    @Test
    void malformedSinksAndOptionsAreUsageErrorsNamingTheField() {
        String store = dir.resolve("data").toString();
        CliRunner.Result noTopic = cli("ingest", "--source", "simulator", "--store", store, "--sink",
                "kafka://127.0.0.1:9092");
        CliRunner.Result weakAcks = cli("ingest", "--source", "simulator", "--store", store, "--sink",
                "kafka://127.0.0.1:9092/bars", "--sink-option", "kafka.acks=1");
        CliRunner.Result unknownScheme = cli("ingest", "--source", "simulator", "--store", store, "--sink",
                "nats://127.0.0.1:4222/bars");
        CliRunner.Result optionAlone = cli("ingest", "--source", "simulator", "--store", store, "--sink-option",
                "kafka.linger.ms=5");

        assertThat(noTopic.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(noTopic.errLines()).containsExactly("ticker-etl: sink kafka://127.0.0.1:9092: no topic; "
                + "expected kafka://HOST:PORT[,HOST:PORT]/TOPIC");
        assertThat(weakAcks.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(weakAcks.errLines()).singleElement().asString()
                .startsWith("ticker-etl: option kafka.acks=1: the Kafka sink needs acks=all");
        assertThat(unknownScheme.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(unknownScheme.errLines()).singleElement().asString().contains("nats").contains("kafka");
        assertThat(optionAlone.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(optionAlone.errLines()).containsExactly("ticker-etl: sink-option: there is no --sink to apply "
                + "it to");
    }

    /** The README's Java consumer, evaluated as JShell would after ticker-etl.jsh, reads what ingest published. */
    @Test
    void theReadmesJavaConsumerPrintsEveryPublishedBar() throws Exception {
        broker.createTopic("readme-bars", 1, Map.of("cleanup.policy", "compact"));
        String store = dir.resolve("data").toString();
        assertThat(cli("ingest", "--source", "simulator", "--tickers", "AAPL", "--from", "2025-01-02", "--to",
                "2025-01-03", "--store", store, "--sink", "kafka://" + broker.bootstrap() + "/readme-bars").exit())
                .isEqualTo(Main.EXIT_OK);
        Path module = Path.of("").toAbsolutePath();
        String readme = Files.readString(module.resolve("../README.md"), StandardCharsets.UTF_8);
        String kafka = readme.substring(readme.indexOf("## Kafka"));
        String code = kafka.substring(kafka.indexOf("```java\n") + "```java\n".length(), kafka.indexOf("```\n",
                kafka.indexOf("```java\n") + 1));
        code = code.replace("127.0.0.1:9092", broker.bootstrap()).replace("List.of(\"bars\")",
                "List.of(\"readme-bars\")");

        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stdout = System.out;
        try (jdk.jshell.JShell shell = jdk.jshell.JShell.builder().executionEngine("local").build()) {
            System.setOut(new java.io.PrintStream(printed, true, StandardCharsets.UTF_8));
            String remaining = String.join("\n", Files.readAllLines(module.resolve("ticker-etl.jsh")).stream()
                    .filter(l -> l.startsWith("import ")).toList()) + "\n" + code;
            while (!remaining.isBlank()) {
                var completion = shell.sourceCodeAnalysis().analyzeCompletion(remaining);
                for (jdk.jshell.SnippetEvent e : shell.eval(completion.source())) {
                    assertThat(e.exception()).as(completion.source()).isNull();
                    assertThat(e.status()).as(completion.source() + shell.diagnostics(e.snippet())
                            .map(d -> d.getMessage(null)).toList()).isEqualTo(jdk.jshell.Snippet.Status.VALID);
                }
                remaining = completion.remaining();
            }
        } finally {
            System.setOut(stdout);
        }

        List<Bar> stored;
        try (Store s = Store.open(store)) {
            stored = s.bars("AAPL", LocalDate.of(2024, 12, 31), LocalDate.of(2025, 1, 3));
        }
        assertThat(stored).hasSize(3);
        assertThat(printed.toString(StandardCharsets.UTF_8).lines().toList()).containsExactlyElementsOf(stored.stream()
                .map(b -> "AAPL|day|" + b.startMs() + " close=" + b.close() + " " + b.phase()).toList());
    }

    /** The real command in its own JVM, with its real logging: nothing but the one line reaches the terminal. */
    @Test
    void anUnreachableBrokerIsOneLineOnStandardErrorAndExitCode1WithinSeconds() throws Exception {
        int port = closedPort();
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                // The runnable jar has only the CLI's binding; the test class path also has slf4j-simple.
                "-Dslf4j.provider=" + CliLogProvider.class.getName(), "-Dslf4j.internal.verbosity=WARN", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "ingest", "--source", "simulator",
                "--tickers", "AAPL", "--from", "2025-01-02", "--to", "2025-01-03", "--store",
                dir.resolve("data").toString(), "--sink", "kafka://127.0.0.1:" + port + "/bars");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
        if (!ended) {
            p.destroyForcibly();
        }

        assertThat(ended).isTrue();
        assertThat(p.exitValue()).isEqualTo(Main.EXIT_FAILED);
        assertThat(Files.readString(out, StandardCharsets.UTF_8)).isEmpty();
        assertThat(Files.readAllLines(err, StandardCharsets.UTF_8)).containsExactly("ticker-etl: kafka sink "
                + "kafka://127.0.0.1:" + port + "/bars: no Kafka broker answered at 127.0.0.1:" + port
                + " within 5000 ms (max.block.ms); is the address right and the broker up?");
        assertThat(seconds).as("5 s of waiting plus the JVM's start").isLessThan(20);
    }
}
