package dev.tickeretl.cli;

import static dev.tickeretl.cli.CliRunner.cli;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tickeretl.MarketTime;
import dev.tickeretl.RunRecord;
import dev.tickeretl.RunStatus;
import dev.tickeretl.Store;
import dev.tickeretl.Timespan;
import dev.tickeretl.simulator.PolygonSimulator;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code ticker-etl stream}: offline against the simulator, and against any Polygon-compatible server. */
@Timeout(120)
class StreamCommandTest {

    @TempDir
    Path dir;

    @Test
    void offlineTheStreamFollowsTheSimulatorForItsDurationAndExitsZero() {
        Path store = dir.resolve("data");

        CliRunner.Result r = cli("stream", "--tickers", "AAPL,MSFT", "--store", store.toString(), "--duration",
                "PT6S", "--status-every", "PT1S", "--source-option", "speed=600", "--source-option",
                "market-start=2025-01-02T14:30:00Z");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("offline simulator").contains("stream: connected");
        assertThat(r.out()).contains("SUCCEEDED").contains("live (minute, unadjusted)");
        try (Store s = Store.open(store.toString())) {
            RunRecord run = s.runs().get(0);
            assertThat(run.parameters().mode()).isEqualTo(RunRecord.RunParameters.STREAM);
            assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
            LocalDate day = LocalDate.of(2025, 1, 2);
            assertThat(s.bars("AAPL", Timespan.MINUTE, day, day)).hasSizeGreaterThan(10)
                    .allMatch(b -> b.phase() == null && !b.adjusted());
            // The watermark: committed per ticker, and the run's (the lowest) kept in its record for `runs`.
            Instant open = day.atTime(9, 30).atZone(MarketTime.ZONE).toInstant();
            Instant aapl = s.completeThrough("AAPL").orElseThrow();
            Instant msft = s.completeThrough("MSFT").orElseThrow();
            assertThat(aapl).isAfterOrEqualTo(open);
            assertThat(run.completeThrough()).contains(aapl.isBefore(msft) ? aapl : msft);
            var stored = s.bars("AAPL", Timespan.MINUTE, day, day);
            assertThat(aapl).isBeforeOrEqualTo(Instant.ofEpochMilli(stored.get(stored.size() - 1).startMs()));
            String shown = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
                    .format(run.completeThrough().orElseThrow().atZone(MarketTime.ZONE)) + " ET";
            assertThat(cli("runs", "--store", store.toString()).out()).contains("stream").contains(shown);
        }
        assertThat(cli("bars", "--ticker", "MSFT", "--from", "2025-01-02", "--to", "2025-01-02", "--timespan",
                "minute", "--store", store.toString()).out()).contains("2025-01-02T09:3");
    }

    @Test
    void againstAnyPolygonCompatibleServerWithTheKeyOnlyInTheAuthMessage() throws Exception {
        Instant open = LocalDate.of(2025, 1, 2).atTime(9, 30).atZone(MarketTime.ZONE).toInstant();
        try (PolygonSimulator server = PolygonSimulator.builder().marketClock(open, 600).requireKey("cli-key-77")
                .start()) {
            Path store = dir.resolve("data");

            CliRunner.Result r = cli("stream", "--source", "polygon", "--base-url", server.baseUrl(), "--ws-url",
                    server.webSocketUrl(), "--tickers", "NVDA", "--store", store.toString(), "--duration", "PT5S",
                    "--source-option", "api-key=cli-key-77");

            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(server.stream().stats().authSucceeded()).isEqualTo(1);
            assertThat(server.requestLog()).allSatisfy(req -> assertThat(req.toString()).doesNotContain("cli-key-77"));
            LocalDate day = LocalDate.of(2025, 1, 2);
            try (Store s = Store.open(store.toString())) {
                assertThat(s.bars("NVDA", Timespan.MINUTE, day, day)).isNotEmpty();
            }
        }
    }

    @Test
    void aRejectedKeyIsOneClearLineAndExitOne() {
        try (PolygonSimulator server = PolygonSimulator.builder().requireKey("right").start()) {
            CliRunner.Result r = cli("stream", "--source", "polygon", "--base-url", server.baseUrl(), "--ws-url",
                    server.webSocketUrl(), "--tickers", "NVDA", "--store", dir.resolve("d").toString(),
                    "--source-option", "api-key=wrong", "--quiet");

            assertThat(r.exit()).isEqualTo(1);
            assertThat(server.stream().stats().connectionsAccepted()).isEqualTo(1);
        }
    }

    @Test
    void badOptionsAreUsageErrorsNamingTheField() {
        assertThat(cli("stream", "--duration", "soon").errLines()).singleElement().asString()
                .contains("duration");
        assertThat(cli("stream", "--duration", "soon").exit()).isEqualTo(2);
        CliRunner.Result ws = cli("stream", "--source", "simulator", "--ws-url", "http://x", "--store",
                dir.resolve("d").toString());
        assertThat(ws.exit()).isEqualTo(2);
    }
}
