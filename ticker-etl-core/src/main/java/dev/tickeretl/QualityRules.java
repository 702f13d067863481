package dev.tickeretl;

/**
 * The thresholds of the data-quality checks that compare a bar with its stored neighbours, for runs
 * ({@link TickerEtl.Builder#qualityRules}) and store checks ({@link StoreCheck.Builder#rules}).
 *
 * @param staleSessions  a ticker is stale when none of the last this many sessions up to the range's end has a bar
 * @param jumpSigmas     a close-to-close log return is a price jump beyond this many standard deviations of the
 *                       recent returns
 * @param jumpSessions   how many recent returns the jump rule measures (it needs at least half of them)
 * @param spikeFactor    a volume spike is a volume above this multiple of the median volume of recent sessions
 * @param spikeSessions  how many recent sessions the spike rule takes the median of (it needs at least half)
 * @param listedPerCheck a run record lists at most this many warnings per check; all of them are counted
 */
public record QualityRules(int staleSessions, double jumpSigmas, int jumpSessions, double spikeFactor,
                           int spikeSessions, int listedPerCheck) {

    /** The most sessions any rule may look back: about a year. */
    public static final int MAX_SESSIONS = 260;

    private static final QualityRules DEFAULTS = new QualityRules(3, 6.0, 20, 10.0, 20, 100);

    /**
     * @throws IllegalArgumentException naming the field when a threshold is out of its range
     */
    public QualityRules {
        requireSessions("stale-sessions", staleSessions, 1);
        requirePositive("jump-sigmas", jumpSigmas);
        requireSessions("jump-sessions", jumpSessions, 2);
        requirePositive("spike-factor", spikeFactor);
        requireSessions("spike-sessions", spikeSessions, 2);
        if (listedPerCheck < 0 || listedPerCheck > 1_000) {
            throw new IllegalArgumentException("listed-per-check: must be between 0 and 1000, got " + listedPerCheck);
        }
    }

    /** Stale after 3 sessions, jumps beyond 6 sigma of 20 returns, spikes above 10x the median of 20 sessions. */
    public static QualityRules defaults() {
        return DEFAULTS;
    }

    public QualityRules withStaleSessions(int sessions) {
        return new QualityRules(sessions, jumpSigmas, jumpSessions, spikeFactor, spikeSessions, listedPerCheck);
    }

    public QualityRules withPriceJump(double sigmas, int sessions) {
        return new QualityRules(staleSessions, sigmas, sessions, spikeFactor, spikeSessions, listedPerCheck);
    }

    public QualityRules withVolumeSpike(double factor, int sessions) {
        return new QualityRules(staleSessions, jumpSigmas, jumpSessions, factor, sessions, listedPerCheck);
    }

    public QualityRules withListedPerCheck(int listed) {
        return new QualityRules(staleSessions, jumpSigmas, jumpSessions, spikeFactor, spikeSessions, listed);
    }

    private static void requireSessions(String field, int value, int min) {
        if (value < min || value > MAX_SESSIONS) {
            throw new IllegalArgumentException(field + ": must be between " + min + " and " + MAX_SESSIONS
                    + " sessions, got " + value);
        }
    }

    private static void requirePositive(String field, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(field + ": must be a positive number, got " + value);
        }
    }
}
