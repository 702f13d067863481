package dev.tickeretl.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer that the bar writer fills with a JSON line: cheaper than {@link StringBuilder} (no coder
 * checks, no char-to-byte pass) and with a fast {@code double} writer. Writing a bar was dominated by Jackson's
 * reflection, {@code DateTimeFormatter} and JDK 17's {@code Double.toString}; this class replaces the last two.
 * The {@code ascii} methods do not check their input: callers pass ASCII only.
 */
public final class AsciiBuffer {

    private static final long[] POW10 = {1L, 10L, 100L, 1_000L, 10_000L};
    private static final double[] POW10_D = {1.0, 10.0, 100.0, 1_000.0, 10_000.0};
    private static final long MAX_PLAIN_DIGITS_EXCLUSIVE = 10_000_000_000L;
    private static final double TWO_TO_53 = 9_007_199_254_740_992.0;
    /** DIGIT_LIMITS[n] = 10^n: a value of n digits lies below it. */
    private static final long[] DIGIT_LIMITS = new long[19];
    /** The tens and the ones digit of 0..99. */
    private static final byte[] DIGIT_TENS = new byte[100];
    private static final byte[] DIGIT_ONES = new byte[100];

    static {
        DIGIT_LIMITS[0] = 1;
        for (int n = 1; n < DIGIT_LIMITS.length; n++) {
            DIGIT_LIMITS[n] = DIGIT_LIMITS[n - 1] * 10;
        }
        for (int i = 0; i < 100; i++) {
            DIGIT_TENS[i] = (byte) ('0' + i / 10);
            DIGIT_ONES[i] = (byte) ('0' + i % 10);
        }
    }

    private byte[] bytes;
    private int size;

    public AsciiBuffer(int capacity) {
        bytes = new byte[Math.max(16, capacity)];
    }

    public int size() {
        return size;
    }

    /** Forgets everything after {@code newSize}; used to undo a partly written line. */
    public void truncate(int newSize) {
        if (newSize < 0 || newSize > size) {
            throw new IllegalArgumentException("newSize: " + newSize + " is outside 0.." + size);
        }
        size = newSize;
    }

