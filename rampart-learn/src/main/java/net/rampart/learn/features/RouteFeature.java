package net.rampart.learn.features;

import java.util.List;

/**
 * The features of one route (prefix, peer, RIB view, path ID), in the order of a feature vector.
 * Each name is also the column of {@code route_feature} and the key in the API's answers.
 */
public enum RouteFeature {
    ANNOUNCEMENTS_5M("announcements_5m"),
    ANNOUNCEMENTS_1H("announcements_1h"),
    ANNOUNCEMENTS_24H("announcements_24h"),
    WITHDRAWALS_5M("withdrawals_5m"),
    WITHDRAWALS_1H("withdrawals_1h"),
    WITHDRAWALS_24H("withdrawals_24h"),
    PATH_CHANGES_5M("path_changes_5m"),
    PATH_CHANGES_1H("path_changes_1h"),
    PATH_CHANGES_24H("path_changes_24h"),
    STATE_CHANGES_5M("state_changes_5m"),
    STATE_CHANGES_1H("state_changes_1h"),
    STATE_CHANGES_24H("state_changes_24h"),
    /** AS path length of the last announcement; missing (NaN) when the route was never seen announced. */
    PATH_LENGTH("path_length"),
    PATH_LENGTH_VARIANCE("path_length_variance"),
    NEXT_HOPS_24H("next_hops_24h"),
    WITHDRAWN("withdrawn"),
    SECONDS_SINCE_CHANGE("seconds_since_change"),
    AGE_SECONDS("age_seconds"),
    FAILURES("failures"),
    /** Announced time per withdrawal; missing (NaN) before the first withdrawal. */
    MTBF_SECONDS("mtbf_seconds"),
    FIGURE_OF_MERIT("figure_of_merit");

    private static final List<RouteFeature> ALL = List.of(values());

    private final String column;

    RouteFeature(String column) {
        this.column = column;
    }

    /** The feature's name: the table's column and the API's key. */
    public String column() {
        return column;
    }

    public static List<RouteFeature> all() {
        return ALL;
    }

    public static int count() {
        return ALL.size();
    }
}
