package net.rampart.collector.bmp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.Ipv6RouteKey;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.RouteKey;
import net.rampart.collector.rib.RouteUpdate;
import net.rampart.wire.bgp.AfiSafi;
import net.rampart.wire.bgp.PeerCapabilities;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.bgp.attr.PathAttributeCodec;
import net.rampart.wire.bmp.BmpMessage;
import net.rampart.wire.bmp.PerPeerHeader;

/**
 * Reads a Route Monitoring straight into the RIB's input when it repeats what its session has
 * just decoded in full: the same peer as the session's last Route Monitoring, and path
 * attributes byte for byte those of a recent UPDATE that announced routes and decoded without
 * an error. Then only the NLRI is read, into route keys, and the attribute set that full decode
 * built serves again: no BMP, UPDATE, attribute or NLRI objects. A router sends a table as runs
 * of one peer's messages, and one prefix per UPDATE repeats an attribute set over consecutive
 * messages, so most messages of such a table take this way. A Route Monitoring of that peer
 * that only withdraws IPv4 or IPv6 unicast routes needs no set and is read so too.
 *
 * <p>Everything else takes the full way ({@link net.rampart.wire.bmp.BmpSession},
 * {@link net.rampart.collector.bgp.UpdateRoutes}), which also teaches this class the sets it
 * may reuse: withdrawals beside announcements, End-of-RIB, an attribute set not seen lately,
 * TLVs after the UPDATE, families other than IPv4 and IPv6 unicast, NLRI that does not parse, a
 * peer without a Peer Up. The outcome is the one the full way gives: the attributes decode the same from the same
 * bytes under the same AS number size, and the route keys are read as {@code PrefixCodec} reads
 * them. Not thread-safe: one per router session.
 */
final class RouteMonitoringShortcut {

