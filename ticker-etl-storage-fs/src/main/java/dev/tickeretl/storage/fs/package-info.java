/**
 * The file-system store ({@code file:./data}): Hive-style partitions of JSON Lines, replaced atomically (temp file,
 * fsync, rename) under a per-partition lock that holds across threads and processes. Only
 * {@link dev.tickeretl.storage.fs.FileStoreProvider} is public; users reach it through
 * {@link dev.tickeretl.Store} or {@link dev.tickeretl.TickerEtl.Builder#store(java.net.URI)}.
 */
package dev.tickeretl.storage.fs;
