package dev.tickeretl.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickeretl.Bar;
import dev.tickeretl.MarketTime;
import dev.tickeretl.testkit.TestBars;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a sink URI and its options mean, and every way they can be wrong, without a broker. */
class KafkaSinkSettingsTest {

    @TempDir
    Path dir;

    private static KafkaSinkSettings parse(String uri, Map<String, String> options) {
        return KafkaSinkSettings.parse(URI.create(uri), options, "ticker-etl-test");
    }

    @Test
    void theUriNamesTheBrokersAndTheTopicAndAPortDefaultsTo9092() {
        KafkaSinkSettings s = parse("kafka://broker-1.example:9093,10.0.0.7/bars.day_v1", Map.of());

        assertThat(s.bootstrap()).isEqualTo("broker-1.example:9093,10.0.0.7:9092");
        assertThat(parse("kafka://[::1]:19092/bars", Map.of()).bootstrap()).isEqualTo("[::1]:19092");
        assertThat(s.topic()).isEqualTo("bars.day_v1");
        assertThat(s.producer()).containsEntry("bootstrap.servers", s.bootstrap()).containsEntry("acks", "all")
                .containsEntry("enable.idempotence", "true").containsEntry("client.id", "ticker-etl-test");
        assertThat(s.checkTopic()).isTrue();
    }

    @Test
    void aFailingBrokerCannotHoldARunForLongByDefault() {
        KafkaSinkSettings s = parse("kafka://127.0.0.1:9092/bars", Map.of());

        assertThat(s.maxBlockMs()).isEqualTo(5_000);
        assertThat(s.deliveryTimeoutMs()).isEqualTo(10_000);
        assertThat(s.producer()).containsEntry("request.timeout.ms", "5000");
    }

    @Test
    void aTickerYearOfDayBarsFitsOneBatchByDefault() {
        assertThat(parse("kafka://127.0.0.1:9092/bars", Map.of()).producer()).containsEntry("batch.size", "262144");
        assertThat(parse("kafka://127.0.0.1:9092/bars", Map.of("kafka.batch.size", "16384")).producer())
                .containsEntry("batch.size", "16384");
    }

    @Test
    void everyMalformedUriIsAnErrorNamingWhatIsWrong() {
        assertThatThrownBy(() -> parse("kafka://127.0.0.1:9092", Map.of())).hasMessageContaining("no topic");
        assertThatThrownBy(() -> parse("kafka://127.0.0.1:9092/", Map.of())).hasMessageContaining("no topic");
        assertThatThrownBy(() -> parse("kafka://127.0.0.1:9092/a/b", Map.of()))
                .hasMessageContaining("'a/b' is not a Kafka topic name");
        assertThatThrownBy(() -> parse("kafka://127.0.0.1:9092/..", Map.of()))
                .hasMessageContaining("'..' is not a Kafka topic name");
        assertThatThrownBy(() -> parse("kafka://127.0.0.1:99999/bars", Map.of()))
                .hasMessageContaining("'127.0.0.1:99999' has no valid port");
        assertThatThrownBy(() -> parse("kafka://127.0.0.1:x/bars", Map.of()))
                .hasMessageContaining("has no valid port");
        assertThatThrownBy(() -> parse("kafka://bad_host:9092/bars", Map.of()))
                .hasMessageContaining("'bad_host:9092' is not HOST:PORT");
        assertThatThrownBy(() -> parse("kafka://a:9092,,b:9092/bars", Map.of()))
                .hasMessageContaining("'' is not HOST:PORT");
        assertThatThrownBy(() -> parse("kafka:bars", Map.of())).hasMessageContaining("expected kafka://HOST:PORT");
        assertThatThrownBy(() -> parse("kafka:///bars", Map.of())).hasMessageContaining("expected kafka://HOST:PORT");
        assertThatThrownBy(() -> parse("kafka://127.0.0.1:9092/bars?acks=1", Map.of()))
                .hasMessageContaining("a query or fragment");
        assertThatThrownBy(() -> parse("kafka://127.0.0.1:9092/bars#x", Map.of()))
                .hasMessageContaining("a query or fragment");
    }

