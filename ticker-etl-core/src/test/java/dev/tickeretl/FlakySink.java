package dev.tickeretl;

import dev.tickeretl.spi.ProviderContext;
import dev.tickeretl.spi.Sink;
import dev.tickeretl.spi.SinkProvider;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** A fan-out sink in memory that tests can take down and bring back: {@code flaky:<name>}. */
final class FlakySink {

    private static final Map<String, FlakySink> NAMED = new ConcurrentHashMap<>();

    /** Opens {@code flaky:<name>} sinks. */
    static final SinkProvider PROVIDER = new Provider();

    final URI uri = URI.create("flaky:" + UUID.randomUUID());
    private final List<Bar> published = new ArrayList<>();
    private volatile boolean down;
    /** What the last {@code open} received. */
    volatile ProviderContext openedWith;

    FlakySink() {
        NAMED.put(uri.getSchemeSpecificPart(), this);
    }

    FlakySink down() {
        down = true;
        return this;
    }

    FlakySink up() {
        down = false;
        return this;
    }

    synchronized List<Bar> published() {
        return List.copyOf(published);
    }

    synchronized List<Bar> published(String ticker) {
        return published.stream().filter(b -> b.ticker().equals(ticker)).toList();
    }

    private synchronized void take(List<Bar> bars) {
        if (down) {
            throw new TickerEtlException("broker unreachable");
        }
        published.addAll(bars);
    }

    /** {@code flaky:<name>}. */
    public static final class Provider implements SinkProvider {
        @Override
        public String scheme() {
            return "flaky";
        }

        @Override
        public Sink open(URI uri, ProviderContext context) {
            FlakySink target = NAMED.get(uri.getSchemeSpecificPart());
            target.openedWith = context;
            return new Sink() {
                @Override
                public String name() {
                    return uri.toString();
                }

                @Override
                public void publish(List<Bar> bars) {
                    target.take(bars);
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
