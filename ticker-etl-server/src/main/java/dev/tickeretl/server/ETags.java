package dev.tickeretl.server;

import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * Entity tags computed from a response's bytes, so a tag is right however the data came to change (a corrected
 * bar re-ingested years later included). Two CRCs with different polynomials plus the length: both run at memory
 * speed on this JDK, where a cryptographic digest would cost a noticeable part of a large answer.
 */
final class ETags {

    private ETags() {
    }

    static String of(byte[] body) {
        CRC32C c = new CRC32C();
        c.update(body);
        CRC32 d = new CRC32();
        d.update(body);
        return String.format("\"%08x%08x-%x\"", c.getValue(), d.getValue(), body.length);
    }

    /** Whether an If-None-Match header names {@code etag} (weak comparison, as RFC 9110 asks for this header). */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*")) {
                return true;
            }
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
