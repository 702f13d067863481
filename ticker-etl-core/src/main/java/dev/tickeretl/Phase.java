package dev.tickeretl;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The market phase a bar is tagged with; the JSON form is the brief's capitalised name. */
public enum Phase {
    BULL("Bull"),
    BEAR("Bear"),
    NEUTRAL("Neutral");

    private final String label;

    Phase(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }

    @JsonCreator
    public static Phase fromLabel(String label) {
        for (Phase p : values()) {
            if (p.label.equals(label)) {
                return p;
            }
        }
        throw new IllegalArgumentException("phase: expected Bull, Bear or Neutral, got '" + label + "'");
    }
}
