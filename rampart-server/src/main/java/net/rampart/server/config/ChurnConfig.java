package net.rampart.server.config;

import java.time.Duration;
import java.util.Optional;

/**
 * Churn anomalies (see docs/learning.md, "Churn anomalies"): per router, peer and prefix group,
 * the update rate counted per minute and judged against its daily and weekly shape.
 *
 * @param enabled    whether the route events are counted and judged at all ({@code RAMPART_CHURN_ANOMALIES})
 * @param threshold  the residual test's cut-off in MAD-sigmas ({@code RAMPART_CHURN_THRESHOLD})
 * @param history    how much of each scope's series is kept and judged ({@code RAMPART_CHURN_HISTORY})
 * @param minHistory how long a scope is counted before its minutes are judged ({@code RAMPART_CHURN_MIN_HISTORY})
 * @param interval   how often the detector runs over every scope ({@code RAMPART_CHURN_INTERVAL})
 */
public record ChurnConfig(boolean enabled, double threshold, Duration history, Duration minHistory,
                          Duration interval) {

    public static final String ENABLED = "RAMPART_CHURN_ANOMALIES";
    public static final String THRESHOLD = "RAMPART_CHURN_THRESHOLD";
    public static final String HISTORY = "RAMPART_CHURN_HISTORY";
    public static final String MIN_HISTORY = "RAMPART_CHURN_MIN_HISTORY";
    public static final String INTERVAL = "RAMPART_CHURN_INTERVAL";

    private static final double MIN_THRESHOLD = 1;
    private static final double MAX_THRESHOLD = 100;

    public static ChurnConfig from(Settings settings) throws ConfigException {
        boolean enabled = settings.bool(ENABLED, false);
        double threshold = threshold(settings);
        Duration history = settings.duration(HISTORY, Duration.ofDays(28), Duration.ofDays(1), Duration.ofDays(56));
        Duration minHistory = settings.duration(MIN_HISTORY, Duration.ofDays(3), Duration.ofHours(1),
                Duration.ofDays(56));
        if (minHistory.compareTo(history) > 0) {
            throw new ConfigException(MIN_HISTORY, "is longer than the history kept (" + HISTORY + ")");
        }
        Duration interval = settings.duration(INTERVAL, Duration.ofMinutes(1), Duration.ofMinutes(1),
                Duration.ofHours(1));
        if (interval.toSeconds() % 60 != 0) {
            throw new ConfigException(INTERVAL, "must be whole minutes: the series counts per minute");
        }
        return new ChurnConfig(enabled, threshold, history, minHistory, interval);
    }

    private static double threshold(Settings settings) throws ConfigException {
        Optional<String> value = settings.text(THRESHOLD);
        if (value.isEmpty()) {
            return 5.0;
        }
        try {
            // Plain decimals only: Java would also read 5d, 0x5p0 or NaN.
            if (!value.get().matches("[0-9]{1,3}(\\.[0-9]{1,6})?")) {
                throw new NumberFormatException(value.get());
            }
            double threshold = Double.parseDouble(value.get());
            if (threshold >= MIN_THRESHOLD && threshold <= MAX_THRESHOLD) {
                return threshold;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(THRESHOLD, "'" + value.get() + "' is not a number from 1 to 100 (MAD-sigmas)");
    }

    /** Minutes each scope's series holds. */
    public int historyMinutes() {
        return Math.toIntExact(history.toMinutes());
    }

    public int minHistoryMinutes() {
        return Math.toIntExact(minHistory.toMinutes());
    }

    public int intervalMinutes() {
        return Math.toIntExact(interval.toMinutes());
    }
}
