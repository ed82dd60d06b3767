package net.rampart.server.collector;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import net.rampart.collector.rib.AsPath;
import net.rampart.collector.rib.EvpnRouteKey;
import net.rampart.collector.rib.LabeledPrefix;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.RibRoute;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteKey;
import net.rampart.collector.rib.RouteMarking;
import net.rampart.wire.RouteOriginState;
import net.rampart.wire.bgp.nlri.RouteDistinguisher;
import net.rampart.wire.ip.AddressText;

/**
 * A current route as {@code /api/v1/routes} shows it. Prefixes are canonical CIDR, ASNs numbers,
 * communities {@code asn:value} and large communities {@code global:data1:data2}.
 *
 * @param prefix  CIDR for unicast, VPN and labeled unicast (without the RD, which is in {@code vpn}), the
 *                colon-separated route key for EVPN and other families
 * @param asPath  every ASN of the AS_PATH in path order, members of sets included: the same numbers
 *                route history keeps, so that one route shows one as_path in both
 * @param asPathSegments the AS_PATH's segments, which say which ASNs came in an AS_SET or a
 *                confederation segment; the ASNs of {@code asPath} in the same order
 * @param originAsn the last ASN of a final AS_SEQUENCE; null when the path ends otherwise
 * @param origin  igp, egp or incomplete; null when the route has no ORIGIN
 * @param vpn     route distinguisher and labels when the route is VPN or labeled unicast, else null
 * @param evpn    EVPN fields when the route is EVPN, else null
 * @param bmp     what the BMP router said about the route in TLVs after the UPDATE, else null
 * @param rpki    RFC 6811 origin state (valid, invalid, not-found), or null for routes without an IP prefix
 */
