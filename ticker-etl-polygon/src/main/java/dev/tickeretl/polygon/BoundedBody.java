package dev.tickeretl.polygon;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Response bodies with a size cap ({@code max-response-bytes}), on the wire and after gunzip: a broken or hostile
 * server cannot make the source buffer or inflate without end (a few KB of gzip can inflate to gigabytes).
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

    /**
     * Reads the body into a byte array, failing with {@link TooLarge} as soon as it passes {@code cap} (before any
     * byte is read when Content-Length already says so). {@code onHeaders} runs once the status and headers are in.
     */
    static HttpResponse.BodyHandler<byte[]> handler(long cap, Runnable onHeaders) {
        return info -> {
            onHeaders.run();
            OptionalLong length = info.headers().firstValueAsLong("Content-Length");
            return new Subscriber(cap, length.isPresent() && length.getAsLong() > cap);
        };
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

    /** Like the JDK's byte-array subscriber, with a running total. */
    private static final class Subscriber implements HttpResponse.BodySubscriber<byte[]> {
        private final long cap;
        private final boolean declaredTooLarge;
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final List<ByteBuffer> received = new ArrayList<>();
        private Flow.Subscription subscription;
        private long size;

        Subscriber(long cap, boolean declaredTooLarge) {
            this.cap = cap;
            this.declaredTooLarge = declaredTooLarge;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (declaredTooLarge) {
                s.cancel();
                body.completeExceptionally(new TooLarge(cap, "the body (by its Content-Length)"));
                return;
            }
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (body.isDone()) {
                return;
            }
            for (ByteBuffer item : items) {
                size += item.remaining();
            }
            if (size > cap) {
                subscription.cancel();
                received.clear();
                body.completeExceptionally(new TooLarge(cap, "the body"));
                return;
            }
            received.addAll(items);
        }

        @Override
        public void onError(Throwable error) {
            received.clear();
            body.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            byte[] all = new byte[(int) size];
            int at = 0;
            for (ByteBuffer item : received) {
                int n = item.remaining();
                item.get(all, at, n);
                at += n;
            }
            received.clear();
            body.complete(all);
        }
    }
}
