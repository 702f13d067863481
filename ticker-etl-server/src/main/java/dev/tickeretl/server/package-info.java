/**
 * Reading a store over HTTP and as pictures: {@link dev.tickeretl.server.BarServer} (the read API and the chart
 * page), {@link dev.tickeretl.server.Chart} (one self-contained HTML chart), and
 * {@link dev.tickeretl.server.BarChanges} (where live changes come from). Everything else in this package is an
 * implementation detail.
 */
package dev.tickeretl.server;
