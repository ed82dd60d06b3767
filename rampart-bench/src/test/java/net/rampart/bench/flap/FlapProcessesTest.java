package net.rampart.bench.flap;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.rampart.bench.flap.FlapProcesses.Kind;
import net.rampart.bench.flap.FlapProcesses.Route;
import net.rampart.bench.flap.FlapProcesses.Source;
import net.rampart.wire.bgp.UpdateMessage;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.bgp.nlri.UnicastNlri;
import net.rampart.wire.bmp.BmpFrameDecoder;
import net.rampart.wire.bmp.BmpMessage;
import net.rampart.wire.bmp.BmpSession;
import net.rampart.wire.ip.Ipv4Prefix;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generated stream read back with rampart-wire's BMP decoder, as the collector reads it:
 * route changes counted per process kind from the decoded UPDATEs, not from the generator's
 * own bookkeeping (which they are compared with).
 */
class FlapProcessesTest {

    private static final FlapProcesses.Settings SETTINGS =
            new FlapProcesses.Settings(7, Instant.parse("2026-01-01T00:00:00Z"), 14, 8, 200);
    private static final long HOUR = 3_600_000;

    private static FlapProcesses processes;
    private static Decoded decoded;

    /** What the decoded stream holds, per route and per peer. */
    private static final class Decoded {
        final List<BmpMessage> messages = new ArrayList<>();
        final Map<String, Route> routes = new HashMap<>();
        final Map<Kind, Long> withdrawals = new EnumMap<>(Kind.class);
        final Map<Kind, Long> announcements = new EnumMap<>(Kind.class);
        /** Withdrawals other than those of a session reset (at the time of its Peer Down). */
        final Map<Kind, Long> flaps = new EnumMap<>(Kind.class);
        final Map<Kind, Long> flapsSoonAfterPeerUp = new EnumMap<>(Kind.class);
        /** Per degrading route's withdrawals: first and last third of the simulated time. */
        long degradingEarly;
        long degradingLate;
        final Map<Integer, List<Long>> peerDowns = new HashMap<>();
        long duplicateAnnouncements;
        long withdrawalsOfAbsentRoutes;
        long routeMessagesWhileSessionDown;
        long timestampsBackwards;
    }

    @BeforeAll
    static void generateAndDecode() throws Exception {
        processes = FlapProcesses.generate(SETTINGS);
        decoded = decode(processes);
    }

    @Test
    void theSameSeedGivesTheSameBytesAndAnotherSeedOthers() {
        byte[] once = processes.bytes();
        byte[] again = FlapProcesses.generate(SETTINGS).bytes();
        byte[] otherSeed = FlapProcesses.generate(new FlapProcesses.Settings(8, SETTINGS.start(), SETTINGS.days(),
                SETTINGS.peers(), SETTINGS.routesPerPeer())).bytes();

        assertThat(again).isEqualTo(once);
        assertThat(otherSeed).isNotEqualTo(once);
    }

    @Test
    void everyMessageParsesAndTheTimestampsNeverGoBackwards() {
        List<BmpMessage> m = decoded.messages;
        assertThat(m).hasSize(processes.messages());
        assertThat(m.getFirst()).isInstanceOf(BmpMessage.Initiation.class);
        assertThat(m.getLast()).isInstanceOf(BmpMessage.Termination.class);
        assertThat(m).filteredOn(x -> x instanceof BmpMessage.PeerUp).hasSize(SETTINGS.peers() + processes.resets());
        assertThat(m).filteredOn(x -> x instanceof BmpMessage.PeerDown).hasSize(processes.resets());
        assertThat(decoded.timestampsBackwards).isZero();
        List<BmpMessage.PeerMessage> perPeer = m.stream().filter(x -> x instanceof BmpMessage.PeerMessage)
                .map(x -> (BmpMessage.PeerMessage) x).toList();
        assertThat(perPeer.getFirst().peer().timestamp()).isEqualTo(SETTINGS.start());
        assertThat(perPeer.getLast().peer().timestamp()).isBefore(SETTINGS.end());
    }

    @Test
    void everyRouteMessageIsAStateChangeWhileItsSessionIsUp() {
        assertThat(decoded.duplicateAnnouncements).as("announcements with unchanged attributes").isZero();
        assertThat(decoded.withdrawalsOfAbsentRoutes).as("withdrawals of routes not announced").isZero();
        assertThat(decoded.routeMessagesWhileSessionDown).as("Route Monitoring between Peer Down and Peer Up").isZero();
    }

