package net.rampart.collector.rib;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import net.rampart.wire.bgp.nlri.RouteDistinguisher;
import net.rampart.wire.ip.AddressText;
import net.rampart.wire.ip.Ipv6Prefix;

/**
 * An EVPN route (RFC 7432 route types 1-4, RFC 9136 type 5). Equality and hash cover only
 * the fields that form the route's key for its type, so a re-advertisement that changes a
 * non-key field (ESI or label of a MAC/IP route, gateway of an IP prefix route) replaces the
 * earlier route instead of standing beside it. Unknown route types are keyed by their raw
 * bytes. Arrays are owned by the route and must not be modified.
 *
 * @param rd           route distinguisher as a long
 * @param esi          10-byte Ethernet Segment Identifier, or null where the type has none
 * @param ethernetTag  Ethernet Tag ID (unsigned 32-bit)
 * @param mac          6-byte MAC address (type 2), else null
 * @param ip           the type's IP field: MAC/IP address (2), originating router (3, 4),
 *                     IP prefix (5); null when absent
 * @param ipLength     prefix length for type 5; address length in bits otherwise
 * @param gateway      gateway IP address (type 5), else null
 * @param labels       MPLS label fields (20-bit labels or VNIs as received), never null
 * @param raw          the route-type-specific bytes of an unknown type, else null
 */
public record EvpnRouteKey(int routeType, long rd, byte[] esi, int ethernetTag, byte[] mac, byte[] ip,
                        int ipLength, byte[] gateway, int[] labels, byte[] raw, int pathId) implements RouteKey {

    public static final int ETHERNET_AUTO_DISCOVERY = 1;
    public static final int MAC_IP_ADVERTISEMENT = 2;
    public static final int INCLUSIVE_MULTICAST = 3;
    public static final int ETHERNET_SEGMENT = 4;
    public static final int IP_PREFIX = 5;

    private static final int[] NO_LABELS = new int[0];

    public EvpnRouteKey {
        if (routeType < 0 || routeType > 255) {
            throw new IllegalArgumentException("EVPN route type " + routeType);
        }
        labels = labels == null ? NO_LABELS : labels;
        if (routeType > IP_PREFIX || routeType == 0) {
            Objects.requireNonNull(raw, "raw bytes of an unknown EVPN route type");
        }
    }

    public static EvpnRouteKey macIp(long rd, byte[] esi, int ethernetTag, byte[] mac, byte[] ip, int[] labels,
                                  int pathId) {
        return new EvpnRouteKey(MAC_IP_ADVERTISEMENT, rd, esi, ethernetTag, mac, ip, ip == null ? 0 : ip.length * 8,
                null, labels, null, pathId);
    }

    public static EvpnRouteKey inclusiveMulticast(long rd, int ethernetTag, byte[] originatorIp, int pathId) {
        return new EvpnRouteKey(INCLUSIVE_MULTICAST, rd, null, ethernetTag, null, originatorIp,
                originatorIp.length * 8, null, null, null, pathId);
    }

    public static EvpnRouteKey ipPrefix(long rd, byte[] esi, int ethernetTag, byte[] prefix, int prefixLength,
                                     byte[] gateway, int[] labels, int pathId) {
        return new EvpnRouteKey(IP_PREFIX, rd, esi, ethernetTag, null, prefix, prefixLength, gateway, labels, null,
                pathId);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof EvpnRouteKey r) || r.routeType != routeType || r.rd != rd || r.pathId != pathId) {
            return false;
        }
        return switch (routeType) {
            case ETHERNET_AUTO_DISCOVERY -> Arrays.equals(esi, r.esi) && ethernetTag == r.ethernetTag;
            case MAC_IP_ADVERTISEMENT -> ethernetTag == r.ethernetTag && Arrays.equals(mac, r.mac)
                    && Arrays.equals(ip, r.ip);
            case INCLUSIVE_MULTICAST -> ethernetTag == r.ethernetTag && Arrays.equals(ip, r.ip);
            case ETHERNET_SEGMENT -> Arrays.equals(esi, r.esi) && Arrays.equals(ip, r.ip);
            case IP_PREFIX -> ethernetTag == r.ethernetTag && ipLength == r.ipLength && Arrays.equals(ip, r.ip);
            default -> Arrays.equals(raw, r.raw);
        };
    }

    @Override
    public int hashCode() {
        int h = routeType * 31 + Long.hashCode(rd);
        h = h * 31 + pathId;
        return switch (routeType) {
            case ETHERNET_AUTO_DISCOVERY -> (h * 31 + Arrays.hashCode(esi)) * 31 + ethernetTag;
            case MAC_IP_ADVERTISEMENT -> ((h * 31 + ethernetTag) * 31 + Arrays.hashCode(mac)) * 31 + Arrays.hashCode(ip);
            case INCLUSIVE_MULTICAST -> (h * 31 + ethernetTag) * 31 + Arrays.hashCode(ip);
            case ETHERNET_SEGMENT -> (h * 31 + Arrays.hashCode(esi)) * 31 + Arrays.hashCode(ip);
            case IP_PREFIX -> ((h * 31 + ethernetTag) * 31 + ipLength) * 31 + Arrays.hashCode(ip);
            default -> h * 31 + Arrays.hashCode(raw);
        };
    }

    /**
     * The key as text, {@code type:rd:...} with the type's key fields, e.g.
     * {@code 2:65000:100:0:aa:bb:cc:dd:ee:ff:10.0.0.1}.
     */
    @Override
    public String text() {
        StringBuilder sb = new StringBuilder(64).append(routeType).append(':').append(RouteDistinguisher.format(rd));
        switch (routeType) {
            case ETHERNET_AUTO_DISCOVERY -> sb.append(':').append(esiText()).append(':')
                    .append(Integer.toUnsignedString(ethernetTag));
            case MAC_IP_ADVERTISEMENT -> {
                sb.append(':').append(Integer.toUnsignedString(ethernetTag)).append(':').append(macText());
                if (ip != null) {
                    sb.append(':').append(ipText(ip));
                }
            }
            case INCLUSIVE_MULTICAST -> sb.append(':').append(Integer.toUnsignedString(ethernetTag)).append(':')
                    .append(ipText(ip));
            case ETHERNET_SEGMENT -> sb.append(':').append(esiText()).append(':').append(ipText(ip));
            case IP_PREFIX -> sb.append(':').append(Integer.toUnsignedString(ethernetTag)).append(':')
                    .append(ipText(ip)).append('/').append(ipLength);
            default -> sb.append(':').append(HexFormat.of().formatHex(raw));
        }
        return sb.toString();
    }

    /** The MAC address as {@code aa:bb:cc:dd:ee:ff}, or null. */
    public String macText() {
        return mac == null ? null : HexFormat.ofDelimiter(":").formatHex(mac);
    }

    /** The ESI as colon-separated hex, or null. */
    public String esiText() {
        return esi == null ? null : HexFormat.ofDelimiter(":").formatHex(esi);
    }

    /** Dotted or RFC 5952 text of a 4- or 16-byte address; null for null. */
    public static String ipText(byte[] a) {
        if (a == null) {
            return null;
        }
        if (a.length == 4) {
            return AddressText.of(a);
        }
        if (a.length == 16) {
            // Plain RFC 5952 even for an IPv4-mapped address, as stored route keys were always written.
            return Ipv6Prefix.of(a, 128).addressText();
        }
        return HexFormat.of().formatHex(a);
    }

    @Override
    public String toString() {
        return pathId == 0 ? text() : text() + "#" + Integer.toUnsignedString(pathId);
    }
}
