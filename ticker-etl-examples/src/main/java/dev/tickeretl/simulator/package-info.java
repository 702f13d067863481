/** The offline {@code simulator} source: the testkit's Polygon simulator on loopback, read by the real source. */
package dev.tickeretl.simulator;
