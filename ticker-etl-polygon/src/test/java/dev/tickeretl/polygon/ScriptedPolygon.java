package dev.tickeretl.polygon;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * A MockWebServer dispatcher that answers by route (the ticker of a per-ticker path, the date of a grouped path, or
 * a cursor), so that concurrent workers get their own scripted answers whatever order they arrive in.
 * When a route's script runs out, its last answer repeats ("always 503"), or 500 when nothing was scripted.
 */
final class ScriptedPolygon extends Dispatcher {

    /** One request as the server saw it, with its arrival time. */
    record Arrival(String route, String target, String authorization, long nanoTime) {
    }

    private final Map<String, ConcurrentLinkedDeque<Supplier<MockResponse>>> scripts = new ConcurrentHashMap<>();
    private final Map<String, Supplier<MockResponse>> lastAnswers = new ConcurrentHashMap<>();
    private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();

    ScriptedPolygon answer(String route, MockResponse... responses) {
        for (MockResponse response : responses) {
            answer(route, () -> response);
        }
        return this;
    }

    ScriptedPolygon answer(String route, Supplier<MockResponse> response) {
        scripts.computeIfAbsent(route, r -> new ConcurrentLinkedDeque<>()).add(response);
        return this;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String target = request.getTarget();
        String route = route(target);
        arrivals.add(new Arrival(route, target, request.getHeaders().get("Authorization"), System.nanoTime()));
        ConcurrentLinkedDeque<Supplier<MockResponse>> script = scripts.get(route);
        Supplier<MockResponse> next = script == null ? null : script.pollFirst();
        if (next != null) {
            lastAnswers.put(route, next);
        } else {
            next = lastAnswers.getOrDefault(route,
                    () -> new MockResponse.Builder().code(500).body("no answer scripted for " + route).build());
        }
        return next.get();
    }

    /** {@code cursor=X} → X; {@code /ticker/AAPL/} → AAPL; {@code /stocks/2024-01-02} → 2024-01-02. */
    static String route(String target) {
        int cursor = target.indexOf("cursor=");
        if (cursor >= 0) {
            int end = target.indexOf('&', cursor);
            return target.substring(cursor + 7, end < 0 ? target.length() : end);
        }
        int ticker = target.indexOf("/ticker/");
        if (ticker >= 0) {
            int start = ticker + 8;
            return target.substring(start, target.indexOf('/', start));
        }
        int stocks = target.indexOf("/stocks/");
        if (stocks >= 0) {
            int start = stocks + 8;
            int end = target.indexOf('?', start);
            return target.substring(start, end < 0 ? target.length() : end);
        }
        return target;
    }

    List<Arrival> arrivals() {
        return Collections.unmodifiableList(new ArrayList<>(arrivals));
    }

    List<Arrival> arrivals(String route) {
        return arrivals.stream().filter(a -> a.route().equals(route)).toList();
    }
}
