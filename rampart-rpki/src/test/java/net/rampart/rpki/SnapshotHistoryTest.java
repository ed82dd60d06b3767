package net.rampart.rpki;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

class SnapshotHistoryTest {

    private final Clock clock = Clock.fixed(Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC);

    private static RpkiSnapshot snapshot(Vrp... vrps) {
        return RpkiSnapshot.of(VrpSet.of(List.of(vrps)), List.of(), List.of());
    }

    private static final Vrp A = Vrp.parse("192.0.2.0/24", 24, 64496);
    private static final Vrp B = Vrp.parse("198.51.100.0/24", 24, 64497);
    private static final Vrp C = Vrp.parse("2001:db8::/32", 48, 64498);

    @Test
    void serialMovesOnlyWhenTheContentChanges() {
        SnapshotHistory h = SnapshotHistory.open(new InMemorySnapshotStore(), 10, clock);
        int start = h.current().serial();
        assertThat(h.update(snapshot(A))).isPresent();
        assertThat(h.update(snapshot(A))).isEmpty();
        assertThat(h.current().serial()).isEqualTo(start + 1);
        assertThat(h.update(snapshot(A, B))).isPresent();
        assertThat(h.current().serial()).isEqualTo(start + 2);
    }

    @Test
    void newExpiriesAloneKeepTheSerialAndReachOnlyTheExpiryListeners() {
        SnapshotHistory h = SnapshotHistory.open(new InMemorySnapshotStore(), 10, clock);
        List<SnapshotHistory.Version> serials = new java.util.ArrayList<>();
        List<SnapshotHistory.Version> expiries = new java.util.ArrayList<>();
        h.addListener(serials::add);
        h.addExpiryListener(expiries::add);
        h.update(RpkiSnapshot.of(new VrpSet.Builder().add(A, "ripe", 1_800_000_000L).build(), List.of(), List.of()));
        int serial = h.current().serial();

        RpkiSnapshot renewed = RpkiSnapshot.of(new VrpSet.Builder().add(A, "ripe", 1_900_000_000L).build(), List.of(),
                List.of());
        assertThat(h.update(renewed)).as("no delta: the payload RTR serves is the same").isEmpty();

        assertThat(h.current().serial()).isEqualTo(serial);
        assertThat(h.current().snapshot().vrps().expires(0)).isEqualTo(1_900_000_000L);
        assertThat(serials).hasSize(1);
        assertThat(expiries).extracting(SnapshotHistory.Version::serial).containsExactly(serial);
        assertThat(h.update(renewed)).isEmpty();
        assertThat(expiries).as("the same expiries again are no change").hasSize(1);
    }

    @Test
    void restartResumesSessionSerialAndDeltas() {
        InMemorySnapshotStore store = new InMemorySnapshotStore();
        SnapshotHistory first = SnapshotHistory.open(store, 10, clock);
        first.update(snapshot(A));
        first.update(snapshot(A, B));
        SnapshotHistory second = SnapshotHistory.open(store, 10, clock);
        assertThat(second.current().sessionId()).isEqualTo(first.current().sessionId());
        assertThat(second.current().serial()).isEqualTo(first.current().serial());
        assertThat(second.current().snapshot().hash()).isEqualTo(first.current().snapshot().hash());
        assertThat(second.diff(0, 2)).isEqualTo(first.diff(0, 2));
        store.forget();
        SnapshotHistory third = SnapshotHistory.open(store, 10, clock);
        assertThat(third.current().serial()).isZero();
    }

    @Test
    void diffBetweenAnyRetainedSerialsIsTheMergeOfTheSteps() {
        SnapshotHistory h = SnapshotHistory.open(new InMemorySnapshotStore(), 10, clock);
        h.update(snapshot(A));
        h.update(snapshot(A, B));
        h.update(snapshot(B, C));
        RpkiDelta d = h.diff(1, 3).orElseThrow();
        assertThat(d.announcedVrps()).containsExactly(B, C);
        assertThat(d.withdrawnVrps()).containsExactly(A);
        RpkiDelta back = h.diff(3, 1).orElseThrow();
        assertThat(back.announcedVrps()).containsExactly(A);
        assertThat(back.withdrawnVrps()).containsExactly(B, C);
        assertThat(h.diff(2, 2)).contains(RpkiDelta.EMPTY);
        assertThat(h.diff(0, 9)).isEmpty();
    }

    @Test
    void oldDeltasAreDroppedBeyondTheRetention() {
        SnapshotHistory h = SnapshotHistory.open(new InMemorySnapshotStore(), 2, clock);
        h.update(snapshot(A));
        h.update(snapshot(A, B));
        h.update(snapshot(B, C));
        assertThat(h.retainedSerials()).containsExactly(1, 2, 3);
        assertThat(h.diff(0, 3)).isEmpty();
    }

    @Test
    void serialWrapsAroundPerRfc1982() {
        InMemorySnapshotStore store = new InMemorySnapshotStore();
        store.startSession(7, -1, clock.instant(), RpkiSnapshot.empty());
        SnapshotHistory h = SnapshotHistory.open(store, 10, clock);
        h.update(snapshot(A));
        assertThat(h.current().serial()).isZero();
        assertThat(Serial.compare(-1, 0)).isNegative();
        assertThat(Serial.compare(0, -1)).isPositive();
        assertThat(h.diff(-1, 0).orElseThrow().announcedVrps()).containsExactly(A);
    }

    @Test
    void storedPayloadRoundTripsThroughTheCodec() {
        RpkiSnapshot s = RpkiSnapshot.of(VrpSet.of(List.of(A, B, C)), List.of(new AspaRecord(1, new long[] {2, 3})),
                List.of(new RouterKeyRecord(64496, new byte[20], new byte[] {1, 2})));
        assertThat(PayloadCodec.decodeSnapshot(PayloadCodec.encode(s)).hash()).isEqualTo(s.hash());
        RpkiDelta d = RpkiDelta.between(snapshot(A, B), s);
        assertThat(PayloadCodec.decodeDelta(PayloadCodec.encode(d))).isEqualTo(d);
    }
}
