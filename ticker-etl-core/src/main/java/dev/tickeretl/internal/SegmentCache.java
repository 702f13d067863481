package dev.tickeretl.internal;

import dev.tickeretl.Bar;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decoded segments by path, least recently used first out, bounded by the number of bars held. Safe because a
 * segment's bytes never change: it is written once under a unique name and later only deleted.
 */
final class SegmentCache {

    private final int maxBars;
    private final LinkedHashMap<String, Map<String, List<Bar>>> entries = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, Integer> sizes = new LinkedHashMap<>();
    private long bars;

    SegmentCache(int maxBars) {
        this.maxBars = maxBars;
    }

    synchronized Map<String, List<Bar>> get(String path) {
        return entries.get(path);
    }

    synchronized void put(String path, Map<String, List<Bar>> byTicker) {
        int size = 0;
        for (List<Bar> l : byTicker.values()) {
            size += l.size();
        }
        if (size > maxBars) {
            return;
        }
        remove(path);
        entries.put(path, byTicker);
        sizes.put(path, size);
        bars += size;
        Iterator<Map.Entry<String, Map<String, List<Bar>>>> eldest = entries.entrySet().iterator();
        while (bars > maxBars && eldest.hasNext()) {
            String evicted = eldest.next().getKey();
            eldest.remove();
            bars -= sizes.remove(evicted);
        }
    }

    synchronized void remove(String path) {
        if (entries.remove(path) != null) {
            bars -= sizes.remove(path);
        }
    }

    /** Forgets segments that are no longer listed (compacted by another process). */
    synchronized void retainOnly(Collection<String> listed) {
        Set<String> keep = new HashSet<>(listed);
        for (Iterator<String> it = entries.keySet().iterator(); it.hasNext(); ) {
            String path = it.next();
            if (!keep.contains(path)) {
                it.remove();
                bars -= sizes.remove(path);
            }
        }
    }

    synchronized long bars() {
        return bars;
    }
}
