package dev.tickeretl.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.tickeretl.Timespan;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code state/offsets/timespan=T/adjusted=A.json}: per ticker of one dataset, the source's last committed offset
 * and the coverage of upstream answers. One file per dataset, updated atomically by whichever run commits, so a
 * commit of thousands of partitions is one write.
 */
@JsonPropertyOrder({"schema_version", "timespan", "adjusted", "partitions"})
public record OffsetsFile(
        @JsonProperty("schema_version") int schemaVersion,
        @JsonProperty("timespan") Timespan timespan,
        @JsonProperty("adjusted") boolean adjusted,
        @JsonProperty("partitions") Map<String, Progress> partitions) {

    public static final int SCHEMA_VERSION = 1;

    public OffsetsFile {
        partitions = partitions == null ? new TreeMap<>() : new TreeMap<>(partitions);
    }

    static OffsetsFile empty(Timespan timespan, boolean adjusted) {
        return new OffsetsFile(SCHEMA_VERSION, timespan, adjusted, Map.of());
    }

    /** One partition's committed state. */
    @JsonPropertyOrder({"offset", "coverage", "committed_at", "run_id"})
    public record Progress(
            @JsonProperty("offset") Map<String, String> offset,
            @JsonProperty("coverage") List<Coverage.Span> coverage,
            @JsonProperty("committed_at") Instant committedAt,
            @JsonProperty("run_id") String runId) {

        public Progress {
            offset = offset == null ? Map.of() : new TreeMap<>(offset);
            coverage = coverage == null ? List.of() : List.copyOf(coverage);
        }

        static final Progress NONE = new Progress(Map.of(), List.of(), null, null);
    }
}
