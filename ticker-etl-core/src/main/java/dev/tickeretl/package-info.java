/**
 * The public API: {@link dev.tickeretl.TickerEtl} runs an ingestion, {@link dev.tickeretl.Store} reads what runs
 * stored, {@link dev.tickeretl.Bar} and {@link dev.tickeretl.RunRecord} are the data contract, and
 * {@link dev.tickeretl.TradingCalendar} and {@link dev.tickeretl.MarketTime} hold the market's time rules.
 */
package dev.tickeretl;
