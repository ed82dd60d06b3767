package net.rampart.wire.openbmp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import net.rampart.wire.bgp.AfiSafi;
import net.rampart.wire.bgp.Capability;
import net.rampart.wire.bgp.NotificationMessage;
import net.rampart.wire.bgp.OpenMessage;
import net.rampart.wire.bgp.UpdateMessage;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.bgp.evpn.EthernetSegmentId;
import net.rampart.wire.bgp.evpn.EvpnRoute;
import net.rampart.wire.bgp.nlri.LabelStack;
import net.rampart.wire.bgp.nlri.LabeledNlri;
import net.rampart.wire.bgp.nlri.Nlri;
import net.rampart.wire.bgp.nlri.UnicastNlri;
import net.rampart.wire.bgp.nlri.VpnNlri;
import net.rampart.wire.bmp.BmpMessage;
import net.rampart.wire.bmp.BmpPeerKey;
import net.rampart.wire.bmp.BmpSession;
import net.rampart.wire.bmp.InformationTlv;
import net.rampart.wire.bmp.PerPeerHeader;
import net.rampart.wire.bmp.Statistic;
import net.rampart.wire.ip.AddressText;
import net.rampart.wire.ip.IpPrefix;
import net.rampart.wire.ip.Ipv4Prefix;

/**
 * Turns one router's BMP messages into the values of OpenBMP's v1.7 parsed topics
 * ({@code router}, {@code peer}, {@code base_attribute}, {@code unicast_prefix}, {@code l3vpn},
 * {@code evpn}, {@code bmp_stat}), as the OpenBMP collector writes them, so that consumers of
 * that feed (obmp-psql and others) read Rampart's unchanged. Collector messages come from
 * {@link #collector}.
 *
 * <p>One encoder per BMP session, fed every message of it in order: it keeps the session's
 * decoding state (the capabilities from each Peer Up), the peers already announced on the
 * {@code peer} topic and one sequence number per topic, each starting at 0. Not thread-safe.
 *
 * <p>Hashes are OpenBMP's, MD5 written as 32 lower-case hex digits: collector = MD5(admin id);
 * router = MD5(router address text + collector hash); peer = MD5(peer address text + peer RD
 * text + router hash, then byte 0x80 for a Loc-RIB peer); base attribute = MD5(AS path + next hop
 * + aggregator + origin + MED and LOCAL_PREF as 4 little-endian bytes each + communities +
 * extended communities + peer hash); a unicast prefix = MD5(prefix + length byte + peer hash,
 * then the ADD-PATH id as 4 little-endian bytes when not 0, then byte 1 when it has labels, then
 * the RIB byte when the view is not Adj-RIB-In pre-policy: 1 for Adj-RIB-Out plus 2 for
 * post-policy). See {@code docs/wire.md} for the l3vpn and evpn hashes and the differences from
 * the OpenBMP collector.
 */
public final class OpenBmpParsedEncoder {

    /** The collector topic's actions. */
    public enum CollectorAction {
        STARTED, CHANGE, HEARTBEAT, STOPPED;

        String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** OpenBMP's timestamps are taken from the per-peer header only from this time on (2000-01-01). */
    private static final long EARLIEST_PEER_TIMESTAMP = 946_684_800L;
    private static final HexFormat HEX = HexFormat.of();

    private final String collectorHash;
    private final String routerHash;
    private final String routerIp;
    private final BmpSession session;
    private final MessageDigest md5;
    private final Map<BmpPeerKey, PeerText> announcedPeers = new HashMap<>();
    private final List<OpenBmpParsedMessage> out = new ArrayList<>();
    private long routerSeq;
    private long peerSeq;
    private long baseAttributeSeq;
    private long unicastSeq;
    private long l3vpnSeq;
    private long evpnSeq;
    private long statSeq;
    private long cachedSecond = Long.MIN_VALUE;
    private String cachedSecondText;

    /** What a peer's rows say about it, computed once per peer. */
    private record PeerText(String hash, String address, String rd, boolean locRib, String tableName) {
    }

    /**
     * @param adminId the collector's name, hashed into the collector hash
     * @param router  the router's address (the BMP session's remote end)
     */
    public OpenBmpParsedEncoder(String adminId, InetAddress router) {
        this(adminId, router, new BmpSession());
    }

    /** With a session of the caller's, which must see no message but through this encoder. */
    public OpenBmpParsedEncoder(String adminId, InetAddress router, BmpSession session) {
        this.md5 = newMd5();
        this.collectorHash = HEX.formatHex(OpenBmpHashes.collector(adminId));
        this.routerIp = AddressText.of(router);
        this.routerHash = hex(routerIp, collectorHash);
        this.session = session;
    }

    /** The collector hash, the {@code C_HASH_ID} of every message. */
    public String collectorHash() {
        return collectorHash;
    }

    /** The router hash, the key of the router topic and a column of every other. */
    public String routerHash() {
        return routerHash;
    }

