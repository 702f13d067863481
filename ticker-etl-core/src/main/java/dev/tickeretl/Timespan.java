package dev.tickeretl;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The length of one aggregate window. Its {@link #wireName()} is what the data contract and Polygon's URLs use. */
public enum Timespan {
    DAY("day"),
    MINUTE("minute");

    private final String wireName;

    Timespan(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static Timespan fromWireName(String name) {
        for (Timespan t : values()) {
            if (t.wireName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("timespan: expected 'day' or 'minute', got '" + name + "'");
    }
}
