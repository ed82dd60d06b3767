package net.rampart.collector.bmp;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import net.rampart.collector.bgp.UpdateRoutes;
import net.rampart.collector.inventory.RouterInventory;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.PeerType;
import net.rampart.collector.rib.Rib;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteKey;
import net.rampart.collector.rib.RouteUpdate;
import net.rampart.collector.rib.RouterId;
import net.rampart.collector.rib.Session;
import net.rampart.wire.DecodeException;
import net.rampart.wire.bgp.RawUpdateAttribute;
import net.rampart.wire.bgp.UpdateError;
import net.rampart.wire.bmp.BmpMessage;
import net.rampart.wire.bmp.BmpPeerKey;
import net.rampart.wire.bmp.BmpSession;
import net.rampart.wire.bmp.PerPeerHeader;
import net.rampart.wire.ip.AddressText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One BMP session of a router as the collector sees it: decodes each message with the
 * session's per-peer state, applies routes to the RIB as this session's, keeps the inventory of
 * the router and its peers, and counts what it saw. A message that does not decode is logged
 * with its bytes and skipped.
 *
 * <p>A router is named by its source address, and may have several sessions at once: a new one
 * after a link flap while the old one has not yet timed out, or two on purpose. Each session
 * withdraws only its own routes when it ends. A router is listed once a session has sent a
 * valid Initiation or Peer Up, so a connection that only sends garbage never shows as one; bad
 * messages are logged in full only at first (see {@link ProblemLog}).
 */
public final class MonitoredRouter implements RouterSession {

    private static final Logger log = LoggerFactory.getLogger(MonitoredRouter.class);
    private static final int MAX_LOGGED_BYTES = 256;
    /** Where a Route Monitoring's UPDATE starts: after the common and per-peer headers. */
    private static final int UPDATE_OFFSET = 6 + PerPeerHeader.LENGTH;

    /** The last session id handed out; see {@link #nextSessionId}. */
    private static final AtomicLong lastSessionId = new AtomicLong();

    private final RouterId router;
    private final Session session;
    private final Rib rib;
    private final RouterInventory inventory;
    private final Clock clock;
    private final BmpSession decoder = new BmpSession();
    private final RouterCounters counters;
    private final Map<BmpPeerKey, Instant> peerUpSince = new ConcurrentHashMap<>();
    private final InetAddress address;
    private final ProblemLog problems = new ProblemLog(System::nanoTime);
    /** Whether a valid Initiation or Peer Up has arrived; until then the router is not listed. */
    private volatile boolean established;
    private boolean loggedUnknownTlv;
    private boolean loggedMalformedTrailer;
    private PeerKey lastRouteMonitoringPeer;
    private RibView lastRouteMonitoringView;
    /** Reads a Route Monitoring that repeats the last one's peer and a recent attribute set without decoding it. */
    private final RouteMonitoringShortcut shortcut = new RouteMonitoringShortcut();
    /** The peer the inventory was last told this session carries, by a Route Monitoring; see {@link #routeMonitoring}. */
    private PeerKey carriedPeer;

    /**
     * @throws IllegalStateException when the router already has as many open sessions as the RIB
     *                               tells apart; the connection is to be refused
     */
    public MonitoredRouter(InetAddress address, Rib rib, RouterInventory inventory, RouterCounters counters, Clock clock) {
        this.router = new RouterId(AddressText.of(address));
        this.rib = rib;
        this.inventory = inventory;
        this.counters = counters;
        this.clock = clock;
        this.address = address;
        this.session = rib.openSession(router, nextSessionId(clock.instant()));
    }

    /**
     * A session id is the session's start in microseconds since the epoch, raised past the last
     * one handed out: unique across sessions and restarts, and readable as a time in history.
     */
    static long nextSessionId(Instant start) {
        long micros = start.getEpochSecond() * 1_000_000 + start.getNano() / 1_000;
        return lastSessionId.accumulateAndGet(micros, (last, now) -> Math.max(last + 1, now));
    }

    @Override
    public void onMessage(byte[] message) {
        onMessage(message, 0, message.length);
    }

    @Override
    public void onMessage(byte[] buffer, int offset, int length) {
        counters.received(length);
        RouteUpdate repeated = shortcut.update(buffer, offset, length, clock);
        if (repeated != null) {
            // Same peer as the last Route Monitoring, with nothing in between: the inventory
            // already has this session carrying it.
            apply(lastRouteMonitoringPeer, lastRouteMonitoringView, repeated);
            counters.processed(BmpMessage.ROUTE_MONITORING);
            return;
        }
        // Decoded where it lies too: the decoded message copies what it keeps, and nothing here
        // keeps the buffer, which the connection reuses once this returns.
        decode(buffer, offset, length);
    }

