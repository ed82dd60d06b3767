package net.rampart.collector.inventory;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.PeerType;
import net.rampart.wire.bgp.Capability;
import net.rampart.wire.bgp.NotificationMessage;
import net.rampart.wire.bgp.OpenMessage;
import net.rampart.wire.bgp.nlri.RouteDistinguisher;
import net.rampart.wire.bmp.BmpMessage;
import net.rampart.wire.bmp.BmpPeerKey;
import net.rampart.wire.bmp.PerPeerHeader;
import net.rampart.wire.ip.AddressText;

/**
 * Every router that has sent BMP and every peer it reported, current and past, and every
 * imported MRT source with its peers, for the API. Readers see whole records.
 *
 * <p>A router may have several BMP sessions at once (a reconnect while the old connection has
 * not timed out, or two on purpose): it is connected while any is open, and a peer is up while
 * any open session carries it (announced it by Peer Up or Route Monitoring) and none has said
 * Peer Down since.
 */
public final class RouterInventory {

    private record PeerId(String router, BmpPeerKey key) {
    }

    private final Map<String, RouterRecord> routers = new ConcurrentHashMap<>();
    private final Map<PeerId, PeerRecord> peers = new ConcurrentHashMap<>();
    /** The open sessions of each router, by id; sets are replaced whole, inside {@code compute}. */
    private final Map<String, Set<Long>> openSessions = new ConcurrentHashMap<>();
    /** The open sessions that carry each peer; replaced whole, inside {@code compute}. */
    private final Map<PeerId, Set<Long>> carriers = new ConcurrentHashMap<>();
    /** Routes RFC 7606 turned into withdrawals, per peer and reason; kept past the peer's sessions. */
    private final Map<PeerId, Map<String, LongAdder>> treatAsWithdrawCounts = new ConcurrentHashMap<>();
    private final SessionEvents events;

    public RouterInventory() {
        this(SessionEvents.NONE);
    }

    /** An inventory that reports every change to {@code events}. */
    public RouterInventory(SessionEvents events) {
        this.events = events;
    }

    public void routerConnected(String router, long session, InetAddress address, Instant now) {
        openSessions.compute(router, (id, open) -> with(open, session));
        events.routerChanged(routers.compute(router, (id, old) -> old == null
                ? new RouterRecord(id, RouterRecord.BMP, AddressText.of(address), null, null, now, now, true, null)
                : new RouterRecord(id, RouterRecord.BMP, old.address(), old.sysName(), old.sysDescr(),
                        old.firstSeen(), now, true, null)));
    }

    public void routerInitiated(String router, String sysName, String sysDescr, Instant now) {
        changed(routers.computeIfPresent(router, (id, old) -> new RouterRecord(id, old.source(), old.address(),
                sysName, sysDescr, old.firstSeen(), now, old.connected(), old.terminationReason())));
    }

    public void routerTerminated(String router, String reason, Instant now) {
        changed(routers.computeIfPresent(router, (id, old) -> new RouterRecord(id, old.source(), old.address(),
                old.sysName(), old.sysDescr(), old.firstSeen(), now, old.connected(), reason)));
    }

    /**
     * One session of the router is gone; the peers no other open session carries are down with
     * it, and the router is disconnected when it was its last. The peers go first, so that
     * whoever sees the router disconnected also sees its peers down.
     */
    public void routerDisconnected(String router, long session, Instant now) {
        for (PeerId id : List.copyOf(carriers.keySet())) {
            if (!id.router().equals(router)) {
                continue;
            }
            carriers.computeIfPresent(id, (key, carrying) -> without(carrying, session));
            PeerRecord[] wentDown = {null};
            // Decided inside compute, so a Route Monitoring of another session for the peer at
            // this moment either keeps it carried or comes after and brings it up again.
            peers.computeIfPresent(id, (key, record) -> carriers.containsKey(key) || !record.up() ? record
                    : (wentDown[0] = down(record, now, -1, null)));
            if (wentDown[0] != null) {
                events.peerSession(ribKey(id.key()), wentDown[0], now, false, -1, null);
                events.peerChanged(ribKey(id.key()), wentDown[0]);
            }
        }
        boolean last = openSessions.computeIfPresent(router, (id, open) -> without(open, session)) == null;
        changed(routers.computeIfPresent(router, (id, old) -> new RouterRecord(id, old.source(), old.address(),
                old.sysName(), old.sysDescr(), old.firstSeen(), now, !last, old.terminationReason())));
    }

    /** The set with {@code session} added. */
    private static Set<Long> with(Set<Long> sessions, long session) {
        if (sessions == null) {
            return Set.of(session);
        }
        Set<Long> more = new HashSet<>(sessions);
        more.add(session);
        return Set.copyOf(more);
    }

