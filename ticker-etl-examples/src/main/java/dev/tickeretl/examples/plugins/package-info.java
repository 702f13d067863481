/**
 * A complete example plugin: {@link dev.tickeretl.examples.plugins.AverageVolumePhaseTagger}, a
 * {@link dev.tickeretl.spi.PhaseTagger} found by {@link java.util.ServiceLoader} through this module's
 * {@code META-INF/services/dev.tickeretl.spi.PhaseTagger}; the CLI picks it with {@code --phase-tagger avg20}.
 */
package dev.tickeretl.examples.plugins;