    /**
     * The parsed messages one BMP message makes, in the order OpenBMP sends them: for a message
     * about a peer not yet announced, first a {@code peer} row with action {@code first}; for a
     * Route Monitoring, the {@code base_attribute} row (when the UPDATE has a next hop), then
     * {@code unicast_prefix} adds, {@code l3vpn} adds and deletes, {@code evpn} adds and deletes,
     * {@code unicast_prefix} deletes, each one message with a row per prefix. Route Mirroring and
     * messages of unknown type make none.
     *
     * @param bmp             one complete BMP message, common header included
     * @param receivedMicros  when it was received, microseconds since the epoch: the time of
     *                        router rows and of peer rows whose per-peer header has no time
     * @return the messages, in a new list
     * @throws net.rampart.wire.DecodeException when the message does not decode
     */
    public List<OpenBmpParsedMessage> encode(byte[] bmp, long receivedMicros) {
        BmpMessage message = session.decode(bmp);
        out.clear();
        switch (message) {
            case BmpMessage.Initiation init -> out.add(router("init", init.sysName(), init.sysDescr(), 0, "",
                    InformationTlv.firstText(init.information(), InformationTlv.STRING), "", "", receivedMicros));
            case BmpMessage.Termination term -> {
                int reason = term.reason();
                out.add(router("term", null, null, Math.max(reason, 0), terminationText(reason), "",
                        InformationTlv.firstText(term.information(), InformationTlv.STRING), "", receivedMicros));
            }
            case BmpMessage.PeerUp up -> peerUp(up, receivedMicros);
            case BmpMessage.PeerDown down -> peerDown(down, receivedMicros);
            case BmpMessage.RouteMonitoring rm -> routeMonitoring(rm, receivedMicros);
            case BmpMessage.StatisticsReport stats -> statistics(stats, receivedMicros);
            default -> {
            }
        }
        return new ArrayList<>(out);
    }

    /**
     * The {@code term} row OpenBMP sends when a router's connection ends without a Termination
     * message: code 65533, reason {@code Connection closed}.
     */
    public OpenBmpParsedMessage connectionClosed(long receivedMicros) {
        return router("term", null, null, 65533, "Connection closed", "", "", "", receivedMicros);
    }

    /**
     * One {@code collector} message.
     *
     * @param adminId   the collector's name
     * @param action    started, change, heartbeat or stopped
     * @param sequence  the collector topic's sequence number, kept by the caller
     * @param routers   the connected routers' addresses, written {@code ", "}-separated
     * @param micros    the time, microseconds since the epoch
     */
    public static OpenBmpParsedMessage collector(String adminId, CollectorAction action, long sequence,
            List<InetAddress> routers, long micros) {
        String hash = HEX.formatHex(OpenBmpHashes.collector(adminId));
        StringBuilder list = new StringBuilder();
        for (InetAddress r : routers) {
            list.append(list.isEmpty() ? "" : ", ").append(AddressText.of(r));
        }
        StringBuilder row = new StringBuilder();
        row.append(action.text()).append('\t').append(sequence).append('\t').append(clean(adminId)).append('\t')
                .append(hash).append('\t').append(list).append('\t').append(routers.size()).append('\t')
                .append(timestamp(micros)).append('\n');
        return OpenBmpParsedMessage.of(OpenBmpParsedMessage.COLLECTOR, hash, hash, row, 1);
    }

    // --- router -----------------------------------------------------------------------------

    private OpenBmpParsedMessage router(String action, String name, String descr, int termCode, String termReason,
            String initData, String termData, String bgpId, long micros) {
        StringBuilder row = new StringBuilder(256);
        row.append(action).append('\t').append(routerSeq++).append('\t').append(clean(name)).append('\t')
                .append(routerHash).append('\t').append(routerIp).append('\t').append(clean(descr)).append('\t')
                .append(termCode).append('\t').append(termReason).append('\t').append(clean(initData)).append('\t')
                .append(clean(termData)).append('\t').append(timestampCached(micros)).append('\t').append(bgpId)
                .append('\n');
        return OpenBmpParsedMessage.of(OpenBmpParsedMessage.ROUTER, routerHash, collectorHash, row, 1);
    }

    private static String terminationText(int reason) {
        return switch (reason) {
            case -1 -> "";
            case BmpMessage.Termination.ADMINISTRATIVELY_CLOSED -> "Remote session administratively closed";
            case BmpMessage.Termination.UNSPECIFIED -> "Remote closed with unspecified reason";
            case BmpMessage.Termination.OUT_OF_RESOURCES -> "Remote out of resources";
            case BmpMessage.Termination.REDUNDANT_CONNECTION -> "Remote considers connection redundant";
            default -> "Unknown " + reason + " termination reason, which is not part of draft.";
        };
    }

    // --- peer -------------------------------------------------------------------------------

