package dev.tickeretl.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer that the bar writer fills with a JSON line: cheaper than {@link StringBuilder} (no coder
 * checks, no char-to-byte pass) and with a fast {@code double} writer. Writing a bar was dominated by Jackson's
 * reflection, {@code DateTimeFormatter} and JDK 17's {@code Double.toString}; this class replaces the last two.
 * The {@code ascii} methods do not check their input: callers pass ASCII only.
 *
 * <p>The number writers are static kernels over a byte array and a position: a caller that reserved room for a
 * whole line (the bar writer) keeps the position in a local variable, which the JIT holds in a register, instead of
 * loading and storing this object's fields and checking capacity for every piece.
 */
public final class AsciiBuffer {

    /**
     * The room a number writer needs: its longest output ({@code Double.toString}: 24, {@code Long.toString}: 20)
     * and the eight bytes past the end that a digit store may overwrite.
     */
    static final int MAX_NUMBER_LENGTH = 32;
    /** Eight '0' bytes: added to eight digit values 0..9, one per byte, it makes their ASCII. */
    private static final long ZEROS = 0x3030_3030_3030_3030L;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final double TWO_TO_53 = 9_007_199_254_740_992.0;
    private static final long MAX_PLAIN_DIGITS_EXCLUSIVE = 10_000_000_000L;
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

    /** The backing array, for a kernel writer that has {@link #reserve reserved} its room. */
    byte[] array() {
        return bytes;
    }

    /** Takes the bytes a kernel writer put into {@link #array()} up to {@code newSize}. */
    void advanceTo(int newSize) {
        if (newSize < size || newSize > bytes.length) {
            throw new IllegalArgumentException("newSize: " + newSize + " is outside " + size + ".." + bytes.length);
        }
        size = newSize;
    }

    /** An ASCII string (every char below 0x80), unchecked. */
    public AsciiBuffer ascii(String s) {
        reserve(s.length());
        size = ascii(bytes, size, s);
        return this;
    }

    /** Pre-encoded ASCII bytes, such as a line's constant parts. */
    public AsciiBuffer ascii(byte[] ascii) {
        reserve(ascii.length);
        size = put(bytes, size, ascii);
        return this;
    }

    public AsciiBuffer ascii(char c) {
        reserve(1);
        bytes[size++] = (byte) c;
        return this;
    }

