package dev.tickeretl.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The page's static files, from this jar. Only the names listed here can be served: no part of a request path is
 * ever used to look up a resource or a file.
 */
final class Assets {

    /** A file of the page: where it lives in the jar, its media type, and how long browsers may keep it. */
    record Asset(String resource, String contentType, String cacheControl) {
    }

    static final String LIBRARY = "web/echarts/dist/echarts.min.js";

    private static final Map<String, Asset> BY_PATH = Map.of(
            "/", new Asset("web/index.html", "text/html; charset=utf-8", "no-cache"),
            "/index.html", new Asset("web/index.html", "text/html; charset=utf-8", "no-cache"),
            "/assets/app.js", new Asset("web/app.js", "text/javascript; charset=utf-8", "no-cache"),
            "/assets/style.css", new Asset("web/style.css", "text/css; charset=utf-8", "no-cache"),
            "/assets/echarts.min.js", new Asset(LIBRARY, "text/javascript; charset=utf-8", "public, max-age=86400"),
            "/assets/echarts-LICENSE.txt", new Asset("web/echarts/LICENSE", "text/plain; charset=utf-8",
                    "public, max-age=86400"),
            "/assets/echarts-LICENSE-d3.txt", new Asset("web/echarts/licenses/LICENSE-d3",
                    "text/plain; charset=utf-8", "public, max-age=86400"));

    private static final Map<String, byte[]> CACHE = new ConcurrentHashMap<>();
    private static final Map<String, String> ETAGS = new ConcurrentHashMap<>();

    private Assets() {
    }

    /** The asset served at {@code path}, or null. */
    static Asset at(String path) {
        return BY_PATH.get(path);
    }

    /** The bytes of a resource next to this class, read once. */
    static byte[] bytes(String resource) {
        return CACHE.computeIfAbsent(resource, r -> {
            try (InputStream in = Assets.class.getResourceAsStream(r)) {
                if (in == null) {
                    throw new IllegalStateException("resource " + r + " is missing from the ticker-etl-server jar");
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read resource " + r, e);
            }
        });
    }

    /** The entity tag of a resource, computed once (the library is 1 MB). */
    static String etag(String resource) {
        return ETAGS.computeIfAbsent(resource, r -> ETags.of(bytes(r)));
    }

    static String text(String resource) {
        return new String(bytes(resource), java.nio.charset.StandardCharsets.UTF_8);
    }
}