record RouteJson(String router, String peer, int peerType, String distinguisher, String view, String family,
                 String prefix, int pathId, String nextHop, List<Long> asPath, List<Segment> asPathSegments,
                 Long originAsn, String origin, Long med,
                 Long localPref, List<String> communities, List<String> largeCommunities,
                 List<String> extendedCommunities, Vpn vpn, Evpn evpn, Bmp bmp, String rpki, Instant lastChange) {

    /**
     * The fields of a VPN (SAFI 128) or labeled unicast (SAFI 4) route that its prefix leaves out.
     *
     * @param rd     route distinguisher in RFC 4364 text form; null for labeled unicast, which has none
     * @param labels the label values of the latest announcement, top of the stack first
     */
    record Vpn(String rd, List<Integer> labels) {
    }

    /**
     * One AS_PATH segment.
     *
     * @param type as_sequence, as_set, as_confed_sequence or as_confed_set (RFC 4271, RFC 5065)
     */
    record Segment(String type, List<Long> asns) {
    }

    /** The key fields of an EVPN route. */
    record Evpn(int routeType, String rd, String esi, long ethernetTag, String mac, String ip) {
    }

    /**
     * What a BMP router sent about the route in Route Monitoring TLVs (draft-ietf-grow-bmp-tlv,
     * draft-ietf-grow-bmp-path-marking-tlv); each field null when the router did not send it.
     *
     * @param tableName      the VRF or table name
     * @param pathStatus     the names of the set path status bits that have one here
     * @param pathStatusBits the path status bits as a number, the ones without a name here included
     * @param reasonCode     the path status reason code
     */
    record Bmp(String tableName, List<String> pathStatus, Long pathStatusBits, Integer reasonCode) {
    }

    /** Segment type names by their code, {@link AsPath#AS_SET} (1) to {@link AsPath#AS_CONFED_SET} (4). */
    private static final String[] SEGMENT_TYPES = {null, "as_set", "as_sequence", "as_confed_sequence", "as_confed_set"};
    /**
     * Names of the path status bits of draft-ietf-grow-bmp-path-marking-tlv, lowest bit first;
     * bits above these get no name here and show only in the number.
     */
    private static final String[] PATH_STATUS_BITS = {"invalid", "best", "non_selected", "primary", "backup",
            "non_installed", "best_external", "add_path", "filtered_in", "filtered_out"};

    static RouteJson of(RibRoute route, RouteOriginState state) {
        PathAttributes a = route.attributes();
        var peer = route.peer();
        long originAsn = a.asPath().originAsn();
        return new RouteJson(route.router().name(), AddressText.of(peer.address()), peer.type().code(),
                RouteDistinguisher.format(peer.distinguisher()), route.view().label(), route.family().group(),
                prefix(route.key()), route.key().pathId(), address(a.nextHop()),
                Arrays.stream(a.asPath().asns()).boxed().toList(), segments(a.asPath()),
                originAsn < 0 ? null : originAsn, PathAttributes.originName(a.origin()),
                a.med() < 0 ? null : a.med(), a.localPref() < 0 ? null : a.localPref(),
                communities(a.communities()), largeCommunities(a.largeCommunities()),
                extendedCommunities(a.extendedCommunities()), vpn(route.key()), evpn(route), bmp(a.marking()),
                state == null ? null : state.label(), route.lastChange());
    }

    /** The segments of {@code path}, decoded from its {@code [type, count, asn...]} encoding. */
    private static List<Segment> segments(AsPath path) {
        int[] encoded = path.encoded();
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < encoded.length; i += 2 + encoded[i + 1]) {
            List<Long> asns = new ArrayList<>(encoded[i + 1]);
            for (int j = 0; j < encoded[i + 1]; j++) {
                asns.add(Integer.toUnsignedLong(encoded[i + 2 + j]));
            }
            segments.add(new Segment(SEGMENT_TYPES[encoded[i]], asns));
        }
        return segments;
    }

    private static String prefix(RouteKey key) {
        return key instanceof LabeledPrefix labeled ? labeled.prefix().text() : key.text();
    }

    private static Vpn vpn(RouteKey key) {
        if (!(key instanceof LabeledPrefix labeled)) {
            return null;
        }
        return new Vpn(labeled.rd() == null ? null : RouteDistinguisher.format(labeled.rd()),
                Arrays.stream(labeled.labels()).boxed().toList());
    }

    private static Evpn evpn(RibRoute route) {
        if (!(route.key() instanceof EvpnRouteKey evpn)) {
            return null;
        }
        return new Evpn(evpn.routeType(), RouteDistinguisher.format(evpn.rd()),
                evpn.esi() == null ? null : evpn.esiText(), Integer.toUnsignedLong(evpn.ethernetTag()),
                evpn.mac() == null ? null : evpn.macText(), evpn.ip() == null ? null : EvpnRouteKey.ipText(evpn.ip()));
    }

    private static Bmp bmp(RouteMarking marking) {
        if (marking == null) {
            return null;
        }
        if (!marking.hasPathStatus()) {
            return new Bmp(marking.tableName(), null, null, null);
        }
        List<String> names = new ArrayList<>();
        for (int bit = 0; bit < PATH_STATUS_BITS.length; bit++) {
            if ((marking.pathStatus() & 1L << bit) != 0) {
                names.add(PATH_STATUS_BITS[bit]);
            }
        }
        return new Bmp(marking.tableName(), names, marking.pathStatus(),
                marking.reasonCode() == RouteMarking.ABSENT_REASON ? null : marking.reasonCode());
    }

    /**
     * A next hop's text. A 32-byte IPv6 next hop is a global and a link-local address (RFC
     * 2545); the global one is the next hop, as routers and other collectors show it. A VPN
     * next hop puts an 8-byte RD (zero, as the RFCs ask) before its address: 12 bytes for IPv4 (RFC 4364
     * section 4.3.2), 24 for IPv6 (RFC 4659 section 3.2, RFC 8950), 48 for a global and a
     * link-local IPv6 address each after an RD, of which again the global one is shown.
     */
    private static String address(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        return switch (bytes.length) {
            case 4, 16 -> AddressText.of(bytes);
            case 32 -> AddressText.of(Arrays.copyOf(bytes, 16));
            case 12 -> AddressText.of(Arrays.copyOfRange(bytes, 8, 12));
            case 24, 48 -> AddressText.of(Arrays.copyOfRange(bytes, 8, 24));
            default -> HexFormat.of().formatHex(bytes);
        };
    }

    private static List<String> communities(int[] values) {
        List<String> text = new ArrayList<>(values.length);
        for (int value : values) {
            text.add((value >>> 16) + ":" + (value & 0xFFFF));
        }
        return text;
    }

    private static List<String> largeCommunities(int[] triples) {
        List<String> text = new ArrayList<>(triples.length / 3);
        for (int i = 0; i + 2 < triples.length; i += 3) {
            text.add(Integer.toUnsignedString(triples[i]) + ":" + Integer.toUnsignedString(triples[i + 1]) + ":"
                    + Integer.toUnsignedString(triples[i + 2]));
        }
        return text;
    }

    private static List<String> extendedCommunities(long[] values) {
        List<String> text = new ArrayList<>(values.length);
        for (long value : values) {
            text.add(String.format("%016x", value));
        }
        return text;
    }
}
