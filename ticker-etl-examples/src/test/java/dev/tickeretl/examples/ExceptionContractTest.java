package dev.tickeretl.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickeretl.Store;
import dev.tickeretl.StoreException;
import dev.tickeretl.TickerEtl;
import dev.tickeretl.TickerEtlException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What TickerEtlException's Javadoc promises: configuration errors are IllegalArgumentExceptions naming the field,
 * found before anything is written; a store that cannot be reached, opened or written is a StoreException, which is
 * a TickerEtlException.
 */
class ExceptionContractTest {

    private static final LocalDate JAN_2 = LocalDate.of(2025, 1, 2);
    private static final LocalDate JAN_10 = LocalDate.of(2025, 1, 10);

    @TempDir
    Path dir;

    private TickerEtl.Builder batch() {
        return TickerEtl.builder().tickers("AAPL").from(JAN_2).to(JAN_10).source("simulator").shutdownHook(false);
    }

    @Test
    void badBuilderSettingsAreIllegalArgumentsNamingTheField() {
        configurationError(() -> TickerEtl.builder().writerThreads(0), "writer-threads:");
        configurationError(() -> TickerEtl.builder().maxBatchBars(0), "max-batch-bars:");
        configurationError(() -> TickerEtl.builder().flushInterval(Duration.ZERO), "flush-interval:");
        configurationError(() -> TickerEtl.builder().tickers("../etc"), "ticker:");
        configurationError(() -> TickerEtl.builder().source("nosuch"), "unknown source 'nosuch'");
        configurationError(() -> TickerEtl.builder().phaseTagger("nosuch").source("simulator").from(JAN_2)
                .store(dir.toString()).build(), "unknown phase tagger 'nosuch'");
        configurationError(() -> TickerEtl.builder().store("ftp://host/x"), "unknown store scheme 'ftp'");
        configurationError(() -> batch().to(JAN_2.minusDays(1)).store(dir.toString()).build(), "from:");
    }

    @Test
    void anOptionTheSourceDoesNotKnowIsAnIllegalArgumentBeforeAnyRunIsRecorded() {
        TickerEtl etl = batch().source("simulator", Map.of("colour", "red")).store(dir.toString()).build();

        configurationError(etl::run, "colour:");
        assertThat(dir.resolve("runs")).doesNotExist();
    }

    @Test
    void anUnreachableStoreIsAStoreExceptionForTheRunAndForReading() {
        withAwsCredentials(() -> {
            Map<String, String> unreachable = Map.of("s3-endpoint", "http://127.0.0.1:1", "s3-region", "us-east-1");
            URI uri = URI.create("s3://prices/p");

            runtimeFailure(() -> batch().store(uri, unreachable).build().run(), "127.0.0.1:1");
            runtimeFailure(() -> Store.open(uri, unreachable), "127.0.0.1:1");
        });
    }

    @Test
    void aStoreThatDoesNotExistOrCannotBeWrittenIsAStoreException() throws IOException {
        Path missing = dir.resolve("no-such-store");
        runtimeFailure(() -> Store.open(missing.toString()), missing.toString());

        // A plain file where the store's directory should be: nothing can be created under it.
        Path blocked = Files.writeString(dir.resolve("a-file"), "not a directory");
        runtimeFailure(() -> batch().store(blocked.resolve("store").toString()).build().run(), "a-file");
    }

    private static void configurationError(ThrowingCallable call, String namingTheField) {
        assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class)
                .isNotInstanceOf(TickerEtlException.class)
                .hasMessageContaining(namingTheField);
    }

    private static void runtimeFailure(ThrowingCallable call, String naming) {
        assertThatThrownBy(call).isInstanceOf(StoreException.class).isInstanceOf(TickerEtlException.class)
                .hasMessageContaining(naming);
    }

    /** The SDK's default chain finds these first, so it never looks further (no instance-metadata lookups). */
    private static void withAwsCredentials(Runnable body) {
        Map<String, String> saved = new java.util.HashMap<>();
        Consumer<String> save = key -> saved.put(key, System.getProperty(key));
        save.accept("aws.accessKeyId");
        save.accept("aws.secretAccessKey");
        System.setProperty("aws.accessKeyId", "AKIDEXCEPTIONCONTRACT");
        System.setProperty("aws.secretAccessKey", "exception-contract-secret");
        try {
            body.run();
        } finally {
            saved.forEach((key, value) -> {
                if (value == null) {
                    System.clearProperty(key);
                } else {
                    System.setProperty(key, value);
                }
            });
        }
    }
}
