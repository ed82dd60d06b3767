package net.rampart.wire.openbmp;

import java.util.HexFormat;
import java.util.List;
import net.rampart.wire.bgp.AfiSafi;
import net.rampart.wire.bgp.UpdateMessage;
import net.rampart.wire.bgp.attr.AsPathSegment;
import net.rampart.wire.bgp.attr.LargeCommunity;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.ip.AddressText;
import net.rampart.wire.ip.Ipv4Prefix;

/**
 * The path attributes of one UPDATE in the text forms of OpenBMP's {@code base_attribute} row
 * (and of the attribute columns of {@code unicast_prefix}, {@code l3vpn} and {@code evpn}):
 * origin {@code igp}/{@code egp}/{@code incomplete}; AS path with a space before every ASN and
 * an AS_SET in {@code  { … }}; the path's ASN count and its last ASN as origin AS; next hop from
 * MP_REACH_NLRI (its first address, after the RD for VPN families) else NEXT_HOP; MED and
 * LOCAL_PREF 0 when absent; aggregator {@code ASN a.b.c.d}; communities {@code a:b}, large
 * communities {@code g:l1:l2} and extended communities ({@code rt=…}, {@code soo=…}, …; a kind
 * OpenBMP does not name is an empty word), each list space-separated; cluster list with a space
 * after every id. Absent text attributes are empty strings.
 */
