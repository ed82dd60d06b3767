package net.rampart.server.config;

import java.time.Duration;

/**
 * The feature tables of routes and sessions (see docs/learning.md, "Features").
 *
 * @param scheduled whether the service refreshes them by itself ({@code RAMPART_FEATURES}); a
 *                  refresh on request ({@code ./rampart features materialize}) works either way
 * @param interval  how often it does ({@code RAMPART_FEATURES_INTERVAL})
 */
public record FeatureConfig(boolean scheduled, Duration interval) {

    public static final String ENABLED = "RAMPART_FEATURES";
    public static final String INTERVAL = "RAMPART_FEATURES_INTERVAL";

    public static FeatureConfig from(Settings settings) throws ConfigException {
        return new FeatureConfig(settings.bool(ENABLED, true),
                settings.duration(INTERVAL, Duration.ofMinutes(5), Duration.ofSeconds(10), Duration.ofDays(1)));
    }
}
