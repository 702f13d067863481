/** The reference command line, {@code ./ticker-etl ingest|runs|bars}: a thin user of the public API. */
package dev.tickeretl.cli;