    @Test
    void theDecodedChangesAreTheOnesTheGeneratorCounted() {
        long withdrawals = 0;
        long announcements = 0;
        for (Source s : Source.values()) {
            withdrawals += processes.tally(s).withdrawals();
            announcements += processes.tally(s).announcements();
        }
        assertThat(decoded.withdrawals.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(withdrawals);
        assertThat(decoded.announcements.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(announcements);
        for (Source s : Source.values()) {
            assertThat(processes.tally(s).withdrawals() + processes.tally(s).attributeChanges())
                    .as("changes from %s", s).isPositive();
        }
    }

    @Test
    void theKindsAreMixedInTheStatedProportions() {
        int degradingPeers = 1 + (SETTINGS.peers() >= 8 ? 1 : 0);
        assertThat(processes.degradingPeers()).isEqualTo(degradingPeers);
        int n = SETTINGS.routesPerPeer();
        int ordinaryPeers = SETTINGS.peers() - degradingPeers;
        Map<Kind, Long> routes = new EnumMap<>(Kind.class);
        for (Route r : processes.routes()) {
            routes.merge(r.kind(), 1L, Long::sum);
            assertThat(r.kind() == Kind.DEGRADING).as("route %s", r).isEqualTo(r.peer() >= ordinaryPeers);
        }
        assertThat(routes.get(Kind.DEGRADING)).isEqualTo((long) degradingPeers * n);
        assertThat(routes.get(Kind.PERIODIC)).isEqualTo(ordinaryPeers * Math.round(n * FlapProcesses.PERIODIC_SHARE));
        assertThat(routes.get(Kind.RESET_BURST)).isEqualTo(ordinaryPeers * Math.round(n * FlapProcesses.RESET_BURST_SHARE));
        assertThat(routes.get(Kind.STABLE)).isEqualTo(ordinaryPeers * n - routes.get(Kind.PERIODIC)
                - routes.get(Kind.RESET_BURST));
        assertThat(routes.get(Kind.STABLE)).isCloseTo(Math.round(ordinaryPeers * n * FlapProcesses.STABLE_SHARE),
                org.assertj.core.data.Offset.offset((long) ordinaryPeers));
        for (Kind k : Kind.values()) {
            assertThat(processes.tally(Source.valueOf(k.name())).routes()).isEqualTo(routes.get(k).intValue());
        }
    }

    @Test
    void eachKindFlapsAsItsProcessSays() {
        Map<Kind, Long> routes = new EnumMap<>(Kind.class);
        processes.routes().forEach(r -> routes.merge(r.kind(), 1L, Long::sum));
        Map<Kind, Double> perRoute = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            perRoute.put(k, decoded.flaps.getOrDefault(k, 0L) / (double) routes.get(k));
        }
        // Periodic: a burst of 2-4 flaps every 2-8 hours, far above the others.
        assertThat(perRoute.get(Kind.PERIODIC)).isGreaterThan(10 * perRoute.get(Kind.STABLE))
                .isGreaterThan(2 * perRoute.get(Kind.RESET_BURST));
        // Reset bursts: most of their withdrawals in the hour after a Peer Up; few of a stable route's.
        double burstShare = decoded.flapsSoonAfterPeerUp.getOrDefault(Kind.RESET_BURST, 0L)
                / (double) decoded.flaps.get(Kind.RESET_BURST);
        double stableShare = decoded.flapsSoonAfterPeerUp.getOrDefault(Kind.STABLE, 0L)
                / (double) decoded.flaps.get(Kind.STABLE);
        assertThat(burstShare).isGreaterThan(0.5).isGreaterThan(2 * stableShare);
        assertThat(perRoute.get(Kind.RESET_BURST)).isGreaterThan(2 * perRoute.get(Kind.STABLE));
        // Degrading: flaps grow over the days, and the sessions reset more and more often.
        assertThat(decoded.degradingLate).isGreaterThan(3 * decoded.degradingEarly);
        for (int p = SETTINGS.peers() - processes.degradingPeers(); p < SETTINGS.peers(); p++) {
            List<Long> downs = decoded.peerDowns.get(p);
            assertThat(downs).as("resets of degrading peer %d", p).hasSizeGreaterThan(5);
            long firstInterval = downs.get(1) - downs.get(0);
            long lastInterval = downs.getLast() - downs.get(downs.size() - 2);
            assertThat(lastInterval).isLessThan(firstInterval / 3);
        }
        int ordinaryResets = 0;
        for (int p = 0; p < SETTINGS.peers() - processes.degradingPeers(); p++) {
            ordinaryResets += decoded.peerDowns.getOrDefault(p, List.of()).size();
        }
        assertThat(ordinaryResets).as("resets of the ordinary peers").isPositive()
                .isLessThan(decoded.peerDowns.get(SETTINGS.peers() - 1).size() * (SETTINGS.peers() - processes.degradingPeers()));
        // Stable routes change rarely: under one withdrawal a route a week besides their session's resets.
        assertThat(perRoute.get(Kind.STABLE)).isLessThan(SETTINGS.days() / 7.0 + 1);
    }

    private static Decoded decode(FlapProcesses processes) throws Exception {
        Decoded d = new Decoded();
        for (Route r : processes.routes()) {
            d.routes.put(r.peer() + " " + r.prefix(), r);
        }
        BmpFrameDecoder frames = new BmpFrameDecoder();
        frames.append(processes.bytes());
        BmpSession session = new BmpSession();
        for (byte[] frame = frames.next(); frame != null; frame = frames.next()) {
            d.messages.add(session.decode(frame));
        }
        java.util.Set<String> resets = new java.util.HashSet<>();
        for (BmpMessage m : d.messages) {
            if (m instanceof BmpMessage.PeerDown down) {
                resets.add(peerIndex(down.peer().address()) + " " + down.peer().timestamp().toEpochMilli());
            }
        }
        Map<String, List<PathAttribute>> announced = new HashMap<>();
        Map<Integer, Boolean> up = new HashMap<>();
        Map<Integer, Long> lastPeerUp = new HashMap<>();
        long start = SETTINGS.start().toEpochMilli();
        long third = (SETTINGS.end().toEpochMilli() - start) / 3;
        long lastTime = 0;
        for (BmpMessage m : d.messages) {
            if (!(m instanceof BmpMessage.PeerMessage pm)) {
                continue;
            }
            long time = pm.peer().timestamp().toEpochMilli();
            if (time < lastTime) {
                d.timestampsBackwards++;
            }
            lastTime = time;
            int peer = peerIndex(pm.peer().address());
            switch (m) {
                case BmpMessage.PeerUp u -> {
                    up.put(peer, true);
                    lastPeerUp.put(peer, time);
                }
                case BmpMessage.PeerDown down -> {
                    up.put(peer, false);
                    d.peerDowns.computeIfAbsent(peer, x -> new ArrayList<>()).add(time);
                }
                case BmpMessage.RouteMonitoring rm -> {
                    if (!up.getOrDefault(peer, false)) {
                        d.routeMessagesWhileSessionDown++;
                    }
                    UpdateMessage update = rm.update();
                    for (UnicastNlri n : update.withdrawn()) {
                        String key = peer + " " + (Ipv4Prefix) n.prefix();
                        Kind kind = d.routes.get(key).kind();
                        if (announced.remove(key) == null) {
                            d.withdrawalsOfAbsentRoutes++;
                        }
                        d.withdrawals.merge(kind, 1L, Long::sum);
                        if (resets.contains(peer + " " + time)) {
                            continue;
                        }
                        d.flaps.merge(kind, 1L, Long::sum);
                        if (time - lastPeerUp.get(peer) <= HOUR) {
                            d.flapsSoonAfterPeerUp.merge(kind, 1L, Long::sum);
                        }
                        if (kind == Kind.DEGRADING) {
                            if (time < start + third) {
                                d.degradingEarly++;
                            } else if (time >= start + 2 * third) {
                                d.degradingLate++;
                            }
                        }
                    }
                    for (UnicastNlri n : update.announced()) {
                        String key = peer + " " + (Ipv4Prefix) n.prefix();
                        Kind kind = d.routes.get(key).kind();
                        if (update.attributes().equals(announced.put(key, update.attributes()))) {
                            d.duplicateAnnouncements++;
                        }
                        d.announcements.merge(kind, 1L, Long::sum);
                    }
                }
                default -> {
                }
            }
        }
        return d;
    }

    private static int peerIndex(InetAddress address) {
        byte[] a = address.getAddress();
        return (a[a.length - 1] & 0xFF) - 10;
    }
}
