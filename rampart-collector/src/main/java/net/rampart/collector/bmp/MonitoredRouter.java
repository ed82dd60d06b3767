package net.rampart.collector.bmp;

import net.rampart.wire.AddressText;
import net.rampart.collector.bgp.UpdateRoutes;
import net.rampart.collector.inventory.Inventory;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.PeerType;
import net.rampart.collector.rib.Rib;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteUpdate;
import net.rampart.collector.rib.RouterId;
import net.rampart.wire.DecodeException;
import net.rampart.wire.bmp.BmpMessage;
import net.rampart.wire.bmp.BmpSession;
import net.rampart.wire.bmp.PerPeerHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One router's BMP session as the collector sees it: decodes each message with the router's
 * per-peer state, applies routes to the RIB, keeps the inventory of the router and its peers,
 * and counts what it saw. A message that does not decode is logged with its bytes and skipped.
 */
public final class MonitoredRouter implements RouterSession {

    private static final Logger log = LoggerFactory.getLogger(MonitoredRouter.class);
    private static final int MAX_LOGGED_BYTES = 256;

    private final RouterId router;
    private final Rib rib;
    private final Inventory inventory;
    private final Clock clock;
    private final BmpSession decoder = new BmpSession();
    private final RouterCounters counters;
    private final Map<net.rampart.wire.bmp.PeerKey, Instant> peerUpSince = new ConcurrentHashMap<>();

    public MonitoredRouter(InetAddress address, Rib rib, Inventory inventory, RouterCounters counters, Clock clock) {
        this.router = new RouterId(AddressText.of(address));
        this.rib = rib;
        this.inventory = inventory;
        this.counters = counters;
        this.clock = clock;
        inventory.routerConnected(router.name(), address, clock.instant());
    }

    @Override
    public void onMessage(byte[] message) {
        counters.received(message.length);
        BmpMessage decoded;
        try {
            decoded = decoder.decode(message);
        } catch (DecodeException e) {
            counters.parseError();
            log.atError().addKeyValue("event", "bmp_message_malformed")
                    .addKeyValue("router", router.name())
                    .addKeyValue("message_type", message.length > 5 ? message[5] & 0xFF : -1)
                    .addKeyValue("error", e.getMessage())
                    .addKeyValue("hex", HexFormat.of().formatHex(message, 0, Math.min(message.length, MAX_LOGGED_BYTES)))
                    .log("malformed BMP message skipped");
            return;
        }
        if (decoded instanceof BmpMessage.PeerMessage peerMessage
                && peerMessage.peer().peerType() > PeerType.LOC_RIB_INSTANCE.code()) {
            counters.parseError();
            log.atWarn().addKeyValue("event", "bmp_peer_type_unknown").addKeyValue("router", router.name())
                    .addKeyValue("peer_type", peerMessage.peer().peerType())
                    .log("BMP message for an unknown peer type skipped");
            return;
        }
        handle(decoded);
        counters.processed(decoded.type());
    }

    private void handle(BmpMessage message) {
        Instant now = clock.instant();
        switch (message) {
            case BmpMessage.RouteMonitoring monitoring -> routeMonitoring(monitoring, now);
            case BmpMessage.PeerUp up -> peerUp(up, now);
            case BmpMessage.PeerDown down -> peerDown(down, now);
            case BmpMessage.Initiation initiation ->
                    inventory.routerInitiated(router.name(), initiation.sysName(), initiation.sysDescr(), now);
            case BmpMessage.Termination termination ->
                    inventory.routerTerminated(router.name(), terminationText(termination.reason()), now);
            case BmpMessage.StatisticsReport report -> inventory.statistics(router.name(), report, now);
            case BmpMessage.RouteMirroring ignored -> {
                // Mirrored PDUs are for troubleshooting; the RIB only follows Route Monitoring.
            }
            case BmpMessage.Unknown unknown -> log.atWarn().addKeyValue("event", "bmp_message_unknown")
                    .addKeyValue("router", router.name()).addKeyValue("message_type", unknown.type())
                    .log("BMP message of an unknown type skipped");
        }
    }

    private void routeMonitoring(BmpMessage.RouteMonitoring monitoring, Instant now) {
        PerPeerHeader header = monitoring.peer();
        if (!inventory.knows(router.name(), header.key())) {
            inventory.peerSeen(router.name(), header, now);
        }
        PeerKey peer = peerKey(header);
        RibView view = RibView.of(peer.type(), header.isPostPolicy(), header.isAdjRibOut());
        long time = header.timestamp().toEpochMilli() == 0 ? now.toEpochMilli() : header.timestamp().toEpochMilli();
        UpdateRoutes.Changes changes = UpdateRoutes.of(monitoring.update(), time);
        if (changes.endOfRib() != null) {
            rib.endOfRib(router, peer, view, changes.endOfRib(), time);
            return;
        }
        if (changes.unreliable()) {
            counters.parseError();
            log.atWarn().addKeyValue("event", "bmp_update_unreliable").addKeyValue("router", router.name())
                    .addKeyValue("peer", AddressText.of(header.address()))
                    .addKeyValue("errors", monitoring.update().errors().toString())
                    .log("UPDATE could not be parsed reliably (RFC 7606 session reset); its routes are skipped");
            return;
        }
        for (RouteUpdate block : changes.updates()) {
            rib.apply(router, peer, view, block);
            counters.routes(block.family().group(), block.announced().size() + block.withdrawn().size());
        }
    }

    private void peerUp(BmpMessage.PeerUp up, Instant now) {
        inventory.peerUp(router.name(), up, now);
        peerUpSince.put(up.peer().key(), now);
        log.atInfo().addKeyValue("event", "peer_connected")
                .addKeyValue("router", router.name())
                .addKeyValue("peer", AddressText.of(up.peer().address()))
                .addKeyValue("peer_asn", up.peer().peerAs())
                .addKeyValue("peer_type", up.peer().peerType())
                .addKeyValue("distinguisher", up.peer().distinguisherText())
                .addKeyValue("table", String.valueOf(up.vrfTableName()))
                .log("BGP peer up");
    }

    private void peerDown(BmpMessage.PeerDown down, Instant now) {
        long withdrawn = rib.peerDown(router, peerKey(down.peer()), now.toEpochMilli());
        inventory.peerDown(router.name(), down, now);
        Instant since = peerUpSince.remove(down.peer().key());
        log.atInfo().addKeyValue("event", "peer_disconnected")
                .addKeyValue("router", router.name())
                .addKeyValue("peer", AddressText.of(down.peer().address()))
                .addKeyValue("reason", down.reason())
                .addKeyValue("notification", down.notification() == null ? "none"
                        : down.notification().code() + "/" + down.notification().subcode())
                .addKeyValue("session_duration_s", since == null ? -1 : Duration.between(since, now).toSeconds())
                .addKeyValue("routes_withdrawn", withdrawn)
                .log("BGP peer down");
    }

    @Override
    public void onClose(String reason) {
        Instant now = clock.instant();
        long withdrawn = rib.routerDown(router, now.toEpochMilli());
        inventory.routerDisconnected(router.name(), now);
        counters.closed();
        log.atInfo().addKeyValue("event", "router_routes_withdrawn").addKeyValue("router", router.name())
                .addKeyValue("reason", reason).addKeyValue("routes_withdrawn", withdrawn)
                .log("router session ended; its routes are withdrawn");
    }

    private static PeerKey peerKey(PerPeerHeader header) {
        return Inventory.ribKey(header.key());
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
