/**
 * Extension points for other artifacts, in the manner of Kafka Connect: {@link dev.tickeretl.spi.Source} (with
 * offsets committed after durable writes), {@link dev.tickeretl.spi.Transformer},
 * {@link dev.tickeretl.spi.PhaseTagger} and {@link dev.tickeretl.spi.BarStore}, found with
 * {@link java.util.ServiceLoader} by name or URI scheme; plus what every store shares so that all of them write the
 * same bytes in the same layout ({@link dev.tickeretl.spi.StoreLayout}, {@link dev.tickeretl.spi.PartitionMerge},
 * {@link dev.tickeretl.spi.JsonCodec}).
 */
package dev.tickeretl.spi;
