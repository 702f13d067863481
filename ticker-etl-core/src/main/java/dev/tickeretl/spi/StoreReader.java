package dev.tickeretl.spi;

import dev.tickeretl.Bar;
import dev.tickeretl.RunRecord;
import dev.tickeretl.Timespan;
import java.time.LocalDate;
import java.util.List;

/** The read side of a store. Never sees a half-written file or object. */
public interface StoreReader {

    /** Stored bars of one ticker whose trading date is in [from, to], in time order; empty when none. */
    List<Bar> read(String ticker, Timespan timespan, LocalDate from, LocalDate to);

    /** Every run record, newest first. */
    List<RunRecord> runs();
}
