package net.rampart.wire.bmp;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Set;
import net.rampart.wire.bgp.AfiSafi;
import net.rampart.wire.bgp.BgpMessageEncoder;
import net.rampart.wire.bgp.Capability;
import net.rampart.wire.bgp.OpenMessage;
import net.rampart.wire.bgp.PeerCapabilities;
import net.rampart.wire.bgp.UpdateMessage;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.bgp.nlri.LabelStack;
import net.rampart.wire.bgp.nlri.Nlri;
import net.rampart.wire.bgp.nlri.RouteDistinguisher;
import net.rampart.wire.bgp.nlri.UnicastNlri;
import net.rampart.wire.bgp.nlri.VpnNlri;
import net.rampart.wire.ip.Ipv4Prefix;
import net.rampart.wire.ip.Ipv6Prefix;

/**
 * BMP as real routers send it where it departs from the plain RFC 7854 shape, one case per
 * method, for tests that feed it to the collector and to other decoders (tshark, pmacct):
 * <ul>
 *   <li>{@link #tlvsAfterTheUpdate}: TLVs after a Route Monitoring's UPDATE, as Huawei NE40E
 *       appends them (draft-ietf-grow-bmp-tlv): a VRF/table name and one of an unknown type;</li>
 *   <li>{@link #pathMarking}: TLVs about some NLRI of the UPDATE only: a VRF/table name for
 *       all (index 0), and a path status (draft-ietf-grow-bmp-path-marking-tlv) for the second
 *       of two (index 2);</li>
 *   <li>{@link #perFamilyPeerUps}: one Peer Up per address family for one Loc-RIB peer (RFC
 *       9069), ADD-PATH negotiated for IPv4 only, then routes of both families;</li>
 *   <li>{@link #vpnv4WithSixteenByteNextHop}: a VPN-IPv4 route whose next hop lacks its RD;</li>
 *   <li>{@link #twoOctetAsPathOnFourOctetSession}: an AS_PATH in 2-octet form under a per-peer
 *       header that says 4-octet (the A flag clear).</li>
 * </ul>
 * Every stream starts with an Initiation; all routes come from the peer {@link #PEER_ADDRESS}
 * (global instance) or the Loc-RIB peer.
 */
public final class RouterLikeBmp {

    /** The global-instance peer the cases' Adj-RIB-In routes come from. */
    public static final String PEER_ADDRESS = "203.0.113.9";
    public static final long PEER_AS = 65001;
    private static final int LOC_RIB_PEER_TYPE = PerPeerHeader.LOC_RIB_INSTANCE;
    /** The UPDATE's NLRI in the TLV case. */
    public static final String TLV_CASE_PREFIX = "10.1.0.0/24";
    /** The VRF/table name the TLV case carries after its UPDATE. */
    public static final String TLV_CASE_VRF = "blue";
    /** The two NLRI of the path marking case, in the order its UPDATE announces them. */
    public static final String MARKING_CASE_FIRST = "10.5.0.0/24";
    public static final String MARKING_CASE_SECOND = "10.5.1.0/24";
    /** The VRF/table name the path marking case gives both NLRI. */
    public static final String MARKING_CASE_VRF = "red";
    /** The path status the path marking case gives its second NLRI: backup (0x10). */
    public static final long MARKING_CASE_STATUS = 0x10;
    /** The reason code the path marking case sends beside that path status. */
    public static final int MARKING_CASE_REASON = 4;
    /** The IPv4 prefix the per-family case announces twice, with path ids 1 and 2. */
    public static final String ADD_PATH_PREFIX = "10.2.0.0/24";
    /** The IPv6 prefix the per-family case announces without a path id. */
    public static final String IPV6_PREFIX = "2001:db8:2::/48";
    public static final String VPN_PREFIX = "10.3.0.0/24";
    public static final String TWO_OCTET_CASE_PREFIX = "10.4.0.0/24";

    private RouterLikeBmp() {
    }

    /** The messages as one TCP stream. */
    public static byte[] stream(List<byte[]> messages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        messages.forEach(out::writeBytes);
        return out.toByteArray();
    }

    public static byte[] initiation(String sysName) {
        return BmpBytes.body().tlv(InformationTlv.SYS_DESCR, "router-like test generator").tlv(InformationTlv.SYS_NAME, sysName)
                .message(BmpMessage.INITIATION);
    }

