package dev.tickeretl.internal.quality;

import dev.tickeretl.RunRecord.DataQualityWarning;
import java.time.LocalDate;
import java.util.Objects;

/** One finding of a check about one ticker (and day, when it has one), before it is placed in a file or a run. */
public record Issue(QualityCheck check, String ticker, LocalDate tradingDate, String message) {

    public Issue {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(message, "message");
    }

    /** As a run record lists it. */
    public DataQualityWarning toWarning() {
        return new DataQualityWarning(check.name(), check.severity(), ticker, tradingDate, message);
    }
}
