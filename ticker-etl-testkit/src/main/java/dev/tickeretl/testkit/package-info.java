/**
 * Test support: {@link dev.tickeretl.testkit.StoreContract}, the tests every {@link dev.tickeretl.spi.Storage}
 * passes, {@link dev.tickeretl.testkit.TestBars}, and a real Kafka broker for tests in
 * {@code dev.tickeretl.testkit.kafka}. Depends on JUnit and AssertJ at compile scope, so it belongs on test class paths
 * only; the Polygon simulator is in {@code ticker-etl-simulator}.
 */
package dev.tickeretl.testkit;