    /** The set without {@code session}, or null (which removes the map entry) when none is left. */
    private static Set<Long> without(Set<Long> sessions, long session) {
        Set<Long> fewer = new HashSet<>(sessions);
        fewer.remove(session);
        return fewer.isEmpty() ? null : Set.copyOf(fewer);
    }

    private void changed(RouterRecord router) {
        if (router != null) {
            events.routerChanged(router);
        }
    }

    public void peerUp(String router, long session, BmpMessage.PeerUp up, Instant now) {
        PerPeerHeader header = up.peer();
        carriers.compute(new PeerId(router, header.key()), (id, carrying) -> with(carrying, session));
        OpenMessage sent = up.sentOpen();
        OpenMessage received = up.receivedOpen();
        PeerRecord record = peers.compute(new PeerId(router, header.key()), (id, old) -> new PeerRecord(router,
                AddressText.of(header.address()), header.peerType(), header.distinguisherText(),
                header.peerAs(), AddressText.of(header.bgpId()),
                AddressText.of(up.localAddress()), up.localPort(), up.remotePort(),
                sent.autonomousSystem(), ipv4Text(sent.bgpIdentifier() & 0xFFFF_FFFFL),
                Math.min(sent.holdTimeSeconds(), received.holdTimeSeconds()), negotiated(sent, received),
                up.vrfTableName(), old == null ? now : old.firstSeen(), now, true, false, false, -1, null, Map.of()));
        events.peerSession(ribKey(header.key()), record, now, true, -1, null);
        events.peerChanged(ribKey(header.key()), record);
    }

    /**
     * A Route Monitoring of this session for the peer. The peer is recorded when the session has
     * not announced it by a Peer Up (GoBGP's Loc-RIB export sends none, and a router's second
     * session shares the first one's peers) or when only Statistics Reports named it so far.
     */
    public void routeMonitoring(String router, long session, PerPeerHeader header, Instant now) {
        PeerId id = new PeerId(router, header.key());
        Set<Long> carrying = carriers.get(id);
        PeerRecord known = peers.get(id);
        if (carrying != null && carrying.contains(session) && known != null && !known.seenOnlyInStatistics()) {
            return;
        }
        carriers.compute(id, (key, sessions) -> with(sessions, session));
        events.peerChanged(ribKey(header.key()), peers.compute(id,
                (key, old) -> old != null ? touch(old, now) : unannounced(router, header, now, false)));
    }

    /** A peer the router never sent a Peer Up for, from the per-peer header of another message. */
    private static PeerRecord unannounced(String router, PerPeerHeader header, Instant now, boolean statisticsOnly) {
        return new PeerRecord(router, AddressText.of(header.address()), header.peerType(), header.distinguisherText(),
                header.peerAs(), AddressText.of(header.bgpId()), null, 0, 0, 0, null, 0, List.of(), null, now, now,
                true, true, statisticsOnly, -1, null, Map.of());
    }

    /** The peer is down, whichever session says so; it stays carried by the router's other sessions. */
    public void peerDown(String router, long session, BmpMessage.PeerDown down, Instant now) {
        carriers.computeIfPresent(new PeerId(router, down.peer().key()), (id, carrying) -> without(carrying, session));
        PeerRecord record = peers.computeIfPresent(new PeerId(router, down.peer().key()),
                (id, old) -> down(old, now, down.reason(), notificationText(down.notification())));
        if (record != null) {
            events.peerSession(ribKey(down.peer().key()), record, now, false, down.reason(), down.notification());
            events.peerChanged(ribKey(down.peer().key()), record);
        }
    }

    /**
     * A Statistics Report, passed on for the time series. A peer the router reports statistics
     * for is monitored, so one not yet known is listed, flagged as seen only in statistics.
     */
    public void statistics(String router, long session, BmpMessage.StatisticsReport report, Instant now) {
        PerPeerHeader header = report.peer();
        PeerId id = new PeerId(router, header.key());
        if (!peers.containsKey(id)) {
            carriers.compute(id, (key, sessions) -> with(sessions, session));
            PeerRecord[] added = {null};
            peers.computeIfAbsent(id, key -> added[0] = unannounced(router, header, now, true));
            if (added[0] != null) {
                events.peerChanged(ribKey(header.key()), added[0]);
            }
        }
        events.statistics(router, ribKey(header.key()), now, report.statistics());
    }

    /**
     * Counts routes of a peer that RFC 7606 treat-as-withdraw turned into withdrawals. Returns
     * true the first time this peer is counted for this reason, for the caller to log it once.
     */
    public boolean treatedAsWithdraw(String router, BmpPeerKey key, String reason, int routes) {
        boolean[] first = {false};
        treatAsWithdrawCounts.computeIfAbsent(new PeerId(router, key), id -> new ConcurrentHashMap<>())
                .computeIfAbsent(reason, r -> {
                    first[0] = true;
                    return new LongAdder();
                }).add(routes);
        return first[0];
    }

