/**
 * Extension points for other artifacts, in the manner of Kafka Connect and NIO's {@code FileSystemProvider}:
 * {@link dev.tickeretl.spi.SourceProvider} / {@link dev.tickeretl.spi.Source} (offsets committed by the framework
 * after durable writes), {@link dev.tickeretl.spi.StoreProvider} / {@link dev.tickeretl.spi.Storage} (the bytes of a
 * store; the core lays out bars, runs and offsets on it), {@link dev.tickeretl.spi.SinkProvider} /
 * {@link dev.tickeretl.spi.Sink} (fan-out), {@link dev.tickeretl.spi.Transformer} and
 * {@link dev.tickeretl.spi.PhaseTagger}. Providers are found with {@link java.util.ServiceLoader} by name or URI scheme
 * ({@code META-INF/services} on the class path, {@code provides} in a module), or handed to the builder directly.
 * Every type here is implemented or called by code outside the core; what only the core uses lives in
 * {@code dev.tickeretl.internal}.
 */
package dev.tickeretl.spi;
