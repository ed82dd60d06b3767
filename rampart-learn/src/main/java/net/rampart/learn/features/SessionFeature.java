package net.rampart.learn.features;

import java.util.List;

/**
 * The features of one BGP session (a peer of a router), in the order of a feature vector. Each
 * name is also the column of {@code session_feature} and the key in the API's answers.
 */
public enum SessionFeature {
    UPS_5M("ups_5m"),
    UPS_1H("ups_1h"),
    UPS_24H("ups_24h"),
    DOWNS_5M("downs_5m"),
    DOWNS_1H("downs_1h"),
    DOWNS_24H("downs_24h"),
    STATE_CHANGES_5M("state_changes_5m"),
    STATE_CHANGES_1H("state_changes_1h"),
    STATE_CHANGES_24H("state_changes_24h"),
    UP("up"),
    UPTIME_SECONDS("uptime_seconds"),
    SECONDS_SINCE_CHANGE("seconds_since_change"),
    AGE_SECONDS("age_seconds"),
    /** Times the session went down since it was first seen. */
    DOWNS("downs"),
    /** Up time per time down; missing (NaN) before it first went down. */
    MTBF_SECONDS("mtbf_seconds"),
    FIGURE_OF_MERIT("figure_of_merit");

    private static final List<SessionFeature> ALL = List.of(values());

    private final String column;

    SessionFeature(String column) {
        this.column = column;
    }

    public String column() {
        return column;
    }

    public static List<SessionFeature> all() {
        return ALL;
    }

    public static int count() {
        return ALL.size();
    }
}