    private void decode(byte[] buffer, int offset, int length) {
        BmpMessage decoded;
        try {
            decoded = decoder.decode(buffer, offset, length);
        } catch (DecodeException e) {
            counters.parseError();
            if (problems.shouldLog()) {
                log.atError().addKeyValue("event", "bmp_message_malformed")
                        .addKeyValue("router", router.name())
                        .addKeyValue("session", session.id())
                        .addKeyValue("message_type", length > 5 ? buffer[offset + 5] & 0xFF : -1)
                        .addKeyValue("error", e.getMessage())
                        .addKeyValue("hex", HexFormat.of().formatHex(buffer, offset,
                                offset + Math.min(length, MAX_LOGGED_BYTES)))
                        .addKeyValue("left_out_since_last_line", problems.suppressed())
                        .log("malformed BMP message skipped");
            }
            return;
        }
        if (decoded instanceof BmpMessage.PeerMessage peerMessage
                && peerMessage.peer().peerType() > PeerType.LOC_RIB_INSTANCE.code()) {
            counters.parseError();
            if (problems.shouldLog()) {
                log.atWarn().addKeyValue("event", "bmp_peer_type_unknown").addKeyValue("router", router.name())
                        .addKeyValue("session", session.id())
                        .addKeyValue("peer_type", peerMessage.peer().peerType())
                        .addKeyValue("left_out_since_last_line", problems.suppressed())
                        .log("BMP message for an unknown peer type skipped");
            }
            return;
        }
        if (!established && (decoded instanceof BmpMessage.Initiation || decoded instanceof BmpMessage.PeerUp)) {
            established = true;
            inventory.routerConnected(router.name(), session.id(), address, clock.instant());
        }
        handle(decoded, buffer, offset, length);
        counters.processed(decoded.type());
    }

    /** @param buffer the message's bytes from {@code offset}, {@code length} of them, valid during the call only */
    private void handle(BmpMessage decoded, byte[] buffer, int offset, int length) {
        Instant now = clock.instant();
        if (!(decoded instanceof BmpMessage.RouteMonitoring)) {
            carriedPeer = null;
            shortcut.forgetPeer();
        }
        switch (decoded) {
            case BmpMessage.RouteMonitoring monitoring -> routeMonitoring(monitoring, buffer, offset, length, now);
            case BmpMessage.PeerUp up -> peerUp(up, now);
            case BmpMessage.PeerDown down -> peerDown(down, now);
            case BmpMessage.Initiation initiation ->
                    inventory.routerInitiated(router.name(), initiation.sysName(), initiation.sysDescr(), now);
            case BmpMessage.Termination termination ->
                    inventory.routerTerminated(router.name(), terminationText(termination.reason()), now);
            case BmpMessage.StatisticsReport report -> inventory.statistics(router.name(), session.id(), report, now);
            case BmpMessage.RouteMirroring ignored -> {
                // Mirrored PDUs are for troubleshooting; the RIB only follows Route Monitoring.
            }
            case BmpMessage.Unknown unknown -> {
                if (problems.shouldLog()) {
                    log.atWarn().addKeyValue("event", "bmp_message_unknown")
                            .addKeyValue("router", router.name()).addKeyValue("message_type", unknown.type())
                            .addKeyValue("left_out_since_last_line", problems.suppressed())
                            .log("BMP message of an unknown type skipped");
                }
            }
        }
    }

