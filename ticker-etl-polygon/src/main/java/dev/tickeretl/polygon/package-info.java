/**
 * The Polygon/Massive aggregates REST source ({@code polygon}): request planning (per ticker or grouped daily),
 * pagination confined to the configured origin, a shared rate-limit gate, retries with Failsafe, and an API key
 * that travels only in the {@code Authorization} header. Options are listed on
 * {@link dev.tickeretl.polygon.PolygonSourceProvider}.
 */
package dev.tickeretl.polygon;
