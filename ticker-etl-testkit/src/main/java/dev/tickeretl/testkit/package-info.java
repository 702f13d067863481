/**
 * Test support for stores and sources: {@link dev.tickeretl.testkit.StoreContract}, the tests every
 * {@link dev.tickeretl.spi.Storage} passes, and {@link dev.tickeretl.testkit.TestBars}; the Polygon simulator is in
 * {@code dev.tickeretl.testkit.simulator}, a real Kafka broker for tests in {@code dev.tickeretl.testkit.kafka}.
 */
package dev.tickeretl.testkit;