    /** A peer's text, its hash computed anew. */
    private PeerText peerText(PerPeerHeader peer, String tableName) {
        boolean locRib = peer.peerType() == PerPeerHeader.LOC_RIB_INSTANCE;
        String address = peerAddress(peer);
        String rd = peerRd(peer.distinguisher());
        md5.reset();
        md5.update(address.getBytes(StandardCharsets.US_ASCII));
        md5.update(rd.getBytes(StandardCharsets.US_ASCII));
        md5.update(routerHash.getBytes(StandardCharsets.US_ASCII));
        if (locRib) {
            md5.update((byte) 0x80);
        }
        return new PeerText(HEX.formatHex(md5.digest()), address, rd, locRib, tableName == null ? "" : tableName);
    }

    /** Sends the {@code first} row for a peer not announced yet; the peer's text either way. */
    private PeerText announced(PerPeerHeader peer, long micros) {
        PeerText known = announcedPeers.get(peer.key());
        if (known != null) {
            return known;
        }
        PeerText text = peerText(peer, null);
        announcedPeers.put(peer.key(), text);
        StringBuilder row = peerColumns("first", peer, text, micros);
        row.append("\t".repeat(15));
        peerFlags(row, peer, text).append('\t').append(text.tableName()).append('\n');
        out.add(OpenBmpParsedMessage.of(OpenBmpParsedMessage.PEER, text.hash(), collectorHash, row, 1));
        return text;
    }

    private StringBuilder peerColumns(String action, PerPeerHeader peer, PeerText text, long micros) {
        StringBuilder row = new StringBuilder(256);
        return row.append(action).append('\t').append(peerSeq++).append('\t').append(text.hash()).append('\t')
                .append(routerHash).append('\t').append("").append('\t')
                .append(Ipv4Prefix.formatAddress(ipv4(peer.bgpId()))).append('\t').append(routerIp).append('\t')
                .append(peerTime(peer, micros)).append('\t').append(peer.peerAs()).append('\t')
                .append(text.address()).append('\t').append(text.rd());
    }

    private static StringBuilder peerFlags(StringBuilder row, PerPeerHeader peer, PeerText text) {
        boolean l3vpn = peer.peerType() == PerPeerHeader.RD_INSTANCE;
        return row.append(l3vpn ? 1 : 0).append('\t').append(prePolicy(peer) ? 1 : 0).append('\t')
                .append(!text.locRib() && !peer.isIpv6() ? 1 : 0).append('\t').append(text.locRib() ? 1 : 0)
                .append('\t').append(peer.isLocRibFiltered() ? 1 : 0);
    }

    private void peerUp(BmpMessage.PeerUp up, long micros) {
        PerPeerHeader peer = up.peer();
        PeerText text = peerText(peer, up.vrfTableName());
        announcedPeers.put(peer.key(), text);
        OpenMessage sent = up.sentOpen();
        OpenMessage received = up.receivedOpen();
        StringBuilder row = peerColumns("up", peer, text, micros);
        row.append('\t').append(up.remotePort()).append('\t').append(sent.autonomousSystem()).append('\t')
                .append(text.locRib() || peer.isIpv6() ? AddressText.of(up.localAddress()) : ipv4Text(up.localAddress()))
                .append('\t').append(up.localPort()).append('\t').append(Ipv4Prefix.formatAddress(sent.bgpIdentifier()))
                .append('\t').append("").append('\t').append(capabilities(sent)).append('\t')
                .append(capabilities(received)).append('\t').append(received.holdTimeSeconds()).append('\t')
                .append(sent.holdTimeSeconds()).append("\t\t\t\t\t");
        peerFlags(row, peer, text).append('\t').append(text.tableName()).append('\n');
        out.add(OpenBmpParsedMessage.of(OpenBmpParsedMessage.PEER, text.hash(), collectorHash, row, 1));
    }

    private void peerDown(BmpMessage.PeerDown down, long micros) {
        PerPeerHeader peer = down.peer();
        PeerText text = announced(peer, micros);
        announcedPeers.remove(peer.key());
        NotificationMessage n = down.notification();
        int code = n == null ? 0 : n.code();
        int subcode = n == null ? 0 : n.subcode();
        String error = switch (down.reason()) {
            case BmpMessage.PeerDown.LOCAL_NOTIFICATION, BmpMessage.PeerDown.REMOTE_NOTIFICATION ->
                    n == null ? "" : notificationText(code, subcode);
            case BmpMessage.PeerDown.LOCAL_NO_NOTIFICATION -> "Local (" + routerIp + ") closed peer (" + text.address()
                    + ") session: fsm_event=" + Math.max(down.fsmEvent(), 0) + ", No BGP notify message.";
            default -> "";
        };
        StringBuilder row = peerColumns("down", peer, text, micros);
        row.append("\t".repeat(11)).append(down.reason()).append('\t').append(code).append('\t').append(subcode)
                .append('\t').append(error).append('\t');
        peerFlags(row, peer, text).append('\t').append('\n');
        out.add(OpenBmpParsedMessage.of(OpenBmpParsedMessage.PEER, text.hash(), collectorHash, row, 1));
    }

