package dev.tickeretl.internal;

import dev.tickeretl.MarketTime;
import dev.tickeretl.Timespan;
import dev.tickeretl.spi.RawBar;
import java.time.LocalDate;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators of valid raw bars: every field anywhere in its legal range, exact doubles included. */
final class BarArbitraries {

    static final long FIRST_MS = MarketTime.startOfDayMs(LocalDate.of(1990, 1, 1));
    static final long LAST_MS = MarketTime.startOfDayMs(LocalDate.of(2051, 1, 1)) - 1;

    private BarArbitraries() {
    }

    /** Symbols matching the ticker rule: a letter, up to nine letters/digits, an optional .CLASS suffix. */
    static Arbitrary<String> tickers() {
        Arbitrary<String> head = Arbitraries.chars().range('A', 'Z').map(String::valueOf);
        Arbitrary<String> body = Arbitraries.strings().withCharRange('A', 'Z').withCharRange('0', '9')
                .ofMinLength(0).ofMaxLength(9);
        Arbitrary<String> suffix = Arbitraries.strings().withCharRange('A', 'Z').withCharRange('0', '9')
                .ofMinLength(1).ofMaxLength(4).map(s -> "." + s).injectNull(0.7);
        return Combinators.combine(head, body, suffix).as((h, b, s) -> h + b + (s == null ? "" : s));
    }

    static Arbitrary<Long> epochMs() {
        return Arbitraries.longs().between(FIRST_MS, LAST_MS);
    }

    /**
     * Non-negative finite doubles: any bit pattern (subnormals, huge magnitudes, 17-digit fractions) or a
     * realistic price with up to four decimals.
     */
    static Arbitrary<Double> nonNegativeDoubles() {
        Arbitrary<Double> anyBits = Arbitraries.longs().between(0, Double.doubleToRawLongBits(Double.MAX_VALUE))
                .map(Double::longBitsToDouble);
        Arbitrary<Double> prices = Arbitraries.doubles().between(0, 100_000).ofScale(4);
        return Arbitraries.oneOf(anyBits, prices);
    }

    /** Volumes: whole shares up to 10^15, fractional volumes, or any non-negative double. */
    static Arbitrary<Double> volumes() {
        Arbitrary<Double> whole = Arbitraries.longs().between(0, 1_000_000_000_000_000L).map(Long::doubleValue);
        Arbitrary<Double> fractional = Arbitraries.doubles().between(0, 10_000_000).ofScale(6);
        return Arbitraries.oneOf(whole, fractional, nonNegativeDoubles());
    }

    /** Valid raw bars: low &lt;= open, close &lt;= high by construction; vwap and transactions sometimes absent. */
    static Arbitrary<RawBar> rawBars() {
        Arbitrary<double[]> ohlc = nonNegativeDoubles().array(double[].class).ofSize(4).map(a -> {
            double[] sorted = a.clone();
            Arrays.sort(sorted);
            // open and close take the middle values in either order; low and high the extremes.
            return a[0] <= a[1] ? new double[]{sorted[1], sorted[3], sorted[0], sorted[2]}
                    : new double[]{sorted[2], sorted[3], sorted[0], sorted[1]};
        });
        return Combinators.combine(tickers(), Arbitraries.of(Timespan.class), epochMs(), ohlc, volumes(),
                        nonNegativeDoubles().injectNull(0.3),
                        Arbitraries.longs().between(0, Long.MAX_VALUE).injectNull(0.3),
                        Arbitraries.of(true, false))
                .as((ticker, span, ms, p, v, vwap, n, adjusted) ->
                        new RawBar(ticker, span, ms, p[0], p[1], p[2], p[3], v, vwap, n, adjusted));
    }

    /** A copy of {@code raw} with one numeric field replaced. */
    static RawBar with(RawBar raw, String field, double value) {
        return new RawBar(raw.ticker(), raw.timespan(), raw.startMs(),
                field.equals("open") ? value : raw.open(),
                field.equals("high") ? value : raw.high(),
                field.equals("low") ? value : raw.low(),
                field.equals("close") ? value : raw.close(),
                field.equals("volume") ? value : raw.volume(),
                field.equals("vwap") ? Double.valueOf(value) : raw.vwap(),
                raw.transactions(), raw.adjusted());
    }
}
