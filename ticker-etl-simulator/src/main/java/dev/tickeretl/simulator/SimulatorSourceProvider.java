package dev.tickeretl.simulator;

import dev.tickeretl.internal.Providers;
import dev.tickeretl.spi.RequestStats;
import dev.tickeretl.spi.Source;
import dev.tickeretl.spi.SourceEvent;
import dev.tickeretl.spi.SourceOffset;
import dev.tickeretl.spi.SourceProvider;
import dev.tickeretl.spi.SourceRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The offline source ({@code simulator}): starts the Polygon simulator on 127.0.0.1 and reads it through the real
 * Polygon source, so offline runs take the same HTTP, pagination and retry path as online ones. No API key is read
 * or sent. Options: {@code seed} (default 42), {@code latency} (ISO-8601 duration per response), {@code page-size},
 * plus any Polygon source option except {@code base-url} and {@code api-key}.
 */
public final class SimulatorSourceProvider implements SourceProvider {

    @Override
    public String name() {
        return "simulator";
    }

    @Override
    public Source open(Map<String, String> options) {
        PolygonSimulator.Builder builder = PolygonSimulator.builder();
        String seed = options.get("seed");
        if (seed != null) {
            builder.seed(parse("seed", seed, Long::parseLong));
        }
        String latency = options.get("latency");
        if (latency != null) {
            builder.latency(parse("latency", latency, Duration::parse));
        }
        String pageSize = options.get("page-size");
        if (pageSize != null) {
            builder.pageSize(parse("page-size", pageSize, Integer::parseInt));
        }
        PolygonSimulator simulator = builder.start();
        try {
            Map<String, String> polygon = new HashMap<>(options);
            polygon.keySet().removeAll(java.util.List.of("seed", "latency", "page-size", "api-key"));
            polygon.put("base-url", simulator.baseUrl());
            polygon.put("require-key", "false");
            return new SimulatedSource(Providers.source("polygon").open(polygon), simulator);
        } catch (RuntimeException e) {
            simulator.close();
            throw e;
        }
    }

    private static <T> T parse(String key, String value, java.util.function.Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + ": cannot parse '" + value + "'");
        }
    }

    /** The Polygon source, owning the simulator it reads. */
    private record SimulatedSource(Source delegate, PolygonSimulator simulator) implements Source {
        @Override
        public void start(SourceRequest request) {
            delegate.start(request);
        }

        @Override
        public SourceEvent poll(Duration timeout) throws InterruptedException {
            return delegate.poll(timeout);
        }

        @Override
        public void commit(SourceOffset offset) {
            delegate.commit(offset);
        }

        @Override
        public RequestStats stats() {
            return delegate.stats();
        }

        @Override
        public void close() {
            try {
                delegate.close();
            } finally {
                simulator.close();
            }
        }
    }
}
