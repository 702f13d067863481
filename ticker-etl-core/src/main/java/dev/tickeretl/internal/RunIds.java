package dev.tickeretl.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Run ids that sort by start time as plain strings: {@code 20250131T143005123Z-9f2c1a}. */
final class RunIds {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private RunIds() {
    }

    static String next(Clock clock) {
        // The suffix keeps two runs started in the same millisecond (two processes) apart.
        return STAMP.format(clock.instant()) + "-" + String.format("%06x", RANDOM.nextInt(1 << 24));
    }
}