    private static final int PEER_HEADER = 6;
    /** Per-peer header fields that say which peer and how to read its messages: all but the timestamp. */
    private static final int PEER_IDENTITY = 34;
    private static final int TIMESTAMP = PEER_HEADER + PEER_IDENTITY;
    private static final int UPDATE = PEER_HEADER + PerPeerHeader.LENGTH;
    private static final int UPDATE_BODY = UPDATE + 19;
    private static final byte[] MARKER = filled(16);
    /** Attribute sets remembered, a power of two: enough for the sets a router interleaves. */
    private static final int SETS = 64;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * An attribute set by the bytes it was decoded from (see {@link #key}). Overwritten in place
     * by the next set learnt in its slot: a packed table learns a set with nearly every message.
     */
    private static final class KnownSet {
        private byte[] key = new byte[0];
        private int length;
        private Family family;
        private PathAttributes attributes;

        boolean is(byte[] other, int otherLength) {
            return Arrays.equals(key, 0, length, other, 0, otherLength);
        }

        void set(byte[] from, int fromLength, Family newFamily, PathAttributes newAttributes) {
            if (key.length < fromLength) {
                key = new byte[Math.max(fromLength, 128)];
            }
            System.arraycopy(from, 0, key, 0, fromLength);
            length = fromLength;
            family = newFamily;
            attributes = newAttributes;
        }
    }

    private final byte[] peerIdentity = new byte[PEER_IDENTITY];
    /** The last Route Monitoring's peer header and what its Peer Up negotiated; null: none to continue. */
    private PerPeerHeader peer;
    private PeerCapabilities capabilities;
    private final KnownSet[] sets = new KnownSet[SETS];

    /** The attribute bytes {@link #key} read last, and where that message's NLRI is. */
    private byte[] key = new byte[512];
    private int keyLength;
    private Family family;
    private int nlriStart;
    private int nlriEnd;
    /**
     * The slot of the key {@link #update} read and did not find, or -1: the message then goes the
     * full way, and {@link #learn} of it need not read the key again.
     */
    private int missedSlot = -1;

    RouteMonitoringShortcut() {
        for (int i = 0; i < SETS; i++) {
            sets[i] = new KnownSet();
        }
    }

    /**
     * The routes of the message in {@code buffer} from {@code offset} as the RIB takes them, or
     * null when it is not one this class reads: then the message goes the full way.
     *
     * @param clock the arrival time, for a router that sends no timestamp
     */
    RouteUpdate update(byte[] buffer, int offset, int length, Clock clock) {
        missedSlot = -1;
        if (peer == null || !repeatsPeer(buffer, offset, length)) {
            return null;
        }
        keyLength = key(buffer, offset, length, capabilities.fourOctetAs());
        if (keyLength < 0) {
            return withdrawal(buffer, offset, length, clock);
        }
        int slot = slot(key, keyLength);
        KnownSet set = sets[slot];
        if (!set.is(key, keyLength)) {
            missedSlot = slot;
            return null;
        }
        boolean ipv6 = family == Family.IPV6_UNICAST;
        List<RouteKey> routes = routes(buffer, nlriStart, nlriEnd, ipv6,
                capabilities.addPath(ipv6 ? AfiSafi.AFI_IPV6 : AfiSafi.AFI_IPV4, AfiSafi.SAFI_UNICAST));
        if (routes == null) {
            return null;
        }
        return new RouteUpdate(time(buffer, offset, clock), set.family, set.attributes, routes, List.of());
    }

    /**
     * The routes of a Route Monitoring that only withdraws, or null: IPv4 unicast routes in the
     * UPDATE's withdrawn field with no attributes and no NLRI, or IPv4 or IPv6 unicast routes in
     * an MP_UNREACH_NLRI that is the UPDATE's only attribute. Such an UPDATE has nothing the full
     * way could find wrong but its NLRI, which do not parse here when they would not there; an
     * empty MP_UNREACH_NLRI is an End-of-RIB, left to the full way.
     */
    private RouteUpdate withdrawal(byte[] m, int offset, int messageLength, Clock clock) {
        int body = offset + UPDATE_BODY;
        int end = offset + messageLength;
        if (!isWholeUpdate(m, offset, messageLength)) {
            return null;
        }
        int withdrawnLength = u16(m, body);
        int attributes = body + 2 + withdrawnLength + 2;
        if (attributes > end) {
            return null;
        }
        int attributesLength = u16(m, attributes - 2);
        int afi = AfiSafi.AFI_IPV4;
        int from;
        int to;
        if (withdrawnLength > 0) {
            if (attributesLength != 0 || attributes != end) {
                return null;
            }
            from = body + 2;
            to = attributes - 2;
        } else {
            int flags = attributesLength < 3 ? 0 : m[attributes] & 0xFF;
            int header = (flags & PathAttribute.FLAG_EXTENDED_LENGTH) != 0 ? 4 : 3;
            if (attributes + attributesLength != end || attributesLength < header + 3
                    || (m[attributes + 1] & 0xFF) != PathAttribute.MP_UNREACH_NLRI || (flags & 0xC0) != PathAttributeCodec.standardFlags(PathAttribute.MP_UNREACH_NLRI)
                    || (header == 4 ? u16(m, attributes + 2) : m[attributes + 2] & 0xFF) != attributesLength - header
                    || (m[attributes + header + 2] & 0xFF) != AfiSafi.SAFI_UNICAST) {
                return null;
            }
            afi = u16(m, attributes + header);
            from = attributes + header + 3;
            to = end;
            if (afi != AfiSafi.AFI_IPV4 && afi != AfiSafi.AFI_IPV6 || from == to) {
                return null;
            }
        }
        boolean ipv6 = afi == AfiSafi.AFI_IPV6;
        List<RouteKey> routes = routes(m, from, to, ipv6, capabilities.addPath(afi, AfiSafi.SAFI_UNICAST));
        if (routes == null) {
            return null;
        }
        return new RouteUpdate(time(m, offset, clock), ipv6 ? Family.IPV6_UNICAST : Family.IPV4_UNICAST, null,
                List.of(), routes);
    }

    /** The per-peer header's timestamp, or the arrival time when the router gives none. */
    private static long time(byte[] m, int offset, Clock clock) {
        long time = MonitoredRouter.stampedMillis(u32(m, offset + TIMESTAMP), u32(m, offset + TIMESTAMP + 4));
        return time == 0 ? clock.millis() : time;
    }

    /**
     * A Route Monitoring went the full way: the next messages may continue from its peer, if a
     * Peer Up of that peer gave its capabilities.
     */
    void follow(byte[] buffer, int offset, PerPeerHeader header, PeerCapabilities negotiated) {
        System.arraycopy(buffer, offset + PEER_HEADER, peerIdentity, 0, PEER_IDENTITY);
        peer = negotiated == null ? null : header;
        capabilities = negotiated;
    }

    /** Any other message of the session: it may change what the peers negotiated. */
    void forgetPeer() {
        peer = null;
        capabilities = null;
    }

    /**
     * Remembers the attribute set of a Route Monitoring that went the full way, decoded without
     * an error and announced one block of routes with no withdrawals and no TLVs.
     *
     * @param attributes the set as the RIB holds it (what {@link net.rampart.collector.rib.Rib#apply} returned)
     */
    void learn(byte[] buffer, int offset, int length, Family announced, PathAttributes attributes) {
        int slot = missedSlot;
        missedSlot = -1;
        if (peer == null) {
            return;
        }
        if (slot < 0) {
            // Not read by update (a message of another peer before it): read now.
            if (!repeatsPeer(buffer, offset, length)) {
                return;
            }
            keyLength = key(buffer, offset, length, capabilities.fourOctetAs());
            if (keyLength < 0) {
                return;
            }
            slot = slot(key, keyLength);
        }
        if (family.equals(announced)) {
            sets[slot].set(key, keyLength, announced, attributes);
        }
    }

    private boolean repeatsPeer(byte[] m, int offset, int length) {
        return length > UPDATE_BODY + 4 && m[offset] == 3 && m[offset + 5] == BmpMessage.ROUTE_MONITORING
                && u32(m, offset + 1) == length
                && Arrays.equals(m, offset + PEER_HEADER, offset + PEER_HEADER + PEER_IDENTITY, peerIdentity, 0, PEER_IDENTITY);
    }

    /**
     * Puts into {@link #key} what decides the message's attribute set: the AS number size, every
     * attribute as it is on the wire but for MP_REACH_NLRI, of which only the flags (without the
     * extended length bit), the family and the next hop count; notes where the NLRI is. Returns
     * the key's length, or -1 for a message this class leaves to the full way.
     */
    private int key(byte[] m, int offset, int messageLength, boolean fourOctetAs) {
        int body = offset + UPDATE_BODY;
        int messageEnd = offset + messageLength;
        if (!isWholeUpdate(m, offset, messageLength) || u16(m, body) != 0) {
            return -1;
        }
        int at = body + 4;
        int end = at + u16(m, body + 2);
        if (end > messageEnd) {
            return -1;
        }
        if (key.length < end - at + 1) {
            key = new byte[end - at + 1];
        }
        int n = 0;
        key[n++] = (byte) (fourOctetAs ? 1 : 0);
        family = null;
        while (at < end) {
            if (end - at < 3) {
                return -1;
            }
            int flags = m[at] & 0xFF;
            int type = m[at + 1] & 0xFF;
            int header = (flags & PathAttribute.FLAG_EXTENDED_LENGTH) != 0 ? 4 : 3;
            if (end - at < header) {
                return -1;
            }
            int length = header == 4 ? u16(m, at + 2) : m[at + 2] & 0xFF;
            int value = at + header;
            if (length > end - value || type == PathAttribute.MP_UNREACH_NLRI) {
                return -1;
            }
            if (type == PathAttribute.MP_REACH_NLRI) {
                int nlri = value + 5 + (length >= 5 ? m[value + 3] & 0xFF : 0);
                if (family != null || length < 5 || nlri > value + length || (m[value + 2] & 0xFF) != AfiSafi.SAFI_UNICAST) {
                    return -1;
                }
                int afi = u16(m, value);
                if (afi != AfiSafi.AFI_IPV4 && afi != AfiSafi.AFI_IPV6) {
                    return -1;
                }
                family = afi == AfiSafi.AFI_IPV4 ? Family.IPV4_UNICAST : Family.IPV6_UNICAST;
                nlriStart = nlri;
                nlriEnd = value + length;
                key[n++] = (byte) (flags & ~PathAttribute.FLAG_EXTENDED_LENGTH);
                key[n++] = (byte) type;
                System.arraycopy(m, value, key, n, nlri - value);
                n += nlri - value;
            } else {
                System.arraycopy(m, at, key, n, header + length);
                n += header + length;
            }
            at = value + length;
        }
        if (family == null) {
            family = Family.IPV4_UNICAST;
            nlriStart = end;
            nlriEnd = messageEnd;
        } else if (end != messageEnd) {
            return -1; // IPv4 NLRI beside MP_REACH_NLRI: two blocks
        }
        return nlriStart < nlriEnd ? n : -1;
    }

    /** Whether the BGP message after the per-peer header is an UPDATE that ends where the BMP message does. */
    private static boolean isWholeUpdate(byte[] m, int offset, int messageLength) {
        int update = offset + UPDATE;
        return Arrays.equals(m, update, update + 16, MARKER, 0, 16)
                && u16(m, update + 16) == offset + messageLength - update && m[update + 18] == 2;
    }

    /** The prefixes as route keys, as the full way reads them; null when they do not parse. */
    private static List<RouteKey> routes(byte[] m, int at, int end, boolean ipv6, boolean addPath) {
        RouteKey first = null;
        List<RouteKey> routes = null;
        while (at < end) {
            int pathId = 0;
            if (addPath) {
                if (end - at < 4) {
                    return null;
                }
                pathId = (int) u32(m, at);
                at += 4;
            }
            if (at == end) {
                return null;
            }
            int bits = m[at++] & 0xFF;
            int bytes = (bits + 7) >>> 3;
            if (bits > (ipv6 ? 128 : 32) || bytes > end - at) {
                return null;
            }
            RouteKey route = ipv6 ? ipv6(m, at, bytes, bits, pathId) : ipv4(m, at, bytes, bits, pathId);
            at += bytes;
            if (first == null) {
                first = route;
            } else {
                if (routes == null) {
                    routes = new ArrayList<>();
                    routes.add(first);
                }
                routes.add(route);
            }
        }
        return routes != null ? routes : first == null ? null : List.of(first);
    }

    private static RouteKey ipv4(byte[] m, int at, int bytes, int bits, int pathId) {
        int address = 0;
        for (int i = 0; i < 4; i++) {
            address = address << 8 | (i < bytes ? m[at + i] & 0xFF : 0);
        }
        return new Ipv4RouteKey(address, bits, pathId);
    }

    private static RouteKey ipv6(byte[] m, int at, int bytes, int bits, int pathId) {
        long high = 0;
        long low = 0;
        for (int i = 0; i < 16; i++) {
            long b = i < bytes ? m[at + i] & 0xFF : 0;
            if (i < 8) {
                high = high << 8 | b;
            } else {
                low = low << 8 | b;
            }
        }
        return new Ipv6RouteKey(high, low, bits, pathId);
    }

    private static int slot(byte[] key, int length) {
        long h = length;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            h = (h ^ (long) LONGS.get(key, i)) * 0x9E3779B97F4A7C15L;
        }
        for (; i < length; i++) {
            h = (h ^ key[i]) * 0x9E3779B97F4A7C15L;
        }
        return (int) (h >>> 40) & (SETS - 1);
    }

    private static int u16(byte[] m, int at) {
        return (m[at] & 0xFF) << 8 | m[at + 1] & 0xFF;
    }

    private static long u32(byte[] m, int at) {
        return (long) (m[at] & 0xFF) << 24 | (m[at + 1] & 0xFF) << 16 | (m[at + 2] & 0xFF) << 8 | m[at + 3] & 0xFF;
    }

    private static byte[] filled(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 0xFF);
        return b;
    }
}
