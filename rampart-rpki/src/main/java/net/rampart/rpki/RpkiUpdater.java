package net.rampart.rpki;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.rampart.rpki.slurm.SlurmFiles;
import net.rampart.rpki.source.SourceData;
import net.rampart.rpki.source.VrpSource;

/**
 * Turns the sources into the served payload: fetches every source, keeps each source's
 * last good data when a fetch fails or looks wrong (empty, or shrunk by more than the
 * allowed fraction), takes the union, applies SLURM and publishes the result to the
 * history, which moves the serial only when the content changed.
 */
public final class RpkiUpdater {

    private static final Logger log = LoggerFactory.getLogger(RpkiUpdater.class);

    /** Limits on what a fetch may look like before it is trusted. */
    public record Policy(double maxShrinkFraction, Duration maxDataAge) {
        public Policy {
            if (maxShrinkFraction <= 0 || maxShrinkFraction > 1) {
                throw new IllegalArgumentException("shrink fraction must be in (0, 1]");
            }
        }

        public static final Policy DEFAULT = new Policy(0.5, Duration.ofHours(24));
    }

    /** What the API and metrics show about one source. */
    public record SourceState(String name, String format, Instant lastSuccess, Instant lastAttempt,
            Instant generatedAt, long fetches, long failures, String lastError, int vrps, int aspas, int routerKeys,
            Map<String, Integer> rejected, Map<String, Integer> vrpsByTrustAnchor) {
    }

    private static final class Source {
        final VrpSource source;
        SourceData good;
        Instant lastSuccess;
        Instant lastAttempt;
        long fetches;
        long failures;
        String lastError;

        Source(VrpSource source) {
            this.source = source;
        }
    }

    private final List<Source> sources = new ArrayList<>();
    private final SlurmFiles slurm;
    private final SnapshotHistory history;
    private final Policy policy;
    private final Clock clock;
    private RpkiSnapshot union = RpkiSnapshot.empty();

    public RpkiUpdater(List<VrpSource> sources, SlurmFiles slurm, SnapshotHistory history, Policy policy,
            Clock clock) {
        sources.forEach(s -> this.sources.add(new Source(s)));
        this.slurm = slurm;
        this.history = history;
        this.policy = policy;
        this.clock = clock;
    }

    public boolean hasSources() {
        return !sources.isEmpty();
    }

    /** Fetches every source and publishes the result; returns true when the serial moved. */
    public synchronized boolean refresh() {
        Instant now = clock.instant();
        for (Source s : sources) {
            fetch(s, now);
        }
        slurm.reloadIfChanged();
        boolean anyGood = sources.stream().anyMatch(s -> s.good != null);
        if (!anyGood) {
            return false;
        }
        VrpSet.Builder vrps = new VrpSet.Builder();
        List<AspaRecord> aspas = new ArrayList<>();
        List<RouterKeyRecord> keys = new ArrayList<>();
        for (Source s : sources) {
            if (s.good != null) {
                s.good.vrps().addTo(vrps);
                aspas.addAll(s.good.aspas());
                keys.addAll(s.good.routerKeys());
            }
        }
        union = RpkiSnapshot.of(vrps.build(), aspas, keys);
        return publish();
    }

    /** Re-applies SLURM to the last union when a SLURM file changed; returns true when the serial moved. */
    public synchronized boolean reloadSlurm() {
        if (!slurm.reloadIfChanged()) {
            return false;
        }
        return sources.stream().anyMatch(s -> s.good != null) && publish();
    }

    private boolean publish() {
        return history.update(slurm.current().apply(union)).isPresent();
    }

    private void fetch(Source s, Instant now) {
        s.lastAttempt = now;
        s.fetches++;
        SourceData data;
        try {
            data = s.source.fetch(now);
        } catch (Exception e) {
            fail(s, e.getMessage() == null ? e.toString() : e.getMessage());
            return;
        }
        int before = s.good == null ? 0 : items(s.good);
        int after = items(data);
        if (before > 0 && after == 0) {
            fail(s, "fetch returned no data where the last one had " + before + " items");
            return;
        }
        if (before > 0 && after < before * (1 - policy.maxShrinkFraction())) {
            fail(s, "fetch shrank from " + before + " to " + after + " items, more than the allowed fraction "
                    + policy.maxShrinkFraction());
            return;
        }
        s.good = data;
        s.lastSuccess = now;
        s.lastError = null;
        log.atInfo().addKeyValue("event", "rpki_fetch").addKeyValue("source", s.source.name())
                .addKeyValue("format", data.format()).addKeyValue("vrps", data.vrps().size())
                .addKeyValue("aspas", data.aspas().size()).addKeyValue("rejected", data.rejectedCount())
                .log("RPKI source fetched");
    }

    private static int items(SourceData d) {
        return d.vrps().size() + (int) d.aspas().stream().distinct().count()
                + (int) d.routerKeys().stream().distinct().count();
    }

    private void fail(Source s, String error) {
        s.failures++;
        s.lastError = error;
        log.atWarn().addKeyValue("event", "rpki_fetch_failed").addKeyValue("source", s.source.name())
                .addKeyValue("error", error).log("RPKI source fetch failed: keeping its last good data");
    }

    public synchronized List<SourceState> sourceStates() {
        List<SourceState> out = new ArrayList<>();
        for (Source s : sources) {
            SourceData d = s.good;
            out.add(new SourceState(s.source.name(), d == null ? null : d.format(), s.lastSuccess, s.lastAttempt,
                    d == null ? null : d.generatedAt(), s.fetches, s.failures, s.lastError,
                    d == null ? 0 : d.vrps().size(), d == null ? 0 : d.aspas().size(),
                    d == null ? 0 : d.routerKeys().size(), d == null ? Map.of() : d.rejected(),
                    d == null ? Map.of() : new LinkedHashMap<>(d.vrps().countByTrustAnchor())));
        }
        return out;
    }

    /**
     * When the oldest data in use was produced: each source's own generation time, or its
     * last successful fetch when it does not say. Null before any success.
     */
    public synchronized Instant dataTime() {
        Instant oldest = null;
        for (Source s : sources) {
            if (s.good == null) {
                continue;
            }
            Instant t = s.good.generatedAt() != null ? s.good.generatedAt() : s.lastSuccess;
            if (oldest == null || t.isBefore(oldest)) {
                oldest = t;
            }
        }
        return oldest;
    }

    /** True when there is no data yet or the oldest data is older than the policy allows. */
    public boolean isStale() {
        Instant t = dataTime();
        return t == null || Duration.between(t, clock.instant()).compareTo(policy.maxDataAge()) > 0;
    }

    public SlurmFiles slurm() {
        return slurm;
    }
}