    // --- statistics -------------------------------------------------------------------------

    private void statistics(BmpMessage.StatisticsReport report, long micros) {
        PerPeerHeader peer = report.peer();
        PeerText text = announced(peer, micros);
        long[] counters = new long[9];
        for (Statistic s : report.statistics()) {
            if (s.type() >= 0 && s.type() < counters.length && s.hasValue()) {
                counters[s.type()] = s.value();
            }
        }
        StringBuilder row = new StringBuilder(256);
        row.append("add\t").append(statSeq++).append('\t').append(routerHash).append('\t').append(routerIp)
                .append('\t').append(text.hash()).append('\t').append(text.address()).append('\t')
                .append(peer.peerAs()).append('\t').append(peerTime(peer, micros));
        for (long c : counters) {
            row.append('\t').append(c);
        }
        row.append('\n');
        out.add(OpenBmpParsedMessage.of(OpenBmpParsedMessage.BMP_STAT, text.hash(), collectorHash, row, 1));
    }

    // --- route monitoring -------------------------------------------------------------------

    /** The columns every route row of one Route Monitoring shares. */
    private record RouteContext(PeerText peer, long peerAs, String time, boolean prePolicy, boolean adjIn,
                                OpenBmpBaseAttribute attributes, String attributeHash) {
    }

    private void routeMonitoring(BmpMessage.RouteMonitoring rm, long micros) {
        PerPeerHeader peer = rm.peer();
        PeerText text = announced(peer, micros);
        UpdateMessage update = rm.update();
        String time = peerTime(peer, micros);
        OpenBmpBaseAttribute attributes = OpenBmpBaseAttribute.of(update);
        String attributeHash = "";
        if (!attributes.nextHop().isEmpty()) {
            attributeHash = baseAttribute(peer, text, time, attributes);
        }
        RouteContext context = new RouteContext(text, peer.peerAs(), time, prePolicy(peer), adjIn(peer), attributes,
                attributeHash);
        List<Nlri> unicastAdds = new ArrayList<>(update.announced());
        List<Nlri> unicastDels = new ArrayList<>(update.withdrawn());
        List<VpnNlri> vpnAdds = new ArrayList<>();
        List<VpnNlri> vpnDels = new ArrayList<>();
        List<EvpnRoute> evpnAdds = new ArrayList<>();
        List<EvpnRoute> evpnDels = new ArrayList<>();
        for (PathAttribute a : update.attributes()) {
            if (a instanceof PathAttribute.MpReach r) {
                sort(r.afiSafi(), r.nlri(), unicastAdds, vpnAdds, evpnAdds);
            } else if (a instanceof PathAttribute.MpUnreach u) {
                sort(u.afiSafi(), u.nlri(), unicastDels, vpnDels, evpnDels);
            }
        }
        if (!attributeHash.isEmpty()) {
            unicast(context, unicastAdds, true);
            l3vpn(context, vpnAdds, true);
        }
        l3vpn(context, vpnDels, false);
        if (!attributeHash.isEmpty()) {
            evpn(context, evpnAdds, true);
        }
        evpn(context, evpnDels, false);
        unicast(context, unicastDels, false);
    }

    private static void sort(AfiSafi family, List<Nlri> nlri, List<Nlri> unicast, List<VpnNlri> vpn,
            List<EvpnRoute> evpn) {
        boolean ip = family.afi() == AfiSafi.AFI_IPV4 || family.afi() == AfiSafi.AFI_IPV6;
        for (Nlri n : nlri) {
            if (n instanceof VpnNlri v && ip) {
                vpn.add(v);
            } else if ((n instanceof UnicastNlri || n instanceof LabeledNlri) && ip
                    && family.safi() != AfiSafi.SAFI_MULTICAST) {
                unicast.add(n);
            } else if (n instanceof EvpnRoute e) {
                evpn.add(e);
            }
        }
    }