    /** Initiation, Peer Up of {@link #PEER_ADDRESS}, and a Route Monitoring with two TLVs after its UPDATE. */
    public static List<byte[]> tlvsAfterTheUpdate() {
        byte[] update = BgpMessageEncoder.encode(ipv4Update(TLV_CASE_PREFIX, -1, PathAttribute.AsPath.sequence(PEER_AS)),
                PeerCapabilities.FOUR_OCTET_AS);
        byte[] monitoring = BmpBytes.body().peer(0, PEER_ADDRESS, PEER_AS).bytes(update)
                .rmTlv(RouteMonitoringTlv.VRF_TABLE_NAME, 0, TLV_CASE_VRF.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .rmTlv(0x7f01, 0, new byte[] {1, 2, 3})
                .message(BmpMessage.ROUTE_MONITORING);
        return List.of(initiation("huawei-like"), globalPeerUp(), monitoring);
    }

    /**
     * Initiation, Peer Up of {@link #PEER_ADDRESS}, and a Route Monitoring of
     * {@link #MARKING_CASE_FIRST} and {@link #MARKING_CASE_SECOND} followed by a VRF/table name
     * TLV with index 0 and a path status TLV (status and reason code) with index 2.
     */
    public static List<byte[]> pathMarking() {
        byte[] status = {0, 0, 0, (byte) MARKING_CASE_STATUS, 0, (byte) MARKING_CASE_REASON};
        byte[] monitoring = BmpBytes.body().peer(0, PEER_ADDRESS, PEER_AS).bytes(pathMarkingUpdate())
                .rmTlv(RouteMonitoringTlv.VRF_TABLE_NAME, 0, MARKING_CASE_VRF.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .rmTlv(RouteMonitoringTlv.PATH_STATUS, 2, status)
                .message(BmpMessage.ROUTE_MONITORING);
        return List.of(initiation("path-marking"), globalPeerUp(), monitoring);
    }

    /**
     * The Route Monitoring of {@link #pathMarking} without its TLVs, as a router that appends
     * none sends it; to follow that case's Peer Up.
     */
    public static byte[] pathMarkingWithoutTlvs() {
        return BmpBytes.body().peer(0, PEER_ADDRESS, PEER_AS).bytes(pathMarkingUpdate()).message(BmpMessage.ROUTE_MONITORING);
    }

    private static byte[] pathMarkingUpdate() {
        UpdateMessage update = new UpdateMessage(List.of(), List.of(new PathAttribute.Origin(PathAttribute.Origin.IGP),
                PathAttribute.AsPath.sequence(PEER_AS), new PathAttribute.NextHop(0xcb007101)),
                List.of(new UnicastNlri(Ipv4Prefix.parse(MARKING_CASE_FIRST)),
                        new UnicastNlri(Ipv4Prefix.parse(MARKING_CASE_SECOND))));
        return BgpMessageEncoder.encode(update, PeerCapabilities.FOUR_OCTET_AS);
    }

    /**
     * Initiation; two Peer Ups of one Loc-RIB peer, the first negotiating IPv4 unicast with
     * ADD-PATH, the second IPv6 unicast without; then {@link #ADD_PATH_PREFIX} with path ids 1
     * and 2 and {@link #IPV6_PREFIX}.
     */
    public static List<byte[]> perFamilyPeerUps() {
        PeerCapabilities ipv4AddPath = PeerCapabilities.of(true, false, Set.of(AfiSafi.IPV4_UNICAST));
        byte[] first = locRibMonitoring(BgpMessageEncoder.encode(
                ipv4Update(ADD_PATH_PREFIX, 1, PathAttribute.AsPath.sequence(PEER_AS)), ipv4AddPath));
        byte[] second = locRibMonitoring(BgpMessageEncoder.encode(
                ipv4Update(ADD_PATH_PREFIX, 2, PathAttribute.AsPath.sequence(PEER_AS, 65002)), ipv4AddPath));
        UpdateMessage v6 = new UpdateMessage(List.of(), List.of(new PathAttribute.Origin(PathAttribute.Origin.IGP),
                PathAttribute.AsPath.sequence(PEER_AS), new PathAttribute.MpReach(AfiSafi.IPV6_UNICAST,
                        BmpBytes.literal("2001:db8::1"), List.<Nlri>of(new UnicastNlri(Ipv6Prefix.parse(IPV6_PREFIX))))),
                List.of());
        byte[] third = locRibMonitoring(BgpMessageEncoder.encode(v6, PeerCapabilities.FOUR_OCTET_AS));
        return List.of(initiation("loc-rib-per-family"),
                locRibPeerUp(AfiSafi.IPV4_UNICAST, Capability.AddPathMode.BOTH),
                locRibPeerUp(AfiSafi.IPV6_UNICAST, Capability.AddPathMode.NONE),
                first, second, third);
    }

    /** Initiation, Peer Up, and a VPN-IPv4 route whose next hop is a bare 16-octet IPv6 address. */
    public static List<byte[]> vpnv4WithSixteenByteNextHop() {
        VpnNlri route = new VpnNlri(-1, LabelStack.ofLabels(100), RouteDistinguisher.ofAs2(65000, 1),
                Ipv4Prefix.parse(VPN_PREFIX));
        UpdateMessage update = new UpdateMessage(List.of(), List.of(new PathAttribute.Origin(PathAttribute.Origin.IGP),
                PathAttribute.AsPath.sequence(PEER_AS),
                new PathAttribute.MpReach(AfiSafi.IPV4_VPN, BmpBytes.literal("2001:db8::9"), List.<Nlri>of(route))),
                List.of());
        byte[] monitoring = BmpBytes.body().peer(0, PEER_ADDRESS, PEER_AS)
                .bytes(BgpMessageEncoder.encode(update, PeerCapabilities.FOUR_OCTET_AS)).message(BmpMessage.ROUTE_MONITORING);
        return List.of(initiation("vpn-next-hop"), globalPeerUp(), monitoring);
    }

    /**
     * Initiation, Peer Up, and a Route Monitoring whose AS_PATH is in 2-octet form while its
     * per-peer header's A flag is clear, which says 4-octet (RFC 7854 section 4.2).
     */
    public static List<byte[]> twoOctetAsPathOnFourOctetSession() {
        byte[] update = BgpMessageEncoder.encode(ipv4Update(TWO_OCTET_CASE_PREFIX, -1,
                PathAttribute.AsPath.sequence(PEER_AS, 65002)), PeerCapabilities.LEGACY);
        byte[] monitoring = BmpBytes.body().peer(0, PEER_ADDRESS, PEER_AS).bytes(update).message(BmpMessage.ROUTE_MONITORING);
        return List.of(initiation("two-octet-path"), globalPeerUp(), monitoring);
    }

    private static UpdateMessage ipv4Update(String prefix, int pathId, PathAttribute.AsPath path) {
        UnicastNlri nlri = pathId < 0 ? new UnicastNlri(Ipv4Prefix.parse(prefix)) : new UnicastNlri(pathId, Ipv4Prefix.parse(prefix));
        return new UpdateMessage(List.of(), List.of(new PathAttribute.Origin(PathAttribute.Origin.IGP), path,
                new PathAttribute.NextHop(0xcb007101)), List.of(nlri));
    }

    private static byte[] globalPeerUp() {
        return BmpBytes.body().peer(0, PEER_ADDRESS, PEER_AS).localAddress("203.0.113.1").u16(179).u16(40000)
                .bytes(open(65000, AfiSafi.IPV4_UNICAST, Capability.AddPathMode.NONE))
                .bytes(open(PEER_AS, AfiSafi.IPV4_UNICAST, Capability.AddPathMode.NONE))
                .message(BmpMessage.PEER_UP);
    }

    /** RFC 9069: a Loc-RIB instance peer has address 0 and the router's own AS and BGP ID. */
    private static byte[] locRibPeerUp(AfiSafi family, Capability.AddPathMode addPath) {
        return BmpBytes.body().peer(LOC_RIB_PEER_TYPE, 0, 0, "0.0.0.0", 65000, "192.0.2.1", 1_700_000_000L, 0)
                .localAddress("0.0.0.0").u16(0).u16(0)
                .bytes(open(65000, family, addPath)).bytes(open(65000, family, addPath))
                .tlv(InformationTlv.VRF_TABLE_NAME, "global").message(BmpMessage.PEER_UP);
    }

    private static byte[] locRibMonitoring(byte[] update) {
        return BmpBytes.body().peer(LOC_RIB_PEER_TYPE, 0, 0, "0.0.0.0", 65000, "192.0.2.1", 1_700_000_000L, 0)
                .bytes(update).message(BmpMessage.ROUTE_MONITORING);
    }

    private static byte[] open(long as, AfiSafi family, Capability.AddPathMode addPath) {
        List<Capability> caps = addPath == Capability.AddPathMode.NONE
                ? List.of(new Capability.Multiprotocol(family), new Capability.FourOctetAs(as))
                : List.of(new Capability.Multiprotocol(family), new Capability.FourOctetAs(as),
                        new Capability.AddPath(List.of(new Capability.AddPathFamily(family, addPath))));
        return BgpMessageEncoder.encode(OpenMessage.of(as, 90, 0xc0000201, caps), PeerCapabilities.LEGACY);
    }
}
