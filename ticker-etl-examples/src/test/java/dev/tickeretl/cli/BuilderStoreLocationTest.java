package dev.tickeretl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickeretl.RunRecord;
import dev.tickeretl.RunStatus;
import dev.tickeretl.Store;
import dev.tickeretl.TickerEtl;
import java.net.URI;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library reads a store location the way the CLI does: {@code store(String)} and {@code Store.open(String)}. */
class BuilderStoreLocationTest {

    @TempDir
    Path tmp;

    @Test
    void aPlainPathGivenToTheBuilderIsThatDirectoryAndStoreOpenReadsItBack() {
        Path dir = tmp.resolve("a?b #1 %20");

        RunRecord run = TickerEtl.builder().tickers("AAPL").from(LocalDate.of(2025, 1, 2))
                .to(LocalDate.of(2025, 1, 3)).source("simulator").store(dir.toString()).build().run();

        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(Path.of(URI.create(run.parameters().store()))).isEqualTo(dir);
        try (Store store = Store.open(dir.toString())) {
            assertThat(store.bars("AAPL", LocalDate.of(2025, 1, 2), LocalDate.of(2025, 1, 3))).hasSize(2);
            assertThat(store.runs()).singleElement().extracting(RunRecord::runId).isEqualTo(run.runId());
        }
    }

    @Test
    void aLocationThatNamesNoStoreFailsWhenTheRunStartsWithAnErrorNamingTheStore() {
        TickerEtl etl = TickerEtl.builder().tickers("AAPL").from(LocalDate.of(2025, 1, 2))
                .to(LocalDate.of(2025, 1, 3)).source("simulator").store("s3://bucket:9000/p", Map.of()).build();

        assertThatThrownBy(etl::run).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("store: ")
                .hasMessageContaining("port");
        assertThatThrownBy(() -> TickerEtl.builder().store("ftp://host/x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("store scheme 'ftp'");
    }
}