    private String baseAttribute(PerPeerHeader peer, PeerText text, String time, OpenBmpBaseAttribute a) {
        md5.reset();
        ascii(a.asPath());
        ascii(a.nextHop());
        ascii(a.aggregator());
        ascii(a.origin());
        littleEndian32(a.med());
        littleEndian32(a.localPref());
        ascii(a.communities());
        ascii(a.extCommunities());
        ascii(text.hash());
        String hash = HEX.formatHex(md5.digest());
        StringBuilder row = new StringBuilder(512);
        row.append("add\t").append(baseAttributeSeq++).append('\t').append(hash).append('\t').append(routerHash)
                .append('\t').append(routerIp).append('\t').append(text.hash()).append('\t').append(text.address())
                .append('\t').append(peer.peerAs()).append('\t').append(time).append('\t').append(a.origin())
                .append('\t').append(a.asPath()).append('\t').append(a.asPathCount()).append('\t')
                .append(a.originAs()).append('\t').append(a.nextHop()).append('\t').append(a.med()).append('\t')
                .append(a.localPref()).append('\t').append(a.aggregator()).append('\t').append(a.communities())
                .append('\t').append(a.extCommunities()).append('\t').append(a.clusterList()).append('\t')
                .append(a.atomicAggregate() ? 1 : 0).append('\t').append(a.nextHopIpv4() ? 1 : 0).append('\t')
                .append(a.originatorId()).append('\t').append(a.largeCommunities()).append('\n');
        out.add(OpenBmpParsedMessage.of(OpenBmpParsedMessage.BASE_ATTRIBUTE, text.hash(), collectorHash, row, 1));
        return hash;
    }

    private void unicast(RouteContext c, List<Nlri> routes, boolean add) {
        if (routes.isEmpty()) {
            return;
        }
        StringBuilder rows = new StringBuilder(routes.size() * 256);
        for (Nlri n : routes) {
            IpPrefix prefix = n instanceof LabeledNlri l ? l.prefix() : ((UnicastNlri) n).prefix();
            LabelStack labels = n instanceof LabeledNlri l ? l.labels() : null;
            long pathId = Math.max(n.pathId(), 0);
            String address = prefix.addressText();
            md5.reset();
            ascii(address);
            md5.update((byte) prefix.length());
            ascii(c.peer().hash());
            routeHashTail(c, pathId, labels != null && labels.size() > 0);
            String hash = HEX.formatHex(md5.digest());
            routeColumns(rows, add, unicastSeq++, hash, c, add ? c.attributeHash() : "").append('\t').append(address)
                    .append('\t').append(prefix.length()).append('\t').append(prefix.afi() == AfiSafi.AFI_IPV4 ? 1 : 0)
                    .append('\t');
            attributeColumns(rows, c, add);
            rows.append('\t').append(pathId).append('\t').append(labels(labels)).append('\t')
                    .append(c.prePolicy() ? 1 : 0).append('\t').append(c.adjIn() ? 1 : 0).append('\t')
                    .append(add ? c.attributes().largeCommunities() : "").append('\n');
        }
        out.add(OpenBmpParsedMessage.of(OpenBmpParsedMessage.UNICAST_PREFIX, c.peer().hash(), collectorHash, rows,
                routes.size()));
    }

    private void l3vpn(RouteContext c, List<VpnNlri> routes, boolean add) {
        if (routes.isEmpty()) {
            return;
        }
        StringBuilder rows = new StringBuilder(routes.size() * 256);
        for (VpnNlri v : routes) {
            String[] rd = rdParts(v.rd().value());
            long pathId = Math.max(v.pathId(), 0);
            String address = v.prefix().addressText();
            md5.reset();
            ascii(address);
            md5.update((byte) v.prefix().length());
            ascii(rd[0]);
            ascii(rd[1]);
            ascii(c.peer().hash());
            routeHashTail(c, pathId, v.labels().size() > 0);
            String hash = HEX.formatHex(md5.digest());
            routeColumns(rows, add, l3vpnSeq++, hash, c, add ? c.attributeHash() : "").append('\t').append(address)
                    .append('\t').append(v.prefix().length()).append('\t')
                    .append(v.prefix().afi() == AfiSafi.AFI_IPV4 ? 1 : 0).append('\t');
            attributeColumns(rows, c, add);
            rows.append('\t').append(pathId).append('\t').append(labels(v.labels())).append('\t')
                    .append(c.prePolicy() ? 1 : 0).append('\t').append(c.adjIn() ? 1 : 0).append('\t').append(rd[0])
                    .append(':').append(rd[1]).append('\t').append(v.rd().type() & 0xFF).append('\t')
                    .append(add ? c.attributes().largeCommunities() : "").append('\n');
        }
        out.add(OpenBmpParsedMessage.of(OpenBmpParsedMessage.L3VPN, c.peer().hash(), collectorHash, rows,
                routes.size()));
    }