    /** Any string, as UTF-8. */
    public AsciiBuffer utf8(String s) {
        return ascii(s.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code value} in decimal, as {@link Long#toString(long)}. */
    public AsciiBuffer decimal(long value) {
        reserve(MAX_NUMBER_LENGTH);
        size = decimal(bytes, size, value);
        return this;
    }

    /** Exactly two digits, for 0..99. */
    public AsciiBuffer twoDigits(int value) {
        reserve(2);
        size = twoDigits(bytes, size, value);
        return this;
    }

    /** {@code value} exactly as {@link Double#toString(double)} writes it. */
    public AsciiBuffer decimal(double value) {
        reserve(MAX_NUMBER_LENGTH);
        size = decimal(bytes, size, value);
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
        reserve(MAX_NUMBER_LENGTH);
        int end = shortDecimal(bytes, size, value);
        if (end < 0) {
            return false;
        }
        size = end;
        return true;
    }

    /** The bytes written so far as a string; meaningful when only {@code ascii} methods wrote. */
    public String toAsciiString() {
        return new String(bytes, 0, size, StandardCharsets.ISO_8859_1);
    }

    /** A copy of the bytes written so far. */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    // The kernels: each writes at b[p..] (the caller has made room) and returns the position after what it wrote.

    static int put(byte[] b, int p, byte[] ascii) {
        System.arraycopy(ascii, 0, b, p, ascii.length);
        return p + ascii.length;
    }

    static int ascii(byte[] b, int p, String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            b[p + i] = (byte) s.charAt(i);
        }
        return p + n;
    }

    /** Exactly two digits, for 0..99. */
    static int twoDigits(byte[] b, int p, int value) {
        b[p] = DIGIT_TENS[value];
        b[p + 1] = DIGIT_ONES[value];
        return p + 2;
    }

    /** {@code value} as {@link Long#toString(long)} writes it. */
    static int decimal(byte[] b, int p, long value) {
        if (value < 0) {
            if (value == Long.MIN_VALUE) {
                return ascii(b, p, Long.toString(value));
            }
            b[p++] = '-';
            value = -value;
        }
        return digits(b, p, value);
    }

    /** {@code value} as {@link Double#toString(double)} writes it. */
    static int decimal(byte[] b, int p, double value) {
        int end = shortDecimal(b, p, value);
        return end >= 0 ? end : ascii(b, p, Double.toString(value));
    }

    /** See {@link #shortDecimal(double)}; returns -1, with nothing written, outside its domain. */
    static int shortDecimal(byte[] b, int p, double value) {
        if (value >= 0.001 && value < 10_000_000.0) {
            // If any m / 10^k, k <= 4, reads back as value, then m4 = rint(value * 10^4) does (the rounding errors
            // scaled by 10^4 stay far below one half), and the shortest form is m4's digits without the trailing
            // zeros of its last four.
            long m4 = (long) Math.rint(value * 10_000.0);
            return m4 / 10_000.0 == value ? plain(b, p, m4) : -1;
        }
        if (value >= 10_000_000.0 && value < TWO_TO_53) {
            long whole = (long) value;
            if (value == (double) whole) {
                return scientific(b, p, whole, digitCount(whole) - 1);
            }
            if (value >= 10_000_000_000.0) {
                return -1;
            }
            long packed = shortestScaled(value);
            // value is within half an ulp of m / 10^k, and that is at least 10^-k from any other integer, so the
            // truncated value is the integer part of m / 10^k and sets the exponent.
            return packed < 0 ? -1 : scientific(b, p, packed >>> 3, digitCount(whole) - 1);
        }
        if (value >= 0.0001 && value < 0.001) {
            long ticks = (long) Math.rint(value * 10_000.0);
            if (ticks / 10_000.0 != value) {
                return -1;
            }
            b[p] = (byte) ('0' + ticks);
            b[p + 1] = '.';
            b[p + 2] = '0';
            b[p + 3] = 'E';
            b[p + 4] = '-';
            b[p + 5] = '4';
            return p + 6;
        }
        if (Double.doubleToRawLongBits(value) == 0L) { // +0.0 only; -0.0 prints "-0.0"
            b[p] = '0';
            b[p + 1] = '.';
            b[p + 2] = '0';
            return p + 3;
        }
        return -1;
    }

    /**
     * The shortest {@code m / 10^k}, {@code k <= 4}, that reads back as {@code value}, a fraction below 10^10, packed
     * as {@code m << 3 | k}; -1 when there is none. As in the plain path: if any such form reads back, then
     * {@code m4 = rint(value * 10^4)} does (the rounding errors scaled by 10^4 stay far below one half), and the
     * shortest is m4 without its trailing zeros; k stays at least 1, the value being no whole number.
     */
    private static long shortestScaled(double value) {
        long m = (long) Math.rint(value * 10_000.0);
        // m and 10^4 are exact doubles, so the division is the correctly rounded m / 10^4: exactly the double that
        // parsing the decimal m / 10^4 yields.
        if (m / 10_000.0 != value) {
            return -1;
        }
        int k = 4;
        while (k > 1 && m % 10 == 0) {
            m /= 10;
            k--;
        }
        return m << 3 | k;
    }

    /**
     * {@code m4 / 10^4} (below 10^11) in plain notation as {@link Double#toString(double)} writes it: the integer
     * part, the point, then the four fraction digits without trailing zeros, but at least one ({@code 5.0}). No
     * branch depends on the digits: the digits are made eight at a time ({@link #eightDigits}), stored eight bytes
     * at a time, and the point goes in by storing the fraction digits again one place further on.
     *
     * @return -1 when the shortest form would have ten or more significant digits (outside the checked domain)
     */
    private static int plain(byte[] b, int p, long m4) {
        long fraction; // the fraction's four digit values in bytes 4..7
        int point;
        if (m4 < 100_000_000L) {
            fraction = eightDigits((int) m4);
            // Leading zero digits are the low bytes; keep the last integer digit (0.5, not .5).
            int leadingZeros = Math.min(3, Long.numberOfTrailingZeros(fraction) >>> 3);
            LONGS.set(b, p, (fraction + ZEROS) >>> (leadingZeros << 3));
            point = p + 4 - leadingZeros;
        } else {
            long high = m4 / 100_000_000L;
            fraction = eightDigits((int) (m4 - high * 100_000_000L));
            if (m4 >= MAX_PLAIN_DIGITS_EXCLUSIVE && (fraction >>> 56) != 0) {
                return -1;
            }
            int q = small(b, p, (int) high);
            LONGS.set(b, q, fraction + ZEROS);
            point = q + 4;
        }
        // Trailing zero digits are the high bytes; the fraction is bytes 4..7, so at most four of them.
        int fractionDigits = 4 - Math.min(4, Long.numberOfLeadingZeros(fraction) >>> 3);
        LONGS.set(b, point + 1, (fraction + ZEROS) >>> 32);
        b[point] = '.';
        return point + 1 + Math.max(1, fractionDigits);
    }

    /** {@code d.dddE<exponent>}: the digits of {@code digits} without trailing zeros, at least two. */
    private static int scientific(byte[] b, int p, long digits, int exponent) {
        long significant = digits;
        while (significant % 10 == 0) {
            significant /= 10;
        }
        // The digits from p + 1 on, then the first moved down before the point.
        int end = digits(b, p + 1, significant);
        b[p] = b[p + 1];
        b[p + 1] = '.';
        if (end == p + 2) {
            b[end++] = '0';
        }
        b[end++] = 'E';
        return decimal(b, end, exponent);
    }

    /** The digits of {@code value >= 0}, without leading zeros. */
    private static int digits(byte[] b, int p, long value) {
        if (value < 100_000_000L) {
            return small(b, p, (int) value);
        }
        long high = value / 100_000_000L;
        int q = digits(b, p, high);
        LONGS.set(b, q, eightDigits((int) (value - high * 100_000_000L)) + ZEROS);
        return q + 8;
    }

    /** The digits of {@code 0 <= value < 10^8}, without leading zeros: one eight-byte store. */
    private static int small(byte[] b, int p, int value) {
        long digits = eightDigits(value);
        int leadingZeros = Math.min(7, Long.numberOfTrailingZeros(digits) >>> 3);
        LONGS.set(b, p, (digits + ZEROS) >>> (leadingZeros << 3));
        return p + 8 - leadingZeros;
    }

    /**
     * The eight decimal digits of {@code 0 <= value < 10^8}, zero-padded, as byte values 0..9 in a long, the first
     * digit in the lowest byte (the order a little-endian store puts them in memory). SIMD within a register: the
     * value is split into halves of four digits, each half into pairs, each pair into digits, all lanes of a step
     * with one multiplication; {@code x * 10486 >>> 20} is {@code x / 100} for {@code x < 10^4} and
     * {@code x * 103 >>> 10} is {@code x / 10} for {@code x < 100}, and no lane's product reaches the next lane.
     */
    private static long eightDigits(int value) {
        long high = value / 10_000;
        long halves = high | (value - high * 10_000) << 32; // 32-bit lanes, each below 10^4
        long hundreds = ((halves * 10_486) >>> 20) & 0x0000_007F_0000_007FL;
        long pairs = hundreds | (halves - 100 * hundreds) << 16; // 16-bit lanes, each below 100
        long tens = ((pairs * 103) >>> 10) & 0x000F_000F_000F_000FL;
        return tens | (pairs - 10 * tens) << 8;
    }

    /** The number of decimal digits of {@code value >= 0}, from its bit length (log10(2) ~ 1233 / 4096). */
    private static int digitCount(long value) {
        int guess = ((64 - Long.numberOfLeadingZeros(value | 1)) * 1233) >>> 12;
        return Math.max(1, guess + (value >= DIGIT_LIMITS[guess] ? 1 : 0));
    }
}
