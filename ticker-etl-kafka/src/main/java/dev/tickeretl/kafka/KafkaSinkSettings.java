package dev.tickeretl.kafka;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What a {@code kafka://HOST:PORT[,HOST:PORT]/TOPIC} sink URI and its options say: the brokers, the topic and the
 * producer settings, checked before anything connects. Every error names the part of the URI or the option.
 */
record KafkaSinkSettings(String bootstrap, String topic, Map<String, Object> producer, boolean checkTopic,
                         long maxBlockMs, long deliveryTimeoutMs) {

    static final String PROPERTIES_FILE = "kafka-properties";
    static final String CHECK_TOPIC = "check-topic";
    static final String PRODUCER_PREFIX = "kafka.";
    static final int DEFAULT_PORT = 9092;

    private static final String FORMAT = "kafka://HOST:PORT[,HOST:PORT]/TOPIC";
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");

    /**
     * Defaults. A failing broker cannot hold a run for long: a send waits at most 5 s for metadata or buffer space,
     * a request 5 s for its answer, and a record is given up 10 s after it was sent (the pipeline then keeps it in
     * its outbox). Batches of 256 KB: one publish is one partition's new bars, and a ticker-year of day bars
     * (~85 KB) then goes as one batch instead of six (bench/kafka.sh: 500 tickers x 1 year in 8.7 s instead of
     * 13.2 s). Any of them can be set.
     */
    private static final Map<String, Object> DEFAULTS = Map.of(
            ProducerConfig.BATCH_SIZE_CONFIG, "262144",
            ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000",
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000",
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");

    /** Settings the sink owns; a user value that differs is an error, not silently overridden. */
    private static final Map<String, String> REQUIRED = Map.of(
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
            ProducerConfig.ACKS_CONFIG, "all");

    /** Settings the sink sets itself, with why a user cannot. */
    private static final Map<String, String> OWNED = Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "the brokers come from the sink URI (" + FORMAT + ")",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, "the sink sends string keys (TICKER|timespan|start_ms)",
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, "the sink sends data-contract JSON lines",
            ProducerConfig.PARTITIONER_CLASS_CONFIG, "the sink chooses the partition from the ticker",
            ProducerConfig.TRANSACTIONAL_ID_CONFIG, "the sink does not use transactions");

    static KafkaSinkSettings parse(URI uri, Map<String, String> options, String clientId) {
        if (uri.isOpaque() || uri.getRawAuthority() == null || uri.getRawAuthority().isEmpty()) {
            throw new IllegalArgumentException("sink " + uri + ": expected " + FORMAT);
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("sink " + uri.getScheme() + "://...: no credentials in the URI (it "
                    + "is recorded in run records); give security settings as kafka.* options or in "
                    + PROPERTIES_FILE);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("sink " + uri + ": a query or fragment is not part of " + FORMAT
                    + "; give settings as options");
        }
        String bootstrap = bootstrap(uri);
        String topic = topic(uri);

        Map<String, Object> producer = new LinkedHashMap<>(DEFAULTS);
        producer.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        boolean checkTopic = true;
        String file = options.get(PROPERTIES_FILE);
        if (file != null) {
            Properties loaded = load(file);
            for (String key : loaded.stringPropertyNames()) {
                producer.put(key, checked(key, loaded.getProperty(key), PROPERTIES_FILE + " " + file + ": " + key));
            }
        }
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, String> option : options.entrySet()) {
            String key = option.getKey();
            if (key.startsWith(PRODUCER_PREFIX)) {
                String setting = key.substring(PRODUCER_PREFIX.length());
                producer.put(setting, checked(setting, option.getValue(), "option " + key));
            } else if (key.equals(CHECK_TOPIC)) {
                checkTopic = bool(key, option.getValue());
            } else if (!key.equals(PROPERTIES_FILE)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(String.join(", ", unknown) + ": not an option of the Kafka sink (its "
                    + "options: " + PRODUCER_PREFIX + "<producer setting>, " + PROPERTIES_FILE + ", " + CHECK_TOPIC
                    + ")");
        }
        producer.putAll(REQUIRED);
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try {
            // Kafka's own checks of every value's type and range, before any connection is tried (combinations,
            // e.g. idempotence with retries=0, are checked when the producer is made).
            ProducerConfig.configDef().parse(producer);
        } catch (ConfigException e) {
            throw new IllegalArgumentException("sink " + uri + ": " + e.getMessage().replace('\n', ' '), e);
        }
        return new KafkaSinkSettings(bootstrap, topic, Map.copyOf(producer), checkTopic,
                millis(producer, ProducerConfig.MAX_BLOCK_MS_CONFIG),
                millis(producer, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG));
    }

    /** The part of the producer settings an admin client understands (security, timeouts, client id). */
    Map<String, Object> admin(Set<String> adminSettings) {
        Map<String, Object> admin = new LinkedHashMap<>();
        producer.forEach((k, v) -> {
            if (adminSettings.contains(k)) {
                admin.put(k, v);
            }
        });
        return admin;
    }

    private static String checked(String setting, String value, String where) {
        String owned = OWNED.get(setting);
        if (owned != null) {
            throw new IllegalArgumentException(where + ": not settable, " + owned);
        }
        String required = REQUIRED.get(setting);
        if (required != null && !required.equals(normal(setting, value))) {
            throw new IllegalArgumentException(where + "=" + value.strip() + ": the Kafka sink needs " + setting + "="
                    + required + " (every bar acknowledged by all in-sync replicas, no duplicate or reordered bar "
                    + "from the producer's own retries)");
        }
        if (!ProducerConfig.configNames().contains(setting)) {
            throw new IllegalArgumentException(where + ": not a Kafka producer setting");
        }
        return value.strip();
    }

    private static String normal(String setting, String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        return setting.equals(ProducerConfig.ACKS_CONFIG) && v.equals("-1") ? "all" : v;
    }

    private static String bootstrap(URI uri) {
        List<String> brokers = new ArrayList<>();
        for (String address : uri.getRawAuthority().split(",", -1)) {
            String host;
            String port;
            if (address.startsWith("[")) {
                int close = address.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException("sink " + uri + ": broker address '" + address
                            + "' has no closing ]");
                }
                host = address.substring(0, close + 1);
                String rest = address.substring(close + 1);
                if (!rest.isEmpty() && !rest.startsWith(":")) {
                    throw new IllegalArgumentException("sink " + uri + ": broker address '" + address
                            + "' is not HOST:PORT");
                }
                port = rest.isEmpty() ? null : rest.substring(1);
            } else {
                int colon = address.lastIndexOf(':');
                host = colon < 0 ? address : address.substring(0, colon);
                port = colon < 0 ? null : address.substring(colon + 1);
                if (!HOST.matcher(host).matches()) {
                    throw new IllegalArgumentException("sink " + uri + ": broker address '" + address
                            + "' is not HOST:PORT");
                }
            }
            brokers.add(host + ":" + port(uri, address, port));
        }
        return String.join(",", brokers);
    }

    private static int port(URI uri, String address, String port) {
        if (port == null) {
            return DEFAULT_PORT;
        }
        try {
            int p = Integer.parseInt(port);
            if (p >= 1 && p <= 65_535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("sink " + uri + ": broker address '" + address
                + "' has no valid port (1-65535)");
    }

    private static String topic(URI uri) {
        String path = uri.getRawPath();
        String topic = path == null || path.isEmpty() ? "" : path.substring(1);
        if (topic.isEmpty()) {
            throw new IllegalArgumentException("sink " + uri + ": no topic; expected " + FORMAT);
        }
        if (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            throw new IllegalArgumentException("sink " + uri + ": '" + topic + "' is not a Kafka topic name "
                    + "(1-249 of A-Z a-z 0-9 . _ -)");
        }
        return topic;
    }

    private static Properties load(String file) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(PROPERTIES_FILE + ": cannot read " + file + " ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
        return properties;
    }

    private static boolean bool(String key, String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + ": expected true or false, got '" + value + "'");
        };
    }

    private static long millis(Map<String, Object> producer, String setting) {
        Object value = producer.get(setting);
        try {
            long ms = Long.parseLong(value.toString().strip());
            if (ms >= 0) {
                return ms;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(PRODUCER_PREFIX + setting + ": expected milliseconds, got '" + value + "'");
    }
}
