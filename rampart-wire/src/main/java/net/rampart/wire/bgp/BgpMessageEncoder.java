package net.rampart.wire.bgp;

import java.util.ArrayList;
import java.util.List;

import net.rampart.wire.bgp.attr.AsPathSegment;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.bgp.attr.PathAttributeCodec;
import net.rampart.wire.bgp.nlri.Nlri;
import net.rampart.wire.bgp.nlri.PrefixCodec;
import net.rampart.wire.bgp.nlri.UnicastNlri;

/**
 * Encodes BGP messages with their header. The {@link PeerCapabilities} decide AS number width
 * and ADD-PATH path ids exactly as on decode; a message that would exceed the session's
 * maximum size is refused with {@link IllegalArgumentException}.
 */
public final class BgpMessageEncoder {

    private BgpMessageEncoder() {
    }

    public static byte[] encode(BgpMessage message, PeerCapabilities caps) {
        ByteSink out = new ByteSink(message instanceof UpdateMessage ? 512 : 64);
        encode(message, caps, out);
        return out.toByteArray();
    }

    /** Appends the encoded message to {@code out}. */
    public static void encode(BgpMessage message, PeerCapabilities caps, ByteSink out) {
        int start = out.size();
        for (int i = 0; i < 16; i++) {
            out.u8(0xFF);
        }
        out.u16(0).u8(message.type());
        switch (message) {
            case OpenMessage open -> OpenCodec.encode(open, out);
            case UpdateMessage update -> encodeUpdate(update, caps, out);
            case NotificationMessage n -> out.u8(n.code()).u8(n.subcode()).bytes(n.data());
            case KeepaliveMessage k -> {
                // header only
            }
            case RouteRefreshMessage r -> out.u16(r.afiSafi().afi()).u8(r.subtype()).u8(r.afiSafi().safi());
        }
        int length = out.size() - start;
        if (length > caps.maxMessageLength()) {
            throw new IllegalArgumentException("message of " + length + " bytes exceeds the session maximum "
                    + caps.maxMessageLength());
        }
        out.setU16(start + 16, length);
    }

    private static void encodeUpdate(UpdateMessage update, PeerCapabilities caps, ByteSink out) {
        boolean addPath = caps.addPath(AfiSafi.IPV4_UNICAST);
        int withdrawnAt = out.size();
        out.u16(0);
        for (UnicastNlri n : update.withdrawn()) {
            PrefixCodec.writeUnicast(requireIpv4(n), out, addPath);
        }
        out.setU16(withdrawnAt, out.size() - withdrawnAt - 2);
        int attributesAt = out.size();
        out.u16(0);
        for (PathAttribute a : withAs4Attributes(update.attributes(), caps)) {
            ByteSink value = encodeAttributeValue(a, caps);
            int flags = a.flags();
            if (value.size() > 255) {
                out.u8(flags | PathAttribute.FLAG_EXTENDED_LENGTH).u8(a.typeCode()).u16(value.size());
            } else {
                out.u8(flags).u8(a.typeCode()).u8(value.size());
            }
            out.bytes(value.toByteArray());
        }
        int attributesLength = out.size() - attributesAt - 2;
        if (attributesLength > 0xFFFF) {
            throw new IllegalArgumentException("path attributes exceed 65535 bytes");
        }
        out.setU16(attributesAt, attributesLength);
        for (UnicastNlri n : update.announced()) {
            PrefixCodec.writeUnicast(requireIpv4(n), out, addPath);
        }
    }

    /**
     * RFC 6793 section 4.2.2: towards a 2-octet AS session, ASNs above 65535 travel as AS_TRANS,
     * so the real path and aggregator go beside them in AS4_PATH (without confederation
     * segments) and AS4_AGGREGATOR, unless the caller supplied those already.
     */
    private static List<PathAttribute> withAs4Attributes(List<PathAttribute> attributes, PeerCapabilities caps) {
        if (caps.fourOctetAs()) {
            return attributes;
        }
        boolean hasAs4Path = false;
        boolean hasAs4Aggregator = false;
        for (PathAttribute a : attributes) {
            hasAs4Path |= a instanceof PathAttribute.As4Path;
            hasAs4Aggregator |= a instanceof PathAttribute.As4Aggregator;
        }
        List<PathAttribute> out = new ArrayList<>(attributes);
        for (PathAttribute a : attributes) {
            if (a instanceof PathAttribute.AsPath p && !hasAs4Path && needsFourOctets(p.segments())) {
                if (!confederationSegmentsLead(p.segments())) {
                    // The receiver rebuilds the path keeping only leading confederation segments
                    // (RFC 6793 section 4.2.3), so any later one would be lost without a trace.
                    throw new IllegalArgumentException("towards a 2-octet AS session, confederation segments must lead "
                            + "an AS path that needs AS4_PATH: " + p);
                }
                out.add(new PathAttribute.As4Path(p.segments().stream().filter(s -> !s.type().isConfederation()).toList()));
            } else if (a instanceof PathAttribute.Aggregator g && !hasAs4Aggregator && g.asn() > 0xFFFF) {
                out.add(new PathAttribute.As4Aggregator(g.asn(), g.address()));
            }
        }
        return out;
    }

    /** Whether every confederation segment comes before the first ordinary one (RFC 5065 section 4). */
    public static boolean confederationSegmentsLead(List<AsPathSegment> segments) {
        boolean ordinarySeen = false;
        for (AsPathSegment s : segments) {
            if (!s.type().isConfederation()) {
                ordinarySeen = true;
            } else if (ordinarySeen) {
                return false;
            }
        }
        return true;
    }

    private static boolean needsFourOctets(List<AsPathSegment> segments) {
        for (AsPathSegment s : segments) {
            for (int i = 0; i < s.size(); i++) {
                if (s.asn(i) > 0xFFFF) {
                    return true;
                }
            }
        }
        return false;
    }

    private static UnicastNlri requireIpv4(UnicastNlri n) {
        if (n.prefix().afi() != AfiSafi.AFI_IPV4) {
            throw new IllegalArgumentException("the UPDATE NLRI fields carry IPv4 only; use MP_REACH for " + n);
        }
        return n;
    }

    private static ByteSink encodeAttributeValue(PathAttribute a, PeerCapabilities caps) {
        ByteSink value = new ByteSink(64);
        switch (a) {
            case PathAttribute.MpReach m -> {
                value.u16(m.afiSafi().afi()).u8(m.afiSafi().safi()).u8(m.nextHop().length).bytes(m.nextHop()).u8(0);
                for (Nlri n : m.nlri()) {
                    NlriCodec.write(m.afiSafi(), n, value, caps.addPath(m.afiSafi()));
                }
            }
            case PathAttribute.MpUnreach m -> {
                value.u16(m.afiSafi().afi()).u8(m.afiSafi().safi());
                for (Nlri n : m.nlri()) {
                    NlriCodec.write(m.afiSafi(), n, value, caps.addPath(m.afiSafi()));
                }
            }
            default -> PathAttributeCodec.encode(a, value, caps.fourOctetAs());
        }
        if (value.size() > 0xFFFF) {
            throw new IllegalArgumentException("attribute " + a.typeCode() + " longer than 65535 bytes");
        }
        return value;
    }
}
