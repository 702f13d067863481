package dev.tickeretl.polygon;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * The size cap of response bodies ({@code max-response-bytes}), on the wire ({@link BlockingHttp}) and after gunzip
 * (here): a broken or hostile server cannot make the source buffer or inflate without end (a few KB of gzip can
 * inflate to gigabytes).
 */
final class BoundedBody {

    /** The body, or its inflated form, passed the cap. */
    static final class TooLarge extends IOException {
        TooLarge(long cap, String what) {
            super(what + " is larger than max-response-bytes (" + describe(cap) + ")");
        }
    }

    private BoundedBody() {
    }

    /** {@code in} that throws {@link TooLarge} once more than {@code cap} bytes were read from it. */
    static InputStream inflated(InputStream in, long cap) {
        return new FilterInputStream(in) {
            private long count;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    count(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    count(n);
                }
                return n;
            }

            private void count(int n) throws TooLarge {
                count += n;
                if (count > cap) {
                    throw new TooLarge(cap, "the body after gunzip");
                }
            }
        };
    }

    /** {@code 67108864 bytes (64 MiB)}. */
    static String describe(long bytes) {
        String unit = bytes % (1L << 30) == 0 ? bytes / (1L << 30) + " GiB"
                : bytes % (1L << 20) == 0 ? bytes / (1L << 20) + " MiB"
                : bytes % (1L << 10) == 0 ? bytes / (1L << 10) + " KiB" : null;
        return String.format(Locale.ROOT, "%d bytes", bytes) + (unit == null ? "" : " = " + unit);
    }
}
