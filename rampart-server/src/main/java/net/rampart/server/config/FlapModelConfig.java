package net.rampart.server.config;

import java.time.Duration;
import java.util.Optional;
import net.rampart.learn.flap.FlapDataset;

/**
 * Flap prediction (see docs/learning.md, "Flap prediction").
 *
 * @param trainingWindow how much history a training replays ({@code RAMPART_ML_TRAINING_WINDOW}); its
 *                       first day only warms the features up, its last quarter is the held-out test
 * @param schedule       how often the service trains by itself, counted from its start; empty ({@code off})
 *                       for only on request ({@code RAMPART_ML_SCHEDULE})
 * @param flap           what a route's flap is: {@code RAMPART_FLAP_CHANGES} state changes within {@code RAMPART_FLAP_WINDOW}
 * @param sessionFlap    what a session's flap is: {@code RAMPART_SESSION_FLAP_CHANGES} ups and downs within the
 *                       same window (2 by default: a session reset, down and up again)
 */
public record FlapModelConfig(Duration trainingWindow, Optional<Duration> schedule, FlapDataset.FlapDefinition flap,
                              FlapDataset.FlapDefinition sessionFlap) {

    public static final String TRAINING_WINDOW = "RAMPART_ML_TRAINING_WINDOW";
    public static final String SCHEDULE = "RAMPART_ML_SCHEDULE";
    public static final String FLAP_WINDOW = "RAMPART_FLAP_WINDOW";
    public static final String FLAP_CHANGES = "RAMPART_FLAP_CHANGES";
    public static final String SESSION_FLAP_CHANGES = "RAMPART_SESSION_FLAP_CHANGES";

    public static FlapModelConfig from(Settings settings) throws ConfigException {
        Duration window = settings.duration(TRAINING_WINDOW, Duration.ofDays(14), Duration.ofDays(2),
                Duration.ofDays(366));
        Optional<Duration> schedule = settings.text(SCHEDULE).filter("off"::equals).isPresent() ? Optional.empty()
                : Optional.of(settings.duration(SCHEDULE, Duration.ofDays(1), Duration.ofMinutes(10), Duration.ofDays(366)));
        Duration flapWindow = settings.duration(FLAP_WINDOW, Duration.ofHours(1), Duration.ofMinutes(5),
                Duration.ofDays(1));
        int changes = settings.integer(FLAP_CHANGES, 3, 1, 1000);
        int sessionChanges = settings.integer(SESSION_FLAP_CHANGES, 2, 1, 1000);
        return new FlapModelConfig(window, schedule, new FlapDataset.FlapDefinition(flapWindow, changes),
                new FlapDataset.FlapDefinition(flapWindow, sessionChanges));
    }
}
