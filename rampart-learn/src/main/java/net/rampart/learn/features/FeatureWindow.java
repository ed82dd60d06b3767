package net.rampart.learn.features;

/** The trailing windows that event counts are taken over: (asOf - length, asOf]. */
public enum FeatureWindow {
    FIVE_MINUTES("5m", 5 * 60_000L),
    HOUR("1h", 3_600_000L),
    DAY("24h", 86_400_000L);

    /** The longest window: events older than this before the newest one are no longer needed. */
    public static final long LONGEST_MILLIS = DAY.millis;

    private final String suffix;
    private final long millis;

    FeatureWindow(String suffix, long millis) {
        this.suffix = suffix;
        this.millis = millis;
    }

    /** How a feature name ends for this window: {@code 5m}, {@code 1h}, {@code 24h}. */
    public String suffix() {
        return suffix;
    }

    public long millis() {
        return millis;
    }
}
