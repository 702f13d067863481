package dev.tickeretl.cli;

import dev.tickeretl.TickerEtl;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Fan-out sinks ({@code --sink kafka://HOST:PORT/TOPIC}) for every command that stores bars (a picocli mixin). */
final class SinkOptions {

    @Option(names = "--sink", paramLabel = "URI",
            description = "Also publish every new or changed bar, once it is stored, to this sink (repeatable), e.g. "
                    + "kafka://127.0.0.1:9092/bars. Bars a sink does not take wait in the store's outbox.")
    List<String> sinks;

    @Option(names = "--sink-option", paramLabel = "KEY=VALUE",
            description = "A sink option (repeatable; applies to every --sink), e.g. kafka.compression.type=lz4, "
                    + "kafka-properties=client.properties or check-topic=false.")
    List<String> options;

    /** Adds each {@code --sink} to {@code builder}; a malformed one is a usage error naming {@code sink}. */
    void addTo(TickerEtl.Builder builder) {
        Map<String, String> parsed = new LinkedHashMap<>();
        if (options != null) {
            if (sinks == null) {
                throw new IllegalArgumentException("sink-option: there is no --sink to apply it to");
            }
            for (String kv : options) {
                int eq = kv.indexOf('=');
                if (eq < 1) {
                    throw new IllegalArgumentException("sink-option: expected KEY=VALUE, got '" + kv + "'");
                }
                parsed.put(kv.substring(0, eq).strip(), kv.substring(eq + 1).strip());
            }
        }
        if (sinks != null) {
            for (String sink : sinks) {
                builder.sink(uri(sink), parsed);
            }
        }
    }

    private static URI uri(String sink) {
        try {
            URI uri = new URI(sink.strip());
            if (uri.getScheme() == null) {
                throw new IllegalArgumentException("sink: '" + sink + "' has no scheme; expected e.g. "
                        + "kafka://HOST:PORT/TOPIC");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("sink: '" + sink + "' is not a URI (" + e.getReason() + ")");
        }
    }
}