    private void evpn(RouteContext c, List<EvpnRoute> routes, boolean add) {
        if (routes.isEmpty()) {
            return;
        }
        StringBuilder rows = new StringBuilder(routes.size() * 256);
        for (EvpnRoute route : routes) {
            EvpnText e = EvpnText.of(route);
            md5.reset();
            ascii(c.peer().hash());
            ascii(e.mac);
            ascii(e.ip);
            md5.update((byte) e.ipLength);
            ascii(e.esi);
            ascii(e.rd[0]);
            ascii(e.rd[1]);
            routeHashTail(c, 0, false);
            String hash = HEX.formatHex(md5.digest());
            routeColumns(rows, add, evpnSeq++, hash, c, add ? c.attributeHash() : "").append('\t');
            attributeColumns(rows, c, add);
            rows.append('\t').append(0).append('\t').append(c.prePolicy() ? 1 : 0).append('\t')
                    .append(c.adjIn() ? 1 : 0).append('\t').append(e.rd[0]).append(':').append(e.rd[1]).append('\t')
                    .append(e.rdType).append('\t').append(e.originatorLength).append('\t').append(e.originator)
                    .append('\t').append(e.ethernetTag).append('\t').append(e.esi).append('\t').append(e.macLength)
                    .append('\t').append(e.mac).append('\t').append(e.ipLength).append('\t').append(e.ip).append('\t')
                    .append(e.label1).append('\t').append(e.label2).append('\t')
                    .append(add ? c.attributes().largeCommunities() : "").append('\n');
        }
        out.add(OpenBmpParsedMessage.of(OpenBmpParsedMessage.EVPN, c.peer().hash(), collectorHash, rows,
                routes.size()));
    }

    /** Action to Timestamp (the first ten columns of every route topic). */
    private StringBuilder routeColumns(StringBuilder row, boolean add, long seq, String hash, RouteContext c,
            String attributeHash) {
        return row.append(add ? "add" : "del").append('\t').append(seq).append('\t').append(hash).append('\t')
                .append(routerHash).append('\t').append(routerIp).append('\t').append(attributeHash).append('\t')
                .append(c.peer().hash()).append('\t').append(c.peer().address()).append('\t').append(c.peerAs())
                .append('\t').append(c.time());
    }

    /** Origin to Originator Id: the update's attributes for an add, fourteen empty columns for a delete. */
    private static void attributeColumns(StringBuilder row, RouteContext c, boolean add) {
        if (add) {
            c.attributes().appendRouteColumns(row);
        } else {
            row.append("\t".repeat(13));
        }
    }

    private void routeHashTail(RouteContext c, long pathId, boolean labels) {
        if (pathId > 0) {
            littleEndian32(pathId);
        }
        if (labels) {
            md5.update((byte) 1);
        }
        if (!(c.adjIn() && c.prePolicy())) {
            md5.update((byte) ((c.adjIn() ? 0 : 1) | (c.prePolicy() ? 0 : 2)));
        }
    }

    private static String labels(LabelStack labels) {
        if (labels == null || labels.size() == 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < labels.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(labels.label(i));
        }
        return sb.toString();
    }

    /** An EVPN route's columns as OpenBMP writes them; route types it does not read keep only the RD. */
    private static final class EvpnText {
        String[] rd;
        int rdType;
        int originatorLength;
        String originator = "";
        String ethernetTag = "";
        String esi = "";
        int macLength;
        String mac = "";
        int ipLength;
        String ip = "";
        int label1;
        int label2;

        static EvpnText of(EvpnRoute route) {
            EvpnText t = new EvpnText();
            switch (route) {
                case EvpnRoute.EthernetAutoDiscovery r -> {
                    t.rd(r.rd().value());
                    t.esi = esi(r.esi());
                    t.ethernetTag = tag(r.ethernetTag());
                    t.label1 = r.label();
                }
                case EvpnRoute.MacIpAdvertisement r -> {
                    t.rd(r.rd().value());
                    t.esi = esi(r.esi());
                    t.ethernetTag = tag(r.ethernetTag());
                    t.macLength = 48;
                    t.mac = r.macText();
                    if (r.ip() != null) {
                        t.ipLength = r.ip() instanceof Inet4Address ? 32 : 128;
                        t.ip = AddressText.of(r.ip());
                    }
                    t.label1 = r.label1();
                    t.label2 = Math.max(r.label2(), 0);
                }
                case EvpnRoute.InclusiveMulticast r -> {
                    t.rd(r.rd().value());
                    t.ethernetTag = tag(r.ethernetTag());
                    t.originatorLength = r.originatorIp() instanceof Inet4Address ? 32 : 128;
                    t.originator = AddressText.of(r.originatorIp());
                }
                case EvpnRoute.EthernetSegment r -> {
                    t.rd(r.rd().value());
                    t.esi = esi(r.esi());
                    t.originatorLength = r.originatorIp() instanceof Inet4Address ? 32 : 128;
                    t.originator = AddressText.of(r.originatorIp());
                }
                case EvpnRoute.IpPrefixRoute r -> t.rd(r.rd().value());
                case EvpnRoute.Unknown r -> {
                    byte[] v = r.value();
                    long rd = 0;
                    for (int i = 0; i < 8 && i < v.length; i++) {
                        rd = rd << 8 | (v[i] & 0xFF);
                    }
                    t.rd(v.length >= 8 ? rd : 0);
                }
            }
            return t;
        }

        private void rd(long value) {
            rd = rdParts(value);
            rdType = (int) (value >>> 48) & 0xFF;
        }

        private static String tag(long tag) {
            return String.format("%08x", tag);
        }

