package net.rampart.rpki;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import net.rampart.rpki.slurm.SlurmFiles;
import net.rampart.rpki.source.SourceData;
import net.rampart.rpki.source.VrpSource;
import net.rampart.wire.ip.Ipv4Prefix;
import org.junit.jupiter.api.Test;

class RpkiUpdaterTest {

    private final Clock clock = Clock.fixed(Instant.parse("2024-01-01T12:00:00Z"), ZoneOffset.UTC);

    /** A source that answers from a script: data, or an exception. */
    private static final class ScriptedSource implements VrpSource {
        private final String name;
        private final Deque<Object> answers = new ArrayDeque<>();

        ScriptedSource(String name) {
            this.name = name;
        }

        ScriptedSource then(Object answer) {
            answers.add(answer);
            return this;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public SourceData fetch(Instant now) throws IOException {
            Object a = answers.size() > 1 ? answers.poll() : answers.peek();
            if (a instanceof IOException e) {
                throw e;
            }
            return (SourceData) a;
        }
    }

    private static SourceData data(Instant generated, int count, long asn) {
        VrpSet.Builder b = new VrpSet.Builder();
        for (int i = 0; i < count; i++) {
            b.add(new Vrp(new Ipv4Prefix(0x0A000000 | i << 8, 24), 24, asn), "ta");
        }
        return new SourceData("test", generated, b.build(), List.of(), List.of(), Map.of());
    }

    private RpkiUpdater updater(SnapshotHistory h, VrpSource... sources) {
        return new RpkiUpdater(List.of(sources), new SlurmFiles(List.of()), h,
                new RpkiUpdater.Policy(0.5, Duration.ofHours(24)), clock);
    }

    @Test
    void unionOfSourcesIsPublishedAndTheSerialMovesOnlyOnChange() {
        SnapshotHistory h = SnapshotHistory.open(new InMemorySnapshotStore(), 10, clock);
        RpkiUpdater u = updater(h, new ScriptedSource("a").then(data(clock.instant(), 10, 1)),
                new ScriptedSource("b").then(data(clock.instant(), 5, 2)));
        assertThat(u.refresh()).isTrue();
        assertThat(h.current().snapshot().vrps().size()).isEqualTo(15);
        assertThat(u.refresh()).isFalse();
        assertThat(h.current().serial()).isEqualTo(1);
    }

    @Test
    void failedOrSuspiciousFetchesKeepTheLastGoodData() {
        SnapshotHistory h = SnapshotHistory.open(new InMemorySnapshotStore(), 10, clock);
        ScriptedSource s = new ScriptedSource("a").then(data(clock.instant(), 10, 1))
                .then(new IOException("HTTP 500")).then(data(clock.instant(), 0, 1)).then(data(clock.instant(), 4, 1))
                .then(data(clock.instant(), 6, 1));
        RpkiUpdater u = updater(h, s);
        u.refresh();
        u.refresh();
        u.refresh();
        u.refresh();
        assertThat(h.current().snapshot().vrps().size()).isEqualTo(10);
        assertThat(u.sourceStates().get(0).failures()).isEqualTo(3);
        u.refresh();
        assertThat(h.current().snapshot().vrps().size()).as("a 40% shrink is allowed at fraction 0.5").isEqualTo(6);
    }

    @Test
    void oldDataIsStale() {
        SnapshotHistory h = SnapshotHistory.open(new InMemorySnapshotStore(), 10, clock);
        RpkiUpdater u = updater(h, new ScriptedSource("a").then(data(clock.instant().minus(Duration.ofHours(25)), 1, 1)));
        assertThat(u.isStale()).as("no data yet").isTrue();
        u.refresh();
        assertThat(u.isStale()).isTrue();
        RpkiUpdater fresh = updater(h, new ScriptedSource("b").then(data(clock.instant().minus(Duration.ofHours(1)), 1, 1)));
        fresh.refresh();
        assertThat(fresh.isStale()).isFalse();
    }
}
