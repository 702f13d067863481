package dev.tickeretl.cli;

import dev.tickeretl.Store;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where the store is; shared by every command. */
final class StoreOptions {

    @Option(names = "--store", paramLabel = "LOCATION", defaultValue = "file:./data",
            description = "Where the store is: a directory path, taken literally (spaces, ?, # and %% are part of "
                    + "the name), file:URI or s3://bucket/prefix (default: ${DEFAULT-VALUE}).")
    String store;

    @Option(names = "--s3-endpoint", paramLabel = "URL",
            description = "S3-compatible endpoint (implies path-style access), e.g. http://127.0.0.1:9000.")
    String s3Endpoint;

    @Option(names = "--s3-region", paramLabel = "REGION", description = "S3 region (default: the AWS SDK's chain).")
    String s3Region;

    /** The store's URI; a malformed location is a usage error naming {@code store}. */
    URI uri() {
        return Store.location(store);
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