        /** OpenBMP's ESI text: the type, a space, then a form per type. */
        private static String esi(EthernetSegmentId id) {
            byte[] v = id.value();
            StringBuilder sb = new StringBuilder().append(v[0] & 0xFF).append(' ');
            switch (v[0] & 0xFF) {
                case 0 -> sb.append(HEX.formatHex(v, 1, 10));
                case 1, 2 -> sb.append(HexFormat.ofDelimiter(":").formatHex(v, 1, 7)).append(' ')
                        .append((v[7] & 0xFF) << 8 | (v[8] & 0xFF));
                case 3 -> sb.append(HexFormat.ofDelimiter(":").formatHex(v, 1, 7)).append(' ')
                        .append((v[7] & 0xFF) << 16 | (v[8] & 0xFF) << 8 | (v[9] & 0xFF));
                case 4, 5 -> sb.append(int32(v, 1)).append(' ').append(int32(v, 5));
                default -> {
                }
            }
            return sb.toString();
        }

        private static int int32(byte[] v, int at) {
            return (v[at] & 0xFF) << 24 | (v[at + 1] & 0xFF) << 16 | (v[at + 2] & 0xFF) << 8 | (v[at + 3] & 0xFF);
        }
    }

    // --- shared text ------------------------------------------------------------------------

    /**
     * A route distinguisher as OpenBMP's route rows split it: administrator and assigned number,
     * by the type in its second byte (0: 2-byte AS and 4-byte number, 1: IPv4 address and 2-byte
     * number, 2: 4-byte AS and 2-byte number); both empty for other types.
     */
    static String[] rdParts(long value) {
        return switch ((int) (value >>> 48) & 0xFF) {
            case 0 -> new String[] {Long.toString((value >>> 32) & 0xFFFF), Long.toString(value & 0xFFFF_FFFFL)};
            case 1 -> new String[] {Ipv4Prefix.formatAddress((int) (value >>> 16)), Long.toString(value & 0xFFFF)};
            case 2 -> new String[] {Long.toString((value >>> 16) & 0xFFFF_FFFFL), Long.toString(value & 0xFFFF)};
            default -> new String[] {"", ""};
        };
    }

    /** The per-peer header's distinguisher as OpenBMP writes a peer's RD (type 0 form for types other than 1 and 2). */
    static String peerRd(long value) {
        return switch ((int) (value >>> 48) & 0xFF) {
            case 1 -> Ipv4Prefix.formatAddress((int) (value >>> 16)) + ":" + (value & 0xFFFF);
            case 2 -> ((value >>> 16) & 0xFFFF_FFFFL) + ":" + (value & 0xFFFF);
            default -> ((value >>> 32) & 0xFFFF) + ":" + (value & 0xFFFF_FFFFL);
        };
    }

    /** The peer address as OpenBMP prints it: a Loc-RIB peer's as IPv6 ({@code ::} when zero). */
    private static String peerAddress(PerPeerHeader peer) {
        if (peer.peerType() == PerPeerHeader.LOC_RIB_INSTANCE) {
            byte[] a = peer.address().getAddress();
            byte[] sixteen = new byte[16];
            System.arraycopy(a, 0, sixteen, 16 - a.length, a.length);
            return AddressText.of(sixteen);
        }
        return AddressText.of(peer.address());
    }

    private static String ipv4Text(InetAddress address) {
        byte[] a = address.getAddress();
        return AddressText.of(a.length == 16 ? new byte[] {a[12], a[13], a[14], a[15]} : a);
    }

    private static int ipv4(Inet4Address address) {
        byte[] a = address.getAddress();
        return (a[0] & 0xFF) << 24 | (a[1] & 0xFF) << 16 | (a[2] & 0xFF) << 8 | (a[3] & 0xFF);
    }

    private static boolean prePolicy(PerPeerHeader peer) {
        return peer.peerType() != PerPeerHeader.LOC_RIB_INSTANCE && !peer.isPostPolicy();
    }

    private static boolean adjIn(PerPeerHeader peer) {
        return peer.peerType() != PerPeerHeader.LOC_RIB_INSTANCE && !peer.isAdjRibOut();
    }

    private String peerTime(PerPeerHeader peer, long receivedMicros) {
        if (peer.timestampSeconds() >= EARLIEST_PEER_TIMESTAMP) {
            return timestampCached(peer.timestampSeconds() * 1_000_000L + peer.timestampMicroseconds() % 1_000_000L);
        }
        return timestampCached(receivedMicros);
    }

    /** {@code yyyy-MM-dd HH:mm:ss.uuuuuu} in UTC; the text of the second is kept for the next call. */
    private String timestampCached(long micros) {
        long second = Math.floorDiv(micros, 1_000_000L);
        if (second != cachedSecond) {
            cachedSecond = second;
            cachedSecondText = secondText(second);
        }
        return withMicros(cachedSecondText, Math.floorMod(micros, 1_000_000L));
    }

