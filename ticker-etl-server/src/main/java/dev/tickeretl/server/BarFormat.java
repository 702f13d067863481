package dev.tickeretl.server;

import dev.tickeretl.Bar;
import dev.tickeretl.internal.PartitionFile;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** How {@code /v1/bars} writes bars. Every format carries the data-contract fields with the contract's values. */
enum BarFormat {
    /** The stored records, one per line: byte for byte what {@code bars --format jsonl} prints. */
    NDJSON("ndjson", "application/x-ndjson") {
        @Override
        byte[] encode(List<Bar> bars) {
            return PartitionFile.encode(bars);
        }
    },
    /** The same records as one JSON array. */
    JSON("json", "application/json") {
        @Override
        byte[] encode(List<Bar> bars) {
            byte[] lines = PartitionFile.encode(bars);
            if (lines.length == 0) {
                return new byte[]{'[', ']'};
            }
            // A JSON line never holds a raw newline (JSON escapes it), so every '\n' ends a record.
            byte[] array = new byte[lines.length + 1];
            array[0] = '[';
            System.arraycopy(lines, 0, array, 1, lines.length);
            for (int i = 1; i < array.length - 1; i++) {
                if (array[i] == '\n') {
                    array[i] = ',';
                }
            }
            array[array.length - 1] = ']';
            return array;
        }
    },
    /** A header of the contract's field names, then one row per bar; null is an empty cell. */
    CSV("csv", "text/csv; charset=utf-8") {
        @Override
        byte[] encode(List<Bar> bars) {
            StringBuilder out = new StringBuilder(64 + bars.size() * 200);
            out.append(CSV_HEADER).append("\r\n");
            for (Bar b : bars) {
                cell(out, b.ticker()).append(',');
                out.append(b.timespan().wireName()).append(',')
                        .append(b.tradingDate()).append(',')
                        .append(b.startMs()).append(',')
                        .append(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(b.startEt())).append(',')
                        .append(DateTimeFormatter.ISO_INSTANT.format(b.startUtc())).append(',')
                        .append(b.open()).append(',')
                        .append(b.high()).append(',')
                        .append(b.low()).append(',')
                        .append(b.close()).append(',')
                        .append(b.volume()).append(',');
                nullable(out, b.vwap()).append(',');
                nullable(out, b.transactions()).append(',');
                out.append(b.adjusted()).append(',');
                nullable(out, b.priorVolume()).append(',');
                // Minute bars may carry no phase (data contract).
                nullable(out, b.phase() == null ? null : b.phase().label()).append(',');
                out.append(b.schemaVersion()).append("\r\n");
            }
            return out.toString().getBytes(StandardCharsets.UTF_8);
        }
    };

    static final String CSV_HEADER = "ticker,timespan,trading_date,start_ms,start_et,start_utc,open,high,low,close,"
            + "volume,vwap,transactions,adjusted,prior_volume,phase,schema_version";

    private final String wireName;
    private final String contentType;

    BarFormat(String wireName, String contentType) {
        this.wireName = wireName;
        this.contentType = contentType;
    }

    String wireName() {
        return wireName;
    }

    String contentType() {
        return contentType;
    }

    abstract byte[] encode(List<Bar> bars);

    private static StringBuilder nullable(StringBuilder out, Object value) {
        return value == null ? out : cell(out, value.toString());
    }

    /** RFC 4180: quote a cell holding a comma, quote or line break. */
    private static StringBuilder cell(StringBuilder out, String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0
                && value.indexOf('\r') < 0) {
            return out.append(value);
        }
        return out.append('"').append(value.replace("\"", "\"\"")).append('"');
    }
}
