package dev.tickeretl.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.tickeretl.MarketTime;
import dev.tickeretl.TradingCalendar;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What upstream has answered for one partition, as trading-date spans with the time of the answer. A day answered
 * with no bar has none upstream (before the listing, a halt, a gap), so an incremental run does not ask again.
 *
 * <p>An answer can still change until the day has <em>settled</em>: late trades and corrections are folded into
 * Polygon's aggregates after the session (the extended session runs to 20:00 New York), so an answer given before
 * {@link #SETTLE} after the session's close is asked for again. After that it is final for our purposes; a later
 * correction upstream is picked up by a full (non-incremental) run of the range.
 */
public final class Coverage {

    /** How long after a session's close an answer for it is final. */
    public static final Duration SETTLE = Duration.ofHours(12);

    private static final LocalTime REGULAR_CLOSE = LocalTime.of(16, 0);

    private Coverage() {
    }

    /** Trading dates [from, to] that upstream answered at {@code answeredAt}. */
    @JsonPropertyOrder({"from", "to", "answered_at"})
    public record Span(@JsonProperty("from") LocalDate from, @JsonProperty("to") LocalDate to,
                       @JsonProperty("answered_at") Instant answeredAt) {
        public Span {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(answeredAt, "answered_at");
        }

        boolean contains(LocalDate day) {
            return !day.isBefore(from) && !day.isAfter(to);
        }
    }

    /** Whether an answer for {@code day} given at {@code answeredAt} can no longer change. */
    public static boolean settled(TradingCalendar calendar, LocalDate day, Instant answeredAt) {
        Instant close = calendar.session(day)
                .map(s -> s.close().toInstant())
                .orElseGet(() -> day.atTime(REGULAR_CLOSE).atZone(MarketTime.ZONE).toInstant());
        return !answeredAt.isBefore(close.plus(SETTLE));
    }

    /** Whether {@code day} has a settled answer in {@code spans}. */
    public static boolean answered(List<Span> spans, LocalDate day, TradingCalendar calendar) {
        for (Span s : spans) {
            // A span whose last day has settled has settled throughout (earlier sessions close earlier).
            if (s.contains(day) && (settled(calendar, s.to(), s.answeredAt())
                    || settled(calendar, day, s.answeredAt()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code spans} with {@code added} laid over them (the newer answer wins for the days it covers), in date order,
     * adjacent settled spans joined so a partition's coverage stays a span or two however many runs added to it.
     * Spans are adjacent when no trading day lies between them.
     */
    public static List<Span> add(List<Span> spans, Span added, TradingCalendar calendar) {
        List<Span> out = new ArrayList<>();
        for (Span s : spans) {
            if (s.to().isBefore(added.from()) || s.from().isAfter(added.to())) {
                out.add(s);
                continue;
            }
            if (s.from().isBefore(added.from())) {
                out.add(new Span(s.from(), added.from().minusDays(1), s.answeredAt()));
            }
            if (s.to().isAfter(added.to())) {
                out.add(new Span(added.to().plusDays(1), s.to(), s.answeredAt()));
            }
        }
        out.add(added);
        out.sort(Comparator.comparing(Span::from));
        List<Span> joined = new ArrayList<>();
        for (Span s : out) {
            Span last = joined.isEmpty() ? null : joined.get(joined.size() - 1);
            if (last != null && adjacent(last, s, calendar) && joinable(last, s, calendar)) {
                Instant latest = last.answeredAt().isAfter(s.answeredAt()) ? last.answeredAt() : s.answeredAt();
                joined.set(joined.size() - 1, new Span(last.from(), s.to(), latest));
            } else {
                joined.add(s);
            }
        }
        return joined;
    }

    private static boolean adjacent(Span a, Span b, TradingCalendar calendar) {
        LocalDate after = a.to().plusDays(1);
        LocalDate before = b.from().minusDays(1);
        return !after.isAfter(b.from()) && (after.isAfter(before) || calendar.countTradingDays(after, before) == 0);
    }

    /**
     * Joining keeps the later answer time for the whole span, which is only harmless when every day of both is
     * settled already (the last day of a span settles last), or when both answers came at the same time.
     */
    private static boolean joinable(Span a, Span b, TradingCalendar calendar) {
        return a.answeredAt().equals(b.answeredAt())
                || settled(calendar, a.to(), a.answeredAt()) && settled(calendar, b.to(), b.answeredAt());
    }
}