    /** {@code yyyy-MM-dd HH:mm:ss.uuuuuu} in UTC, as OpenBMP writes every timestamp. */
    static String timestamp(long micros) {
        return withMicros(secondText(Math.floorDiv(micros, 1_000_000L)), Math.floorMod(micros, 1_000_000L));
    }

    private static String withMicros(String second, long micros) {
        String digits = Long.toString(micros);
        return second + "." + "000000".substring(digits.length()) + digits;
    }

    private static String secondText(long second) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
        return t.getYear() + "-" + two(t.getMonthValue()) + "-" + two(t.getDayOfMonth()) + " " + two(t.getHour())
                + ":" + two(t.getMinute()) + ":" + two(t.getSecond());
    }

    private static String two(int v) {
        return v < 10 ? "0" + v : Integer.toString(v);
    }

    /** OpenBMP's cleaning of free text: line ends written as {@code \n}, tabs as spaces. */
    private static String clean(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("\r", "").replace("\n", "\\n").replace("\t", " ");
    }

    private static String capabilities(OpenMessage open) {
        StringBuilder sb = new StringBuilder();
        for (Capability c : open.capabilities()) {
            String text = switch (c) {
                case Capability.FourOctetAs ignored -> "4 Octet ASN (65)";
                case Capability.RouteRefresh ignored -> "Route Refresh (2)";
                case Capability.GracefulRestart ignored -> "Graceful Restart (64)";
                case Capability.Multiprotocol m -> "MPBGP (1) : afi=" + m.afiSafi().afi() + " safi="
                        + m.afiSafi().safi() + " : " + safiText(m.afiSafi().safi()) + " " + afiText(m.afiSafi().afi());
                case Capability.AddPath a -> {
                    StringBuilder each = new StringBuilder();
                    for (Capability.AddPathFamily f : a.families()) {
                        each.append(each.isEmpty() ? "" : ", ").append("ADD Path (69) : afi=").append(f.afiSafi().afi())
                                .append(" safi=").append(f.afiSafi().safi()).append(" send/receive=")
                                .append(f.mode().wire()).append(" : ").append(safiText(f.afiSafi().safi())).append(' ')
                                .append(afiText(f.afiSafi().afi())).append(' ').append(switch (f.mode().wire()) {
                                    case 1 -> "Receive";
                                    case 2 -> "Send";
                                    case 3 -> "Send/Receive";
                                    default -> "unknown";
                                });
                    }
                    yield each.toString();
                }
                default -> switch (c.code()) {
                    case 3 -> "Outbound Filter (3)";
                    case 68 -> "Multi-session (68)";
                    case 70 -> "Route Refresh Enhanced (70)";
                    case 128 -> "Route Refresh Old (128)";
                    default -> Integer.toString(c.code());
                };
            };
            if (text.isEmpty()) {
                continue;
            }
            sb.append(sb.isEmpty() ? "" : ", ").append(text);
        }
        return sb.toString();
    }

    private static String afiText(int afi) {
        return switch (afi) {
            case AfiSafi.AFI_IPV4 -> "IPv4";
            case AfiSafi.AFI_IPV6 -> "IPv6";
            case 16388 -> "BGP-LS";
            default -> "unknown";
        };
    }

    private static String safiText(int safi) {
        return switch (safi) {
            case AfiSafi.SAFI_UNICAST -> "Unicast";
            case AfiSafi.SAFI_MULTICAST -> "Multicast";
            case AfiSafi.SAFI_LABELED_UNICAST -> "Labeled Unicast";
            case AfiSafi.SAFI_EVPN -> "BGP EVPNs";
            case AfiSafi.SAFI_VPN -> "MPLS-Labeled VPN";
            default -> "unknown";
        };
    }

    private static String notificationText(int code, int subcode) {
        return switch (code) {
            case 4 -> "Hold timer expired";
            case 5 -> "FSM error";
            case 6 -> switch (subcode) {
                case 1 -> "Maximum number of prefixes reached";
                case 2 -> "Administrative shutdown";
                case 3 -> "Peer de-configured";
                case 4 -> "Administratively reset";
                case 5 -> "Connection rejected";
                case 6 -> "Other configuration change";
                case 7 -> "Connection collision resolution";
                default -> "Unknown cease code, subcode [" + subcode + "]";
            };
            default -> "Notification code " + code + " subcode " + subcode;
        };
    }

    private void ascii(String text) {
        for (int i = 0; i < text.length(); i++) {
            md5.update((byte) text.charAt(i));
        }
    }

    private void littleEndian32(long value) {
        md5.update((byte) value);
        md5.update((byte) (value >>> 8));
        md5.update((byte) (value >>> 16));
        md5.update((byte) (value >>> 24));
    }

    private String hex(String first, String second) {
        md5.reset();
        ascii(first);
        ascii(second);
        return HEX.formatHex(md5.digest());
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
