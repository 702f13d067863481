package dev.tickeretl.simulator;

import dev.tickeretl.MarketTime;
import dev.tickeretl.RequestStats;
import dev.tickeretl.TradingCalendar;
import dev.tickeretl.polygon.PolygonSourceProvider;
import dev.tickeretl.spi.OffsetReader;
import dev.tickeretl.spi.ProviderContext;
import dev.tickeretl.spi.Source;
import dev.tickeretl.spi.SourceEvent;
import dev.tickeretl.spi.SourceOffset;
import dev.tickeretl.spi.SourcePartition;
import dev.tickeretl.spi.SourceProvider;
import dev.tickeretl.spi.SourceRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
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
 * <p>Options: {@code seed} (default 42), {@code latency} (ISO-8601 duration per response), {@code page-size},
 * {@code speed} (how fast the simulated market clock runs for a stream, default 60: a trading day in 6.5 minutes),
 * {@code market-start} (ISO-8601 instant where that clock starts; default the 09:30 New York open of the latest
 * session that has closed, by the run's clock), plus the Polygon source's options that shape how it fetches ({@code concurrency}, {@code rate-limit}, {@code plan},
 * ...). {@code base-url}, {@code ws-url}, {@code api-key} and {@code require-key} are refused with an
 * {@link IllegalArgumentException} naming the option: the simulator picks its own address and takes no key, so
 * silently dropping them would hide a mistake (a user who meant to reach a real server).
 */
public final class SimulatorSourceProvider implements SourceProvider {

    /** Polygon options this source decides itself. */
    private static final List<String> REFUSED = List.of("base-url", "ws-url", "api-key", "require-key");
    private static final List<String> OWN = List.of("seed", "latency", "page-size", "speed", "market-start");

    @Override
    public String name() {
        return "simulator";
    }

    @Override
    public Source open(ProviderContext context) {
        Map<String, String> given = context.options();
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
        double speed = text(given, "speed").map(v -> parse("speed", v, Double::parseDouble)).orElse(60.0);
        Instant start = text(given, "market-start").map(v -> parse("market-start", v, Instant::parse))
                .orElseGet(() -> latestOpen(context.clock().instant()));
        builder.marketClock(start, speed);
        PolygonSimulator simulator = builder.start();
        try {
            Map<String, String> polygon = new HashMap<>(given);
            polygon.keySet().removeAll(OWN);
            polygon.put("base-url", simulator.baseUrl());
            polygon.put("ws-url", simulator.webSocketUrl());
            polygon.put("require-key", "false");
            return new SimulatedSource(new PolygonSourceProvider().open(context.withOptions(polygon)), simulator);
        } catch (RuntimeException e) {
            simulator.close();
            throw e;
        }
    }

    /** 09:30 New York of the latest session that has closed by {@code now}. */
    private static Instant latestOpen(Instant now) {
        TradingCalendar nyse = TradingCalendar.nyse();
        LocalDate today = now.atZone(MarketTime.ZONE).toLocalDate();
        LocalDate day = nyse.session(today).filter(s -> !now.isBefore(s.close().toInstant()))
                .map(TradingCalendar.Session::date).orElseGet(() -> nyse.previousTradingDay(today));
        return day.atTime(LocalTime.of(9, 30)).atZone(MarketTime.ZONE).toInstant();
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
        public void start(SourceRequest request, OffsetReader offsets) {
            delegate.start(request, offsets);
        }

        @Override
        public SourceEvent poll(Duration timeout) throws InterruptedException {
            return delegate.poll(timeout);
        }

        @Override
        public void written(SourcePartition partition, SourceOffset offset) {
            delegate.written(partition, offset);
        }

        @Override
        public void committed(SourcePartition partition, SourceOffset offset) {
            delegate.committed(partition, offset);
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
