package net.rampart.wire.bgp.evpn;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

import net.rampart.wire.bgp.nlri.Nlri;
import net.rampart.wire.bgp.nlri.RouteDistinguisher;
import net.rampart.wire.ip.IpPrefix;

/**
 * An EVPN route (RFC 7432 section 7, RFC 9136 for type 5). Every field is kept, so the value
 * is the route's full key. Labels are the raw 3-byte MPLS label (or VNI) fields. Optional IP
 * addresses are {@code null} when absent; an address family is told by {@link Inet4Address}
 * versus {@code Inet6Address}.
 */
public sealed interface EvpnRoute extends Nlri {

    int ETHERNET_AUTO_DISCOVERY = 1;
    int MAC_IP_ADVERTISEMENT = 2;
    int INCLUSIVE_MULTICAST = 3;
    int ETHERNET_SEGMENT = 4;
    int IP_PREFIX = 5;

    int routeType();

    /** Type 1. */
    record EthernetAutoDiscovery(long pathId, RouteDistinguisher rd, EthernetSegmentId esi, long ethernetTag,
                                 int label) implements EvpnRoute {
        public EthernetAutoDiscovery {
            Objects.requireNonNull(rd);
            Objects.requireNonNull(esi);
            EvpnChecks.tag(ethernetTag);
            EvpnChecks.label(label);
        }

        public int routeType() {
            return ETHERNET_AUTO_DISCOVERY;
        }
    }

    /** Type 2. {@code mac} is the 48-bit address; {@code ip} may be null; {@code label2} is -1 when absent. */
    record MacIpAdvertisement(long pathId, RouteDistinguisher rd, EthernetSegmentId esi, long ethernetTag, long mac,
                              InetAddress ip, int label1, int label2) implements EvpnRoute {
        public MacIpAdvertisement {
            Objects.requireNonNull(rd);
            Objects.requireNonNull(esi);
            EvpnChecks.tag(ethernetTag);
            if ((mac & ~0xFFFF_FFFF_FFFFL) != 0) {
                throw new IllegalArgumentException("MAC is 48 bits");
            }
            EvpnChecks.label(label1);
            if (label2 != -1) {
                EvpnChecks.label(label2);
            }
        }

        public int routeType() {
            return MAC_IP_ADVERTISEMENT;
        }

        public String macText() {
            return HexFormat.ofDelimiter(":").formatHex(new byte[] {(byte) (mac >>> 40), (byte) (mac >>> 32),
                    (byte) (mac >>> 24), (byte) (mac >>> 16), (byte) (mac >>> 8), (byte) mac});
        }
    }

    /** Type 3. */
    record InclusiveMulticast(long pathId, RouteDistinguisher rd, long ethernetTag, InetAddress originatorIp)
            implements EvpnRoute {
        public InclusiveMulticast {
            Objects.requireNonNull(rd);
            Objects.requireNonNull(originatorIp);
            EvpnChecks.tag(ethernetTag);
        }

        public int routeType() {
            return INCLUSIVE_MULTICAST;
        }
    }

    /** Type 4. */
    record EthernetSegment(long pathId, RouteDistinguisher rd, EthernetSegmentId esi, InetAddress originatorIp)
            implements EvpnRoute {
        public EthernetSegment {
            Objects.requireNonNull(rd);
            Objects.requireNonNull(esi);
            Objects.requireNonNull(originatorIp);
        }

        public int routeType() {
            return ETHERNET_SEGMENT;
        }
    }

    /** Type 5 (RFC 9136). {@code gateway} has the prefix's family (zero address when unused). */
    record IpPrefixRoute(long pathId, RouteDistinguisher rd, EthernetSegmentId esi, long ethernetTag, IpPrefix prefix,
                         InetAddress gateway, int label) implements EvpnRoute {
        public IpPrefixRoute {
            Objects.requireNonNull(rd);
            Objects.requireNonNull(esi);
            Objects.requireNonNull(prefix);
            Objects.requireNonNull(gateway);
            EvpnChecks.tag(ethernetTag);
            EvpnChecks.label(label);
            if ((gateway instanceof Inet4Address) != (prefix.afi() == 1)) {
                throw new IllegalArgumentException("gateway and prefix families differ");
            }
        }

        public int routeType() {
            return IP_PREFIX;
        }
    }

    /** A route type Rampart does not model, kept raw. */
    record Unknown(long pathId, int routeType, byte[] value) implements EvpnRoute {
        public Unknown {
            if (routeType < 0 || routeType > 255 || value.length > 255) {
                throw new IllegalArgumentException("route type or length out of range");
            }
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Unknown u && u.pathId == pathId && u.routeType == routeType && Arrays.equals(u.value, value);
        }

        @Override
        public int hashCode() {
            return (Long.hashCode(pathId) * 31 + routeType) * 31 + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "EvpnRoute.Unknown[type=" + routeType + ", value=" + HexFormat.of().formatHex(value) + "]";
        }
    }
}