record OpenBmpBaseAttribute(String origin, String asPath, int asPathCount, long originAs, String nextHop,
                            long med, long localPref, String aggregator, String communities,
                            String extCommunities, String clusterList, boolean atomicAggregate,
                            boolean nextHopIpv4, String originatorId, String largeCommunities) {

    static OpenBmpBaseAttribute of(UpdateMessage update) {
        String origin = "";
        String asPath = "";
        int count = 0;
        long originAs = 0;
        String nextHop = "";
        String mpNextHop = null;
        long med = 0;
        long localPref = 0;
        String aggregator = "";
        String communities = "";
        String ext = "";
        String clusters = "";
        boolean atomic = false;
        String originator = "";
        String large = "";
        for (PathAttribute a : update.attributes()) {
            switch (a) {
                case PathAttribute.Origin o -> origin = switch (o.value()) {
                    case PathAttribute.Origin.IGP -> "igp";
                    case PathAttribute.Origin.EGP -> "egp";
                    default -> "incomplete";
                };
                case PathAttribute.AsPath p -> {
                    StringBuilder sb = new StringBuilder();
                    for (AsPathSegment s : p.segments()) {
                        boolean set = s.type() == AsPathSegment.Type.AS_SET;
                        if (set) {
                            sb.append(" {");
                        }
                        for (int i = 0; i < s.size(); i++) {
                            sb.append(' ').append(s.asn(i));
                            originAs = s.asn(i);
                            count++;
                        }
                        if (set) {
                            sb.append(" }");
                        }
                    }
                    asPath = sb.toString();
                }
                case PathAttribute.NextHop n -> nextHop = Ipv4Prefix.formatAddress(n.address());
                case PathAttribute.MultiExitDisc m -> med = m.value();
                case PathAttribute.LocalPref l -> localPref = l.value();
                case PathAttribute.AtomicAggregate ignored -> atomic = true;
                case PathAttribute.Aggregator g -> aggregator = g.asn() + " " + Ipv4Prefix.formatAddress(g.address());
                case PathAttribute.Communities c -> {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < c.size(); i++) {
                        sb.append(i == 0 ? "" : " ").append(c.get(i) >>> 16).append(':').append(c.get(i) & 0xFFFF);
                    }
                    communities = sb.toString();
                }
                case PathAttribute.OriginatorId o -> originator = Ipv4Prefix.formatAddress(o.address());
                case PathAttribute.ClusterList c -> {
                    StringBuilder sb = new StringBuilder();
                    for (int id : c.clusterIds()) {
                        sb.append(Ipv4Prefix.formatAddress(id)).append(' ');
                    }
                    clusters = sb.toString();
                }
                case PathAttribute.ExtendedCommunities e -> {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < e.size(); i++) {
                        sb.append(i == 0 ? "" : " ").append(extended(e.get(i)));
                    }
                    ext = sb.toString();
                }
                case PathAttribute.LargeCommunities l -> {
                    StringBuilder sb = new StringBuilder();
                    List<LargeCommunity> values = l.values();
                    for (int i = 0; i < values.size(); i++) {
                        LargeCommunity v = values.get(i);
                        sb.append(i == 0 ? "" : " ").append(v.globalAdministrator()).append(':')
                                .append(v.localData1()).append(':').append(v.localData2());
                    }
                    large = sb.toString();
                }
                case PathAttribute.MpReach r -> mpNextHop = mpNextHop(r.afiSafi(), r.nextHop());
                default -> {
                }
            }
        }
        if (mpNextHop != null) {
            nextHop = mpNextHop;
        }
        return new OpenBmpBaseAttribute(origin, asPath, count, originAs, nextHop, med, localPref, aggregator,
                communities, ext, clusters, atomic, nextHop.indexOf(':') < 0, originator, large);
    }

    /** The attribute columns shared by the route topics, from Origin to Originator Id, tab-separated. */
    void appendRouteColumns(StringBuilder row) {
        row.append(origin).append('\t').append(asPath).append('\t').append(asPathCount).append('\t').append(originAs)
                .append('\t').append(nextHop).append('\t').append(med).append('\t').append(localPref).append('\t')
                .append(aggregator).append('\t').append(communities).append('\t').append(extCommunities).append('\t')
                .append(clusterList).append('\t').append(atomicAggregate ? 1 : 0).append('\t')
                .append(nextHopIpv4 ? 1 : 0).append('\t').append(originatorId);
    }

    /**
     * The first address of an MP_REACH_NLRI next hop: 4 bytes for IPv4, 16 for IPv6 (the global
     * address of a global and link-local pair), after the 8-byte RD of a VPN next hop. An EVPN
     * next hop of 4 bytes is IPv4, any other IPv6.
     */
    private static String mpNextHop(AfiSafi family, byte[] nh) {
        int from = family.safi() == AfiSafi.SAFI_VPN && nh.length >= 8 ? 8 : 0;
        boolean ipv4 = switch (family.afi()) {
            case AfiSafi.AFI_IPV4 -> true;
            case AfiSafi.AFI_IPV6 -> false;
            default -> nh.length - from == 4;
        };
        byte[] address = new byte[ipv4 ? 4 : 16];
        System.arraycopy(nh, from, address, 0, Math.max(0, Math.min(address.length, nh.length - from)));
        return AddressText.of(address);
    }

    /** One extended community in OpenBMP's words; kinds it does not name are empty. */
    static String extended(long community) {
        int type = (int) (community >>> 56) & 0xFF;
        int subtype = (int) (community >>> 48) & 0xFF;
        return switch (type) {
            case 0x00 -> common(subtype, Long.toString((community >>> 32) & 0xFFFF), community & 0xFFFF_FFFFL);
            case 0x01 -> common(subtype, Ipv4Prefix.formatAddress((int) (community >>> 16)), community & 0xFFFF);
            case 0x02 -> common(subtype, Long.toString((community >>> 16) & 0xFFFF_FFFFL), community & 0xFFFF);
            case 0x03 -> switch (subtype) {
                case 0x0b -> "color=" + (community & 0xFFFF_FFFFL);
                case 0x0c -> "encap=" + (community & 0xFF);
                case 0x0d -> "default-gw";
                default -> "";
            };
            case 0x06 -> switch (subtype) {
                case 0x00 -> "mac_mob_flags=" + ((community >>> 40) & 0xFF) + " mac_mob_seq_num="
                        + (community & 0xFFFF_FFFFL);
                case 0x02 -> "es_import=" + mac(community);
                case 0x03 -> "router_mac=" + mac(community);
                default -> "";
            };
            default -> "";
        };
    }

    private static String common(int subtype, String global, long local) {
        String name = switch (subtype) {
            case 0x02 -> "rt=";
            case 0x03 -> "soo=";
            case 0x04 -> "link-bw=";
            case 0x05 -> "ospf-did=";
            case 0x07 -> "ospf-rid=";
            case 0x08 -> "colc=";
            case 0x09 -> "sas=";
            default -> null;
        };
        return name == null ? "" : name + global + ":" + local;
    }

    private static String mac(long community) {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (community >>> (40 - 8 * i));
        }
        return HexFormat.ofDelimiter(":").formatHex(b);
    }
}
