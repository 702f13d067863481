/**
 * The public API: {@link dev.tickeretl.TickerEtl} runs an ingestion, {@link dev.tickeretl.Store} reads what runs
 * stored, {@link dev.tickeretl.Bar} and {@link dev.tickeretl.RunRecord} are the data contract, and
 * {@link dev.tickeretl.TradingCalendar} and {@link dev.tickeretl.MarketTime} hold the market's time rules. Failures
 * at run time are {@link dev.tickeretl.TickerEtlException}s; configuration errors are
 * {@link java.lang.IllegalArgumentException}s naming the field (see {@link dev.tickeretl.TickerEtlException}).
 */
package dev.tickeretl;