    /** Makes room for {@code n} more bytes, so that the next {@code n} bytes of writes need no further check. */
    public AsciiBuffer reserve(int n) {
        if (size + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + n));
        }
        return this;
    }

    /** An ASCII string (every char below 0x80), unchecked. */
    public AsciiBuffer ascii(String s) {
        int n = s.length();
        reserve(n);
        for (int i = 0; i < n; i++) {
            bytes[size + i] = (byte) s.charAt(i);
        }
        size += n;
        return this;
    }

    /** Pre-encoded ASCII bytes, such as a line's constant parts. */
    public AsciiBuffer ascii(byte[] ascii) {
        reserve(ascii.length);
        System.arraycopy(ascii, 0, bytes, size, ascii.length);
        size += ascii.length;
        return this;
    }

    public AsciiBuffer ascii(char c) {
        reserve(1);
        bytes[size++] = (byte) c;
        return this;
    }

    /** Any string, as UTF-8. */
    public AsciiBuffer utf8(String s) {
        byte[] encoded = s.getBytes(StandardCharsets.UTF_8);
        reserve(encoded.length);
        System.arraycopy(encoded, 0, bytes, size, encoded.length);
        size += encoded.length;
        return this;
    }

    /** {@code value} in decimal, as {@link Long#toString(long)}. */
    public AsciiBuffer decimal(long value) {
        if (value < 0) {
            if (value == Long.MIN_VALUE) {
                return ascii(Long.toString(value));
            }
            ascii('-');
            value = -value;
        }
        int digits = digitCount(value);
        reserve(digits);
        int pos = size + digits;
        // Two digits per division, from a table: the division, not the store, is what costs; int division where
        // the value fits (start_ms needs one long round), as Long.getChars does.
        while (value > Integer.MAX_VALUE) {
            long q = value / 100;
            int r = (int) (value - q * 100);
            bytes[--pos] = DIGIT_ONES[r];
            bytes[--pos] = DIGIT_TENS[r];
            value = q;
        }
        int v = (int) value;
        while (v >= 100) {
            int q = v / 100;
            int r = v - q * 100;
            bytes[--pos] = DIGIT_ONES[r];
            bytes[--pos] = DIGIT_TENS[r];
            v = q;
        }
        if (v >= 10) {
            bytes[--pos] = DIGIT_ONES[v];
            bytes[--pos] = DIGIT_TENS[v];
        } else {
            bytes[--pos] = (byte) ('0' + v);
        }
        size += digits;
        return this;
    }

    /** The number of decimal digits of {@code value >= 0}, from its bit length (log10(2) ~ 1233 / 4096). */
    private static int digitCount(long value) {
        int guess = ((64 - Long.numberOfLeadingZeros(value | 1)) * 1233) >>> 12;
        return Math.max(1, guess + (value >= DIGIT_LIMITS[guess] ? 1 : 0));
    }

    /** Exactly two digits, for 0..99. */
    public AsciiBuffer twoDigits(int value) {
        reserve(2);
        bytes[size++] = (byte) ('0' + value / 10);
        bytes[size++] = (byte) ('0' + value % 10);
        return this;
    }

    /** {@code value} exactly as {@link Double#toString(double)} writes it. */
    public AsciiBuffer decimal(double value) {
        if (!shortDecimal(value)) {
            ascii(Double.toString(value));
        }
        return this;
    }

    /**
     * Writes the doubles market data is made of, exactly as {@link Double#toString(double)} does and several times
     * faster. The domain covers prices from 0.0001 to 1,000,000 with up to four decimals and volumes from a fraction
     * of a share to 2^53 shares (fractional ones below 10^10, with up to four decimals):
     * <ul>
     *   <li>{@code m / 10^k} with {@code 0 <= k <= 4}, {@code 0 < m < 10^10}, value in [0.001, 10^7), and
     *       {@code 0.0}: plain notation, {@code 123.45};</li>
     *   <li>whole numbers in [10^7, 2^53): computerized scientific notation of their digits without trailing zeros,
     *       {@code 1.23456789E10};</li>
     *   <li>{@code m / 10^k} with {@code 1 <= k <= 4}, value in [10^7, 10^10): scientific notation,
     *       {@code 1.234567825E7};</li>
     *   <li>{@code m / 10^4} for {@code m = 1..9} (a sub-penny price of 1 to 9 ticks): {@code 1.0E-4}..</li>
     * </ul>
     * Why these equal JDK 17's output (FloatingDecimal's dtoa): a whole number below 2^54 is converted by exact long
     * arithmetic, all its digits but trailing zeros. Any other value here is written by the free-format digit
     * generation, which stops at the shortest digit string that reads back as the value; in this domain there is
     * exactly one such string with the fewest fraction digits (10^-k is far wider than the value's ulp), the one
     * this method finds, and none of the algorithm's known lapses applies (it errs only where the shortest form has
     * one digit in scientific notation, or at exact powers of two, neither of which a value here can be).
     * {@code DecimalFormatCheck} (ticker-etl-bench) checks every value of the first domain below 10^9 and of the
     * whole numbers below 10^9, and billions of samples of the rest; a property test samples all of it.
     *
     * @return false, with nothing written, for any value outside the domain
     */
    public boolean shortDecimal(double value) {
        if (value >= 0.001 && value < 10_000_000.0) {
            return plainDecimal(value);
        }
        if (value >= 10_000_000.0 && value < TWO_TO_53) {
            long whole = (long) value;
            if (value == (double) whole) {
                scientific(whole, exponentOf(whole));
                return true;
            }
            return value < 10_000_000_000.0 && scientificFraction(value, whole);
        }
        if (value >= 0.0001 && value < 0.001) {
            long ticks = (long) Math.rint(value * 10_000.0);
            if (ticks / 10_000.0 == value) {
                ascii((char) ('0' + ticks)).ascii(".0E-4");
                return true;
            }
            return false;
        }
        if (Double.doubleToRawLongBits(value) == 0L) { // +0.0 only; -0.0 prints "-0.0"
            ascii("0.0");
            return true;
        }
        return false;
    }

    /**
     * The shortest {@code m / 10^k}, {@code k >= fromK}, that reads back as {@code value}, packed as
     * {@code m << 3 | k}; -1 when none has {@code k <= 4} and {@code m < maxExclusive}.
     */
    private static long shortestScaled(double value, int fromK, long maxExclusive) {
        for (int k = fromK; k < POW10.length; k++) {
            long m = (long) Math.rint(value * POW10_D[k]);
            if (m >= maxExclusive) {
                return -1;
            }
            // m and 10^k are exact doubles, so the division is the correctly rounded m / 10^k: exactly the double
            // that parsing the decimal m / 10^k yields. The first k that reads back is the shortest form.
            if (m / POW10_D[k] == value) {
                return m << 3 | k;
            }
        }
        return -1;
    }

    private boolean plainDecimal(double value) {
        long packed = shortestScaled(value, 0, MAX_PLAIN_DIGITS_EXCLUSIVE);
        if (packed < 0) {
            return false;
        }
        long m = packed >>> 3;
        int k = (int) (packed & 7);
        // value is within half an ulp of m / 10^k, and that is at least 10^-k from any other integer, so truncating
        // value gives the integer part of m / 10^k (no division by a variable needed).
        long whole = (long) value;
        decimal(whole).ascii('.');
        if (k == 0) {
            ascii('0');
        } else {
            long fraction = m - whole * POW10[k];
            for (long digit = POW10[k] / 10; digit > fraction && digit > 1; digit /= 10) {
                ascii('0');
            }
            decimal(fraction);
        }
        return true;
    }

    private boolean scientificFraction(double value, long whole) {
        long packed = shortestScaled(value, 1, 1L << 60);
        if (packed < 0) {
            return false;
        }
        // As in plainDecimal, whole is the integer part of m / 10^k, so it sets the exponent.
        scientific(packed >>> 3, exponentOf(whole));
        return true;
    }

    private static int exponentOf(long whole) {
        return digitCount(whole) - 1;
    }

    /** {@code d.dddE<exponent>}: the digits of {@code digits} without trailing zeros, at least two. */
    private void scientific(long digits, int exponent) {
        long significant = digits;
        while (significant % 10 == 0) {
            significant /= 10;
        }
        int start = size;
        decimal(significant); // its first digit goes before the point
        int count = size - start;
        reserve(2);
        System.arraycopy(bytes, start + 1, bytes, start + 2, count - 1);
        bytes[start + 1] = '.';
        size++;
        if (count == 1) {
            ascii('0');
        }
        ascii('E').decimal(exponent);
    }

    /** The bytes written so far as a string; meaningful when only {@code ascii} methods wrote. */
    public String toAsciiString() {
        return new String(bytes, 0, size, StandardCharsets.ISO_8859_1);
    }

    /** A copy of the bytes written so far. */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }
}
