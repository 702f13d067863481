package dev.tickeretl.simulator;

import dev.tickeretl.polygon.PolygonSourceProvider;
import dev.tickeretl.spi.RequestStats;
import dev.tickeretl.spi.Source;
import dev.tickeretl.spi.SourceEvent;
import dev.tickeretl.spi.SourceOffset;
import dev.tickeretl.spi.SourceProvider;
import dev.tickeretl.spi.SourceRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The offline source ({@code simulator}): starts a {@link PolygonSimulator} on 127.0.0.1 and reads it through the
 * real Polygon source, so offline runs take the same HTTP, pagination and retry path as online ones. No API key is
 * read or sent.
 *
 * <p>Options: {@code seed} (default 42), {@code latency} (ISO-8601 duration per response), {@code page-size}, plus
 * the Polygon source's options that shape how it fetches ({@code concurrency}, {@code rate-limit}, {@code plan},
 * ...). {@code base-url}, {@code api-key} and {@code require-key} are refused with an
 * {@link IllegalArgumentException} naming the option: the simulator picks its own address and takes no key, so
 * silently dropping them would hide a mistake (a user who meant to reach a real server).
 */
public final class SimulatorSourceProvider implements SourceProvider {

    /** Polygon options this source decides itself. */
    private static final List<String> REFUSED = List.of("base-url", "api-key", "require-key");
    private static final List<String> OWN = List.of("seed", "latency", "page-size");

    @Override
    public String name() {
        return "simulator";
    }

    @Override
    public Source open(Map<String, String> options) {
        Map<String, String> given = options == null ? Map.of() : options;
        for (String key : REFUSED) {
            if (given.containsKey(key)) {
                throw new IllegalArgumentException(key + ": not an option of the simulator source, which serves on "
                        + "127.0.0.1 without a key; use --source polygon to reach another server");
            }
        }
        PolygonSimulator.Builder builder = PolygonSimulator.builder();
        text(given, "seed").ifPresent(v -> builder.seed(parse("seed", v, Long::parseLong)));
        text(given, "latency").ifPresent(v -> builder.latency(parse("latency", v, Duration::parse)));
        text(given, "page-size").ifPresent(v -> builder.pageSize(parse("page-size", v, Integer::parseInt)));
        PolygonSimulator simulator = builder.start();
        try {
            Map<String, String> polygon = new HashMap<>(given);
            polygon.keySet().removeAll(OWN);
            polygon.put("base-url", simulator.baseUrl());
            polygon.put("require-key", "false");
            return new SimulatedSource(new PolygonSourceProvider().open(polygon), simulator);
        } catch (RuntimeException e) {
            simulator.close();
            throw e;
        }
    }

    private static Optional<String> text(Map<String, String> options, String key) {
        String value = options.get(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    private static <T> T parse(String key, String value, Function<String, T> parser) {
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
