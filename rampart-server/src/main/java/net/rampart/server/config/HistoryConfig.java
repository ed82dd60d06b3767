package net.rampart.server.config;

import java.time.Duration;

/**
 * How collected routes reach PostgreSQL.
 *
 * @param batchSize          events per COPY batch ({@code RAMPART_HISTORY_BATCH_SIZE})
 * @param maxDelay           longest an event waits for its batch ({@code RAMPART_HISTORY_MAX_DELAY})
 * @param spoolBudgetBytes   disk the spool may use while the database is slow or down ({@code RAMPART_HISTORY_SPOOL_MB})
 * @param routeRetention     how long route history is kept ({@code RAMPART_ROUTE_RETENTION})
 * @param peerEventRetention how long peer events and statistics are kept ({@code RAMPART_PEER_EVENT_RETENTION})
 * @param checkpointInterval how often current routes are merged from history
 *                           ({@code RAMPART_HISTORY_CHECKPOINT_INTERVAL})
 */
public record HistoryConfig(int batchSize, Duration maxDelay, long spoolBudgetBytes, Duration routeRetention,
                            Duration peerEventRetention, Duration checkpointInterval) {

    public static final String BATCH_SIZE = "RAMPART_HISTORY_BATCH_SIZE";
    public static final String MAX_DELAY = "RAMPART_HISTORY_MAX_DELAY";
    public static final String SPOOL_MB = "RAMPART_HISTORY_SPOOL_MB";
    public static final String ROUTE_RETENTION = "RAMPART_ROUTE_RETENTION";
    public static final String PEER_EVENT_RETENTION = "RAMPART_PEER_EVENT_RETENTION";
    public static final String CHECKPOINT_INTERVAL = "RAMPART_HISTORY_CHECKPOINT_INTERVAL";

    public static HistoryConfig from(Settings settings) throws ConfigException {
        return new HistoryConfig(
                settings.integer(BATCH_SIZE, 10_000, 1, 1_000_000),
                settings.duration(MAX_DELAY, Duration.ofMillis(500), Duration.ofMillis(1), Duration.ofMinutes(1)),
                settings.integer(SPOOL_MB, 2048, 64, 1_048_576) * 1024L * 1024L,
                settings.duration(ROUTE_RETENTION, Duration.ofDays(1826), Duration.ofDays(1), Duration.ofDays(36_500)),
                settings.duration(PEER_EVENT_RETENTION, Duration.ofDays(183), Duration.ofDays(1), Duration.ofDays(36_500)),
                settings.duration(CHECKPOINT_INTERVAL, Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofHours(1)));
    }
}
