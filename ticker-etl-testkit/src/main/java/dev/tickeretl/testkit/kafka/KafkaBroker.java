package dev.tickeretl.testkit.kafka;

import dev.tickeretl.testkit.ChildProcesses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one process) on 127.0.0.1, in a JVM of its own,
 * for tests and benchmarks: start it, stop it, start it again on the same data and ports, create topics and read
 * them back. The broker classes come from {@code org.apache.kafka:kafka_2.13}, which the caller puts on its (test)
 * class path; the broker JVM gets this JVM's class path. About 5 s to start here, 1 s to stop.
 *
 * <pre>{@code
 * try (KafkaBroker broker = KafkaBroker.start(tempDir)) {
 *     broker.createTopic("bars", 3, Map.of("cleanup.policy", "compact"));
 *     ... "kafka://" + broker.bootstrap() + "/bars" ...
 *     List<ConsumerRecord<String, String>> all = broker.records("bars");
 * }
 * }</pre>
 *
 * The broker does not create topics on first use ({@code auto.create.topics.enable=false}), so a test sees what a
 * production cluster with that setting shows. Its output goes to {@code broker.log} in its directory.
 */
public final class KafkaBroker implements AutoCloseable {

    /** JVM options for a test broker: small heap, quick start. */
    public static final List<String> TEST_JVM_OPTIONS = List.of("-Xmx512m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-Xshare:auto");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final Path dir;
    private final List<String> jvmOptions;
    private final int port;
    private final int controllerPort;
    private final String clusterId = Uuid.randomUuid().toString();
    private Process process;
    private Thread reaper;

    private KafkaBroker(Path dir, List<String> jvmOptions) {
        this.dir = dir;
        this.jvmOptions = List.copyOf(jvmOptions);
        // Below the OS's ephemeral range, so that no client socket takes them while the broker is stopped.
        this.port = freePort(-1);
        this.controllerPort = freePort(port);
    }

    /** Formats a new broker in {@code dir} (created if missing), starts it and waits until it answers. */
    public static KafkaBroker start(Path dir) {
        return start(dir, TEST_JVM_OPTIONS);
    }

    /** The same with other options for the broker's JVM (a benchmark wants the full JIT). */
    public static KafkaBroker start(Path dir, List<String> jvmOptions) {
        KafkaBroker broker = new KafkaBroker(dir, jvmOptions);
        try {
            Files.createDirectories(dir);
            broker.writeProperties();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        broker.startProcess();
        return broker;
    }

    /** {@code 127.0.0.1:PORT}, the same across {@link #stop()} and {@link #restart()}. */
    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** Whether the broker process is running. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops the broker as an operator would (SIGTERM: a controlled shutdown) and waits until it has exited. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        ChildProcesses.stop(process, STOP_TIMEOUT);
        process = null;
        Runtime.getRuntime().removeShutdownHook(reaper);
    }

    /** Starts the stopped broker again on the same data and ports, and waits until it answers. */
    public synchronized void restart() {
        if (isRunning()) {
            throw new IllegalStateException("the broker is running");
        }
        startProcess();
    }

    /** Creates {@code topic} with {@code partitions} partitions, replication 1 and the given topic configs. */
    public void createTopic(String topic, int partitions, Map<String, String> configs) {
        try (Admin admin = Admin.create(adminConfig())) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(configs))).all()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("creating topic " + topic + " failed: " + e.getMessage(), e);
        }
    }

    /** Every record in {@code topic} now, partition by partition in offset order (read without a group). */
    public List<ConsumerRecord<String, String>> records(String topic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() - giveUp > 0) {
                    throw new IllegalStateException("reading " + topic + " did not reach its end within 60 s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        out.sort(java.util.Comparator.<ConsumerRecord<String, String>>comparingInt(ConsumerRecord::partition)
                .thenComparingLong(ConsumerRecord::offset));
        return out;
    }

    /** Stops the broker; its directory stays for the caller to remove. */
    @Override
    public void close() {
        stop();
    }

    private Map<String, Object> adminConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        return config;
    }

    private Path properties() {
        return dir.resolve("server.properties");
    }

    private void writeProperties() throws IOException {
        String text = String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + dir.resolve("logs").toAbsolutePath(),
                "auto.create.topics.enable=false",
                "num.partitions=1",
                "num.network.threads=2",
                "num.io.threads=2",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                // After an unclean stop, a restart cannot register until the old session expires (default 9 s).
                "broker.heartbeat.interval.ms=500",
                "broker.session.timeout.ms=3000",
                // The cleaner's default 128 MB de-duplication buffer would take a quarter of a test broker's heap.
                "log.cleaner.dedupe.buffer.size=16777216",
                "");
        Files.writeString(properties(), text, StandardCharsets.UTF_8);
    }

    private synchronized void startProcess() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Dorg.slf4j.simpleLogger.showDateTime=true", "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS"));
        command.add("-cp");
        command.add(classPath());
        command.add(KafkaBrokerMain.class.getName());
        command.add(properties().toAbsolutePath().toString());
        command.add(dir.resolve("logs").toAbsolutePath().toString());
        command.add(clusterId);
        Path log = dir.resolve("broker.log");
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the Kafka broker", e);
        }
        Process started = process;
        reaper = new Thread(started::destroyForcibly, "kafka-broker-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        awaitReady(log);
    }

    private void awaitReady(Path log) {
        long giveUp = System.nanoTime() + START_TIMEOUT.toNanos();
        try {
            // A plain connect first: an admin client would log a warning for every refused attempt.
            while (!accepts()) {
                checkAlive(log, giveUp);
                Thread.sleep(100);
            }
            try (Admin admin = Admin.create(adminConfig())) {
                while (true) {
                    try {
                        if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                            return;
                        }
                    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                        // not ready yet
                    }
                    checkAlive(log, giveUp);
                    Thread.sleep(100);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new IllegalStateException("interrupted while the Kafka broker started", e);
        }
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void checkAlive(Path log, long giveUp) {
        if (!process.isAlive()) {
            throw new IllegalStateException("the Kafka broker exited with " + process.exitValue() + ": " + tail(log));
        }
        if (System.nanoTime() - giveUp > 0) {
            stop();
            throw new IllegalStateException("the Kafka broker did not answer within " + START_TIMEOUT + ": "
                    + tail(log));
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The class path of this JVM: under Surefire the test class path, not its booter jar. */
    private static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private static int freePort(int not) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int candidate = ThreadLocalRandom.current().nextInt(20_000, 32_000);
            if (candidate == not) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket(candidate, 1, InetAddress.getLoopbackAddress())) {
                return candidate;
            } catch (IOException e) {
                // taken: try another
            }
        }
        throw new IllegalStateException("no free port between 20000 and 32000 on 127.0.0.1");
    }
}
