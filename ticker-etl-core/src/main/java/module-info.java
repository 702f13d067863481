/**
 * ticker-etl's core. Exports the public API ({@code dev.tickeretl}) and the extension points
 * ({@code dev.tickeretl.spi}); {@code dev.tickeretl.internal} is not API and is exported only to the modules of this
 * project that are built and released with it (by their {@code Automatic-Module-Name}), each for a stated reason:
 * <ul>
 *   <li>{@code dev.tickeretl.polygon}, {@code dev.tickeretl.simulator}: the one daemon thread factory
 *       ({@code DaemonThreads}).</li>
 *   <li>{@code dev.tickeretl.server}: the thread factory, and the store's own encoders for JSON Lines and run records
 *       (byte for byte what the store holds, without a second serialiser).</li>
 *   <li>{@code dev.tickeretl.metrics}: the thread factory for its HTTP server and textfile timer.</li>
 *   <li>{@code dev.tickeretl.testkit}: the contract kit checks the store layer ({@code DataStore}) over any backend.</li>
 *   <li>{@code dev.tickeretl.bench}: benchmarks measure internals.</li>
 * </ul>
 * An application module sees neither the package nor its classes, at compile time or by reflection.
 */
@SuppressWarnings("module") // the qualified exports name modules that are not built before this one
module dev.tickeretl.core {
    requires com.fasterxml.jackson.annotation;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires org.slf4j;

    exports dev.tickeretl;
    exports dev.tickeretl.spi;
    exports dev.tickeretl.internal to
            dev.tickeretl.polygon,
            dev.tickeretl.simulator,
            dev.tickeretl.server,
            dev.tickeretl.metrics,
            dev.tickeretl.testkit,
            dev.tickeretl.bench;

    // Jackson reads and writes the data contract (Bar, RunRecord) and the offsets file (internal records).
    opens dev.tickeretl to com.fasterxml.jackson.databind;
    opens dev.tickeretl.internal to com.fasterxml.jackson.databind;

    // Providers are found by name or URI scheme (internal.Providers), from modules and from the class path.
    uses dev.tickeretl.spi.SourceProvider;
    uses dev.tickeretl.spi.StoreProvider;
    uses dev.tickeretl.spi.SinkProvider;
    uses dev.tickeretl.spi.PhaseTagger;
    uses dev.tickeretl.spi.Transformer;

    provides dev.tickeretl.spi.StoreProvider with dev.tickeretl.internal.MemoryStorage.Provider;
    provides dev.tickeretl.spi.Transformer with dev.tickeretl.internal.MarketTimeTransformer;
    provides dev.tickeretl.spi.PhaseTagger with dev.tickeretl.internal.BriefPhaseTagger;
}
