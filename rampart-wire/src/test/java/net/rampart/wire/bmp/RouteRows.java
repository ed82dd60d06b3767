package net.rampart.wire.bmp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;
import net.rampart.wire.bgp.AfiSafi;
import net.rampart.wire.bgp.UpdateMessage;
import net.rampart.wire.bgp.attr.AsPathSegment;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.bgp.nlri.LabeledNlri;
import net.rampart.wire.bgp.nlri.Nlri;
import net.rampart.wire.bgp.nlri.RouteDistinguisher;
import net.rampart.wire.bgp.nlri.UnicastNlri;
import net.rampart.wire.bgp.nlri.VpnNlri;
import net.rampart.wire.ip.IpPrefix;

/**
 * Flattens a decoded Route Monitoring into one row per announced or withdrawn prefix, in the
 * vocabulary pmacct's BMP decode uses, so the two can be compared as multisets of rows.
 */
final class RouteRows {

    /** One prefix event. Attribute fields are null for withdrawals and end-of-RIB markers. */
    record Row(String logType, String view, String peer, int afi, int safi, String rd, String prefix,
               String asPath, String nextHop, String communities, String largeCommunities, String origin,
               Long localPref, Long med) {

        /** The fields a withdrawal carries on the wire; pmacct adds cached attributes to its own. */
        Row keyOnly() {
            return new Row(logType, view, peer, afi, safi, rd, prefix, null, null, null, null, null, null, null);
        }

        Row withLogType(String type) {
            return new Row(type, view, peer, afi, safi, rd, prefix, asPath, nextHop, communities, largeCommunities, origin,
                    localPref, med);
        }
    }

    private RouteRows() {
    }

    static String view(PerPeerHeader peer) {
        return switch (peer.ribView()) {
            case LOC_RIB -> "loc";
            case ADJ_RIB_IN_PRE_POLICY -> "pre";
            case ADJ_RIB_IN_POST_POLICY -> "post";
            case ADJ_RIB_OUT_PRE_POLICY -> "out-pre";
            case ADJ_RIB_OUT_POST_POLICY -> "out-post";
        };
    }

    static List<Row> of(BmpMessage.RouteMonitoring rm) {
        PerPeerHeader peer = rm.peer();
        UpdateMessage update = rm.update();
        String view = view(peer);
        String peerAddress = peer.address().getHostAddress();
        String peerRd = peer.distinguisher() == 0 ? null : pmacctRd(peer.distinguisher());
        List<Row> rows = new ArrayList<>();
        String asPath = update.attribute(PathAttribute.AsPath.class).map(RouteRows::asPath).orElse("");
        String communities = update.attribute(PathAttribute.Communities.class).map(RouteRows::communities).orElse("");
        String large = update.attribute(PathAttribute.LargeCommunities.class)
                .map(l -> String.join(" ", l.values().stream().map(Object::toString).toList())).orElse("");
        String origin = update.attribute(PathAttribute.Origin.class).map(o -> switch (o.value()) {
            case 0 -> "i";
            case 1 -> "e";
            default -> "u"; // pmacct's letter for INCOMPLETE
        }).orElse(null);
        Long localPref = update.attribute(PathAttribute.LocalPref.class).map(PathAttribute.LocalPref::value).orElse(null);
        Long med = update.attribute(PathAttribute.MultiExitDisc.class).map(PathAttribute.MultiExitDisc::value).orElse(null);
        if (update.isEndOfRib()) {
            AfiSafi family = update.mpUnreach().map(PathAttribute.MpUnreach::afiSafi).orElse(AfiSafi.IPV4_UNICAST);
            rows.add(new Row("end-of-rib", view, peerAddress, family.afi(), family.safi(), peerRd, null,
                    null, null, null, null, null, null, null));
            return rows;
        }
        String ipv4NextHop = update.attribute(PathAttribute.NextHop.class)
                .map(n -> formatIpv4(n.address())).orElse(null);
        for (UnicastNlri n : update.announced()) {
            rows.add(new Row("update", view, peerAddress, 1, 1, peerRd, n.prefix().toString(), asPath, ipv4NextHop,
                    communities, large, origin, localPref, med));
        }
        for (UnicastNlri n : update.withdrawn()) {
            rows.add(new Row("withdraw", view, peerAddress, 1, 1, peerRd, n.prefix().toString(), null, null, null, null,
                    null, null, null));
        }
        update.mpReach().ifPresent(reach -> {
            String nextHop = mpNextHop(reach.afiSafi(), reach.nextHop());
            for (Nlri n : reach.nlri()) {
                rows.add(new Row("update", view, peerAddress, reach.afiSafi().afi(), reach.afiSafi().safi(),
                        rd(n, peerRd), prefix(n), asPath, nextHop, communities, large, origin, localPref, med));
            }
        });
        update.mpUnreach().ifPresent(unreach -> {
            for (Nlri n : unreach.nlri()) {
                rows.add(new Row("withdraw", view, peerAddress, unreach.afiSafi().afi(), unreach.afiSafi().safi(),
                        rd(n, peerRd), prefix(n), null, null, null, null, null, null, null));
            }
        });
        return rows;
    }

    private static String rd(Nlri n, String peerRd) {
        return n instanceof VpnNlri v ? pmacctRd(v.rd().value()) : peerRd;
    }

    /** pmacct writes a route distinguisher as its type, a colon, then the RFC 4364 text: {@code 0:64499:94}. */
    private static String pmacctRd(long rd) {
        return (rd >>> 48) + ":" + RouteDistinguisher.format(rd);
    }

    private static String prefix(Nlri n) {
        IpPrefix p = switch (n) {
            case UnicastNlri u -> u.prefix();
            case LabeledNlri l -> l.prefix();
            case VpnNlri v -> v.prefix();
            default -> null;
        };
        return p == null ? n.toString() : p.toString();
    }

    static String asPath(PathAttribute.AsPath path) {
        StringJoiner j = new StringJoiner(" ");
        for (AsPathSegment s : path.segments()) {
            j.add(s.toString());
        }
        return j.toString();
    }

    private static String communities(PathAttribute.Communities c) {
        StringJoiner j = new StringJoiner(" ");
        for (int v : c.values()) {
            j.add((v >>> 16) + ":" + (v & 0xffff));
        }
        return j.toString();
    }

    /**
     * The next hop as collectors print it: the global address when a link-local one follows
     * (RFC 2545), without the zero route distinguisher VPN next hops carry (RFC 4364, 4659).
     */
    static String mpNextHop(AfiSafi family, byte[] nextHop) {
        int offset = family.safi() == AfiSafi.SAFI_VPN && nextHop.length >= 12 ? 8 : 0;
        int length = nextHop.length - offset;
        int addressLength = length >= 16 ? 16 : length == 4 ? 4 : 0;
        if (addressLength == 0) {
            return null;
        }
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(nextHop, offset, offset + addressLength)).getHostAddress();
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static String formatIpv4(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "." + (address & 0xff);
    }
}
