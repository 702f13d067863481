package dev.tickeretl.simulator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The most recent answered requests (bounded, so soak runs do not grow memory) and a total count. */
final class RequestJournal {

    private final int capacity;
    private final ArrayDeque<RecordedRequest> entries = new ArrayDeque<>();
    private int total;

    RequestJournal(int capacity) {
        this.capacity = capacity;
    }

    synchronized void append(RecordedRequest request) {
        if (entries.size() == capacity) {
            entries.removeFirst();
        }
        entries.addLast(request);
        total++;
    }

    /** In arrival order (answers may complete out of order under concurrency). */
    synchronized List<RecordedRequest> snapshot() {
        List<RecordedRequest> copy = new ArrayList<>(entries);
        copy.sort(Comparator.comparingLong(RecordedRequest::sequence));
        return List.copyOf(copy);
    }

    synchronized int total() {
        return total;
    }

    synchronized void clear() {
        entries.clear();
        total = 0;
    }
}
