package dev.tickeretl.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.math.BigDecimal;

/** JSON as Polygon writes it, shared by the REST answers and the WebSocket events. */
final class PolygonJson {

    // Streaming only: the simulator needs no ObjectMapper, which would cost a few hundred classes at start-up.
    static final JsonFactory FACTORY = new JsonFactory();

    private PolygonJson() {
    }

    // Numbers as Polygon's Go encoder writes them: shortest plain decimal, whole values without ".0"
    // (135647456, 25933.6, 26), never exponent notation such as 1.35647456E8.
    static void writeNumber(JsonGenerator gen, String field, double value) throws IOException {
        gen.writeFieldName(field);
        if (!Double.isFinite(value)) {
            gen.writeNumber(value); // only an override can produce this; Jackson quotes it, as a broken upstream might
        } else {
            gen.writeNumber(plain(value));
        }
    }

    /** A finite number as Polygon writes it (see {@link #writeNumber}). */
    static String plain(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        // BigDecimal.valueOf uses Double.toString's digits, so without an exponent the two agree; the BigDecimal
        // detour is only needed to expand an exponent, and costs far more.
        String text = Double.toString(value);
        return text.indexOf('E') < 0 ? text : BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