    private void routeMonitoring(BmpMessage.RouteMonitoring monitoring, byte[] buffer, int offset, int length,
                                 Instant now) {
        PerPeerHeader header = monitoring.peer();
        PeerKey peer = routeMonitoringPeer(header);
        if (peer != carriedPeer) {
            // Once the inventory has this session carrying the peer, it stays so until this
            // session's Peer Up, Peer Down or Statistics Report of it; until then, telling it
            // again for every message changes nothing.
            inventory.routeMonitoring(router.name(), session.id(), header, now);
            carriedPeer = peer;
        }
        trailer(monitoring, header);
        RibView view = RibView.of(peer.type(), header.isPostPolicy(), header.isAdjRibOut());
        lastRouteMonitoringView = view;
        shortcut.follow(buffer, offset, header, decoder.negotiated(header));
        long time = stampedMillis(header, now);
        UpdateRoutes.Changes changes = UpdateRoutes.of(monitoring.update(), time);
        if (changes.endOfRib() != null) {
            rib.endOfRib(router, peer, view, changes.endOfRib(), time);
            return;
        }
        if (changes.unreliable()) {
            counters.parseError();
            if (!problems.shouldLog()) {
                return;
            }
            log.atWarn().addKeyValue("left_out_since_last_line", problems.suppressed()).addKeyValue("event", "bmp_update_unreliable").addKeyValue("router", router.name())
                    .addKeyValue("peer", AddressText.of(header.address()))
                    .addKeyValue("errors", monitoring.update().errors().toString())
                    .log("UPDATE could not be parsed reliably (RFC 7606 session reset); its routes are skipped");
            return;
        }
        if (changes.withdrawnBy() != null) {
            treatedAsWithdraw(header, peer, changes, buffer, offset);
        }
        // Known TLVs go on the routes they are about; without TLVs (the common case) the blocks
        // go to the RIB as they are, with no new objects.
        List<RouteUpdate> blocks = monitoring.tlvs().isEmpty() ? changes.updates()
                : RouteMarkings.apply(monitoring.tlvs(), changes.updates());
        PathAttributes held = null;
        for (RouteUpdate block : blocks) {
            held = apply(peer, view, block);
        }
        if (blocks.size() == 1 && blocks.getFirst().withdrawn().isEmpty() && monitoring.tlvs().isEmpty()
                && !monitoring.hasMalformedTrailer() && monitoring.update().errors().isEmpty()) {
            shortcut.learn(buffer, offset, length, blocks.getFirst().family(), held);
        }
    }

    /** Returns the RIB's instance of the block's attribute set; see {@link Rib#apply(Session, PeerKey, RibView, RouteUpdate)}. */
    private PathAttributes apply(PeerKey peer, RibView view, RouteUpdate block) {
        PathAttributes held = rib.apply(session, peer, view, block);
        counters.routes(block.family().group(), block.announced().size() + block.withdrawn().size());
        return held;
    }

    /**
     * Routes the router sent that RFC 7606 makes withdrawals are never dropped silently: counted
     * per peer and reason, and logged the first time for each with a prefix and the attribute.
     */
    private void treatedAsWithdraw(PerPeerHeader header, PeerKey peer, UpdateRoutes.Changes changes, byte[] buffer,
                                   int offset) {
        UpdateError error = changes.withdrawnBy();
        List<RouteKey> routes = changes.treatedAsWithdraw();
        String reason = error.problem().name().toLowerCase(Locale.ROOT) + "/" + error.attributeType();
        if (inventory.treatedAsWithdraw(router.name(), header.key(), reason, routes.size())) {
            byte[] attribute = error.attributeType() < 0 ? null
                    : RawUpdateAttribute.find(buffer, offset + UPDATE_OFFSET, error.attributeType());
            log.atWarn().addKeyValue("event", "bmp_routes_treated_as_withdraw")
                    .addKeyValue("router", router.name())
                    .addKeyValue("peer", peer.toString())
                    .addKeyValue("reason", reason)
                    .addKeyValue("detail", error.reason())
                    .addKeyValue("routes", routes.size())
                    .addKeyValue("prefix", routes.isEmpty() ? "none" : routes.get(0).text())
                    .addKeyValue("attribute_hex", attribute == null ? "none"
                            : HexFormat.of().formatHex(attribute, 0, Math.min(attribute.length, MAX_LOGGED_BYTES)))
                    .log("routes treated as withdrawn (RFC 7606); counted per peer and reason, logged once each");
        }
    }

    /** TLVs after the UPDATE (draft-ietf-grow-bmp-tlv): unknown types are skipped and counted. */
    private void trailer(BmpMessage.RouteMonitoring monitoring, PerPeerHeader header) {
        int unknown = monitoring.unknownTlvCount();
        if (unknown > 0) {
            counters.unknownTlvs(unknown);
            if (!loggedUnknownTlv) {
                loggedUnknownTlv = true;
                log.atInfo().addKeyValue("event", "bmp_tlv_unknown").addKeyValue("router", router.name())
                        .addKeyValue("session", session.id())
                        .addKeyValue("peer", AddressText.of(header.address()))
                        .addKeyValue("tlvs", monitoring.tlvs().toString())
                        .log("Route Monitoring TLVs of unknown types after the UPDATE skipped; counted, logged once per session");
            }
        }
        if (monitoring.hasMalformedTrailer()) {
            counters.malformedTrailer();
            if (!loggedMalformedTrailer) {
                loggedMalformedTrailer = true;
                log.atWarn().addKeyValue("event", "bmp_trailer_malformed").addKeyValue("router", router.name())
                        .addKeyValue("session", session.id())
                        .addKeyValue("peer", AddressText.of(header.address()))
                        .addKeyValue("hex", HexFormat.of().formatHex(monitoring.unparsedTrailer(), 0,
                                Math.min(monitoring.unparsedTrailer().length, MAX_LOGGED_BYTES)))
                        .log("bytes after a Route Monitoring's UPDATE are not TLVs; the UPDATE was applied, the bytes skipped; counted, logged once per session");
            }
        }
    }

