package dev.tickeretl.cli;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where the store is; shared by every command. */
final class StoreOptions {

    @Option(names = "--store", paramLabel = "URI", defaultValue = "file:./data",
            description = "Store location: file:./data, s3://bucket/prefix (default: ${DEFAULT-VALUE}).")
    String store;

    @Option(names = "--s3-endpoint", paramLabel = "URL",
            description = "S3-compatible endpoint (implies path-style access), e.g. http://127.0.0.1:9000.")
    String s3Endpoint;

    @Option(names = "--s3-region", paramLabel = "REGION", description = "S3 region (default: the AWS SDK's chain).")
    String s3Region;

    URI uri() {
        try {
            return new URI(store);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("store: '" + store + "' is not a URI or path: " + e.getReason());
        }
    }

    Map<String, String> options() {
        Map<String, String> options = new LinkedHashMap<>();
        if (s3Endpoint != null) {
            options.put("s3-endpoint", s3Endpoint);
        }
        if (s3Region != null) {
            options.put("s3-region", s3Region);
        }
        return options;
    }
}
