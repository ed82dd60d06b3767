package net.rampart.server.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import net.rampart.rpki.RpkiUpdater;
import net.rampart.rpki.rtr.RtrTimers;
import net.rampart.rpki.source.VrpSource;

/**
 * The validate area's settings (see docs/configuration.md and docs/rpki.md).
 *
 * @param sources        where VRPs come from; empty means no polling
 * @param pollInterval   time between polls of every source
 * @param fetchTimeout   limit on one source fetch
 * @param slurmFiles     local exception files, applied after the union of the sources
 * @param policy         how much a fetch may shrink and how old data may be before it is stale
 * @param retainedDeltas serial history kept for incremental RTR answers and diffs
 * @param rtrTimers      refresh, retry and expire told to routers in End of Data
 * @param readyRequiresFreshData whether stale data makes {@code /health/ready} answer 503; by
 *                       default it only shows as degraded, since collection, the API and
 *                       mitigation still serve
 */
public record RpkiConfig(List<VrpSource> sources, Duration pollInterval, Duration fetchTimeout, List<Path> slurmFiles,
        RpkiUpdater.Policy policy, int retainedDeltas, RtrTimers rtrTimers, boolean readyRequiresFreshData) {

    public static final String SOURCES = "RAMPART_RPKI_SOURCES";
    public static final String POLL_INTERVAL = "RAMPART_RPKI_POLL_INTERVAL";
    public static final String FETCH_TIMEOUT = "RAMPART_RPKI_FETCH_TIMEOUT";
    public static final String SLURM_FILES = "RAMPART_RPKI_SLURM_FILES";
    public static final String MAX_SHRINK_PERCENT = "RAMPART_RPKI_MAX_SHRINK_PERCENT";
    public static final String MAX_DATA_AGE = "RAMPART_RPKI_MAX_DATA_AGE";
    public static final String HISTORY_SIZE = "RAMPART_RPKI_HISTORY_SIZE";
    public static final String RTR_REFRESH = "RAMPART_RTR_REFRESH";
    public static final String RTR_RETRY = "RAMPART_RTR_RETRY";
    public static final String RTR_EXPIRE = "RAMPART_RTR_EXPIRE";
    public static final String READY_REQUIRES_FRESH = "RAMPART_READY_REQUIRES_FRESH_RPKI";

    public static RpkiConfig from(Settings settings) throws ConfigException {
        Duration fetchTimeout = settings.duration(FETCH_TIMEOUT, Duration.ofSeconds(60), Duration.ofSeconds(1),
                Duration.ofMinutes(30));
        List<VrpSource> sources;
        try {
            sources = VrpSource.parseList(settings.text(SOURCES, ""), fetchTimeout);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(SOURCES, e.getMessage());
        }
        List<Path> slurm = new ArrayList<>();
        for (String f : settings.text(SLURM_FILES, "").split(",")) {
            if (f.isBlank()) {
                continue;
            }
            Path p = Path.of(f.strip()).toAbsolutePath().normalize();
            if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
                throw new ConfigException(SLURM_FILES, p + " is not a readable file");
            }
            slurm.add(p);
        }
        Duration poll = settings.duration(POLL_INTERVAL, Duration.ofSeconds(600), Duration.ofSeconds(1),
                Duration.ofDays(1));
        int shrink = settings.integer(MAX_SHRINK_PERCENT, 50, 1, 100);
        Duration maxAge = settings.duration(MAX_DATA_AGE, Duration.ofHours(24), Duration.ofMinutes(1),
                Duration.ofDays(30));
        int history = settings.integer(HISTORY_SIZE, 100, 1, 10_000);
        int refresh = settings.integer(RTR_REFRESH, 3600, 1, 86400);
        int retry = settings.integer(RTR_RETRY, 600, 1, 7200);
        int expire = settings.integer(RTR_EXPIRE, 7200, 600, 172800);
        if (expire <= refresh || expire <= retry) {
            throw new ConfigException(RTR_EXPIRE, expire + " must be larger than " + RTR_REFRESH + " and "
                    + RTR_RETRY + " (RFC 8210 section 6)");
        }
        return new RpkiConfig(sources, poll, fetchTimeout, List.copyOf(slurm),
                new RpkiUpdater.Policy(shrink / 100.0, maxAge), history, new RtrTimers(refresh, retry, expire),
                settings.bool(READY_REQUIRES_FRESH, false));
    }
}