    @Test
    void credentialsInTheUriAreRefusedWithoutRepeatingThem() {
        assertThatThrownBy(() -> parse("kafka://alice:s3cret@127.0.0.1:9092/bars", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no credentials in the URI")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void acksAndIdempotenceCannotBeWeakened() {
        assertThatThrownBy(() -> parse("kafka://h:1/t", Map.of("kafka.acks", "1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("option kafka.acks=1: the Kafka sink needs acks=all");
        assertThatThrownBy(() -> parse("kafka://h:1/t", Map.of("kafka.enable.idempotence", "false")))
                .hasMessageStartingWith("option kafka.enable.idempotence=false: the Kafka sink needs "
                        + "enable.idempotence=true");
        assertThat(parse("kafka://h:1/t", Map.of("kafka.acks", "-1", "kafka.enable.idempotence", "TRUE"))
                .producer()).containsEntry("acks", "all").containsEntry("enable.idempotence", "true");
    }

    @Test
    void settingsTheSinkOwnsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> parse("kafka://h:1/t", Map.of("kafka.bootstrap.servers", "x:1")))
                .hasMessageContaining("kafka.bootstrap.servers: not settable, the brokers come from the sink URI");
        assertThatThrownBy(() -> parse("kafka://h:1/t", Map.of("kafka.partitioner.class", "x.Y")))
                .hasMessageContaining("the sink chooses the partition from the ticker");
        assertThatThrownBy(() -> parse("kafka://h:1/t", Map.of("kafka.transactional.id", "x")))
                .hasMessageContaining("kafka.transactional.id: not settable");
        assertThatThrownBy(() -> parse("kafka://h:1/t", Map.of("kafka.value.serializer", "x.Y")))
                .hasMessageContaining("data-contract JSON lines");
    }

    @Test
    void producerSettingsPassThroughAndTyposOrBadValuesAreNamed() {
        KafkaSinkSettings s = parse("kafka://h:1/t", Map.of("kafka.compression.type", "lz4", "kafka.linger.ms", "20",
                "kafka.delivery.timeout.ms", "3000", "kafka.request.timeout.ms", "1000", "check-topic", "false"));

        assertThat(s.producer()).containsEntry("compression.type", "lz4").containsEntry("linger.ms", "20");
        assertThat(s.deliveryTimeoutMs()).isEqualTo(3000);
        assertThat(s.checkTopic()).isFalse();
        assertThatThrownBy(() -> parse("kafka://h:1/t", Map.of("kafka.lingr.ms", "5")))
                .hasMessage("option kafka.lingr.ms: not a Kafka producer setting");
        assertThatThrownBy(() -> parse("kafka://h:1/t", Map.of("kafka.linger.ms", "soon")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("linger.ms");
        assertThatThrownBy(() -> parse("kafka://h:1/t", Map.of("kafka.compression.type", "rar")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("compression.type");
        assertThatThrownBy(() -> parse("kafka://h:1/t", Map.of("compression", "lz4")))
                .hasMessageStartingWith("compression: not an option of the Kafka sink");
        assertThatThrownBy(() -> parse("kafka://h:1/t", Map.of("check-topic", "maybe")))
                .hasMessage("check-topic: expected true or false, got 'maybe'");
    }

    @Test
    void aPropertiesFileSuppliesSettingsAndOptionsWinOverIt() throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "# security for the sink\nsecurity.protocol=PLAINTEXT\ncompression.type=gzip\n"
                + "linger.ms=7\n");

        KafkaSinkSettings s = parse("kafka://h:1/t", Map.of("kafka-properties", file.toString(),
                "kafka.compression.type", "zstd"));

        assertThat(s.producer()).containsEntry("security.protocol", "PLAINTEXT").containsEntry("linger.ms", "7")
                .containsEntry("compression.type", "zstd");
    }

    @Test
    void aPropertiesFileIsCheckedLikeOptions() throws Exception {
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "acks=0\n");

        assertThatThrownBy(() -> parse("kafka://h:1/t", Map.of("kafka-properties", file.toString())))
                .hasMessageStartingWith("kafka-properties " + file + ": acks=0: the Kafka sink needs acks=all");
        assertThatThrownBy(() -> parse("kafka://h:1/t", Map.of("kafka-properties", dir.resolve("none").toString())))
                .hasMessageStartingWith("kafka-properties: cannot read " + dir.resolve("none"));
    }

    @Test
    void theKeyIsTickerTimespanAndStartAndNamesTheUnadjustedDataset() {
        LocalDate day = LocalDate.of(2025, 1, 2);
        long start = MarketTime.startOfDayMs(day);

        assertThat(KafkaSink.key(bar("AAPL", start, true))).isEqualTo("AAPL|day|1735794000000");
        assertThat(KafkaSink.key(bar("BRK.A", start, false))).isEqualTo("BRK.A|day|1735794000000|unadjusted");
    }

    @Test
    void aTickersPartitionIsTheOneKafkasDefaultPartitionerGivesTheTickerAsKey() {
        for (String ticker : new String[] {"AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "BRK.A", "A", "ZZZZ9"}) {
            for (int partitions : new int[] {1, 3, 12, 50}) {
                assertThat(KafkaSink.partition(ticker, partitions)).as(ticker + " over " + partitions)
                        .isEqualTo(BuiltInPartitioner.partitionForKey(ticker.getBytes(
                                java.nio.charset.StandardCharsets.UTF_8), partitions));
            }
        }
    }

    private static Bar bar(String ticker, long start, boolean adjusted) {
        return TestBars.withAdjusted(TestBars.day(ticker, MarketTime.tradingDate(start)), adjusted);
    }
}
