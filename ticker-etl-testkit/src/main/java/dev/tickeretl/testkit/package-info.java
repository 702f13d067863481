/**
 * Test support for stores: {@link dev.tickeretl.testkit.StoreContract}, the tests every
 * {@link dev.tickeretl.spi.Storage} passes, and {@link dev.tickeretl.testkit.TestBars}. Depends on JUnit and AssertJ
 * at compile scope, so it belongs on test class paths only; the Polygon simulator is in {@code ticker-etl-simulator}.
 */
package dev.tickeretl.testkit;