    /**
     * When the router says the event happened: the per-peer header's timestamp, or the arrival
     * time when the router gives none (zero). Route changes and peer state changes alike, so that
     * history orders a session's end and its routes' withdrawals as the router saw them.
     */
    private static long stampedMillis(PerPeerHeader header, Instant arrival) {
        long stamped = stampedMillis(header.timestampSeconds(), header.timestampMicroseconds());
        return stamped == 0 ? arrival.toEpochMilli() : stamped;
    }

    /** A per-peer header's timestamp in epoch milliseconds; 0 when the router gives none. */
    static long stampedMillis(long seconds, long microseconds) {
        return seconds * 1000 + Math.min(microseconds, 999_999L) / 1000;
    }

    private void peerUp(BmpMessage.PeerUp up, Instant arrival) {
        Instant now = Instant.ofEpochMilli(stampedMillis(up.peer(), arrival));
        inventory.peerUp(router.name(), session.id(), up, now);
        peerUpSince.put(up.peer().key(), now);
        log.atInfo().addKeyValue("event", "peer_connected")
                .addKeyValue("router", router.name())
                .addKeyValue("session", session.id())
                .addKeyValue("peer", AddressText.of(up.peer().address()))
                .addKeyValue("peer_asn", up.peer().peerAs())
                .addKeyValue("peer_type", up.peer().peerType())
                .addKeyValue("distinguisher", up.peer().distinguisherText())
                .addKeyValue("table", String.valueOf(up.vrfTableName()))
                .log("BGP peer up");
    }

    private void peerDown(BmpMessage.PeerDown down, Instant arrival) {
        Instant now = Instant.ofEpochMilli(stampedMillis(down.peer(), arrival));
        long withdrawn = rib.peerDown(session, peerKey(down.peer()), now.toEpochMilli());
        inventory.peerDown(router.name(), session.id(), down, now);
        Instant since = peerUpSince.remove(down.peer().key());
        log.atInfo().addKeyValue("event", "peer_disconnected")
                .addKeyValue("router", router.name())
                .addKeyValue("session", session.id())
                .addKeyValue("peer", AddressText.of(down.peer().address()))
                .addKeyValue("reason", down.reason())
                .addKeyValue("notification", down.notification() == null ? "none"
                        : down.notification().code() + "/" + down.notification().subcode())
                .addKeyValue("session_duration_s", since == null ? -1 : Duration.between(since, now).toSeconds())
                .addKeyValue("routes_withdrawn", withdrawn)
                .log("BGP peer down");
    }

    @Override
    public boolean established() {
        return established;
    }

    @Override
    public void onClose(String reason) {
        Instant now = clock.instant();
        long withdrawn = rib.closeSession(session, now.toEpochMilli());
        inventory.routerDisconnected(router.name(), session.id(), now);
        counters.closed();
        log.atInfo().addKeyValue("event", "router_routes_withdrawn").addKeyValue("router", router.name())
                .addKeyValue("session", session.id())
                .addKeyValue("reason", reason).addKeyValue("routes_withdrawn", withdrawn)
                .log("router session ended; the routes it delivered are withdrawn");
    }

    /**
     * The RIB's key of a Route Monitoring's peer: a router sends its peers' messages in long runs,
     * so the last one is kept rather than made anew for every message.
     */
    private PeerKey routeMonitoringPeer(PerPeerHeader header) {
        PeerKey last = lastRouteMonitoringPeer;
        if (last != null && last.type().code() == header.peerType() && last.distinguisher() == header.distinguisher()
                && last.address().equals(header.address())) {
            return last;
        }
        lastRouteMonitoringPeer = peerKey(header);
        return lastRouteMonitoringPeer;
    }

    private static PeerKey peerKey(PerPeerHeader header) {
        return RouterInventory.ribKey(header.key());
    }

    private static String terminationText(int reason) {
        return switch (reason) {
            case BmpMessage.Termination.ADMINISTRATIVELY_CLOSED -> "administratively closed";
            case BmpMessage.Termination.UNSPECIFIED -> "unspecified";
            case BmpMessage.Termination.OUT_OF_RESOURCES -> "out of resources";
            case BmpMessage.Termination.REDUNDANT_CONNECTION -> "redundant connection";
            case BmpMessage.Termination.PERMANENTLY_ADMINISTRATIVELY_CLOSED -> "permanently administratively closed";
            default -> "reason " + reason;
        };
    }
}
