package dev.tickeretl.simulator;

import java.time.Duration;
import java.util.List;

/** The immutable settings a {@link PolygonSimulator.Builder} collected. {@code requiredKey} is never printed. */
record SimulatorConfig(
        int port,
        long seed,
        int pageSize,
        int rateLimitPermits,
        Duration rateLimitWindow,
        Duration latency,
        String requiredKey,
        boolean delayed,
        List<String> universe,
        int threads,
        int requestLogCapacity,
        int maxStreamConnections,
        long slowConsumerBytes) {

    @Override
    public String toString() {
        return "SimulatorConfig[port=" + port + ", seed=" + seed + ", pageSize=" + pageSize
                + (rateLimitPermits > 0 ? ", rateLimit=" + rateLimitPermits + "/" + rateLimitWindow : "")
                + ", latency=" + latency + ", requiresKey=" + (requiredKey != null) + ", delayed=" + delayed
                + ", universe=" + universe.size() + " tickers, threads=" + threads + "]";
    }
}