    /** Every treat-as-withdraw count: router, peer, reason and a live reading of the routes, for metrics. */
    public void forEachTreatedAsWithdraw(TreatAsWithdrawVisitor visitor) {
        treatAsWithdrawCounts.forEach((id, reasons) -> reasons.forEach((reason, routes) ->
                visitor.visit(id.router(), ribKey(id.key()), reason, routes::sum)));
    }

    /** Receives one treat-as-withdraw count; see {@link #forEachTreatedAsWithdraw}. */
    @FunctionalInterface
    public interface TreatAsWithdrawVisitor {
        void visit(String router, PeerKey peer, String reason, LongSupplier routes);
    }

    /**
     * An MRT source ({@code mrt:NAME}) that an import is loading or that the RIB was reloaded
     * with: listed among the routers, flagged {@value RouterRecord#MRT}, never connected. A
     * source seen before keeps its first sighting.
     */
    public void mrtSource(String router, Instant firstSeen, Instant lastSeen) {
        events.routerChanged(routers.compute(router, (id, old) -> new RouterRecord(id, RouterRecord.MRT, null, null,
                null, old == null ? firstSeen : old.firstSeen(), lastSeen, false, null)));
    }

    /**
     * A peer of an MRT source: up while the import (or the last one, when reloaded) leaves its
     * session established. MRT has no Peer Up, so only the address and ASN are known.
     */
    public void mrtPeer(String router, PeerKey key, long asn, boolean up, Instant firstSeen, Instant lastSeen) {
        PeerId id = new PeerId(router, new BmpPeerKey(key.type().code(), key.distinguisher(), key.address()));
        events.peerChanged(key, peers.compute(id, (k, old) -> new PeerRecord(router, AddressText.of(key.address()),
                key.type().code(), RouteDistinguisher.format(key.distinguisher()), asn,
                null, null, 0, 0, 0, null, 0, List.of(), null, old == null ? firstSeen : old.firstSeen(), lastSeen,
                up, false, false, -1, null, Map.of())));
    }

    /** The RIB's key of a BMP peer. */
    public static PeerKey ribKey(BmpPeerKey key) {
        return new PeerKey(PeerType.ofCode(key.peerType()), key.distinguisher(), key.address());
    }


    public List<RouterRecord> routers() {
        return routers.values().stream().sorted(Comparator.comparing(RouterRecord::id)).toList();
    }

    public List<PeerRecord> peers() {
        List<PeerRecord> all = new ArrayList<>(peers.size());
        peers.forEach((id, peer) -> {
            Map<String, LongAdder> counts = treatAsWithdrawCounts.get(id);
            all.add(counts == null ? peer : peer.withTreatedAsWithdraw(sums(counts)));
        });
        all.sort(Comparator.comparing(PeerRecord::router).thenComparing(PeerRecord::address)
                .thenComparing(PeerRecord::distinguisher));
        return all;
    }

    private static Map<String, Long> sums(Map<String, LongAdder> counts) {
        Map<String, Long> sums = new TreeMap<>();
        counts.forEach((reason, routes) -> sums.put(reason, routes.sum()));
        return sums;
    }

    /** The peer up, with a route seen from it. */
    private static PeerRecord touch(PeerRecord p, Instant now) {
        return p.up() && !p.seenOnlyInStatistics() ? p : new PeerRecord(p.router(), p.address(), p.peerType(),
                p.distinguisher(), p.asn(), p.bgpId(), p.localAddress(), p.localPort(), p.remotePort(), p.localAsn(),
                p.localBgpId(), p.holdTime(), p.capabilities(), p.tableName(), p.firstSeen(), now, true,
                p.seenWithoutPeerUp(), false, p.lastDownReason(), p.lastNotification(), Map.of());
    }

    private static PeerRecord down(PeerRecord p, Instant now, int reason, String notification) {
        return new PeerRecord(p.router(), p.address(), p.peerType(), p.distinguisher(), p.asn(), p.bgpId(),
                p.localAddress(), p.localPort(), p.remotePort(), p.localAsn(), p.localBgpId(), p.holdTime(),
                p.capabilities(), p.tableName(), p.firstSeen(), now, false, p.seenWithoutPeerUp(),
                p.seenOnlyInStatistics(), reason, notification, Map.of());
    }

    /** Capabilities both OPENs carry, by name. */
    private static List<String> negotiated(OpenMessage sent, OpenMessage received) {
        List<String> names = new ArrayList<>();
        for (Capability capability : sent.capabilities()) {
            String name = Capabilities.name(capability);
            if (received.capabilities().stream().map(Capabilities::name).anyMatch(name::equals) && !names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    static String notificationText(NotificationMessage notification) {
        return notification == null ? null : notification.code() + "/" + notification.subcode();
    }

    private static String ipv4Text(long address) {
        return ((address >>> 24) & 0xFF) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "." + (address & 0xFF);
    }
}
