package net.rampart.wire.bgp;

import java.util.ArrayList;
import java.util.List;

import net.rampart.wire.DecodeException;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.bgp.attr.PathAttributes;
import net.rampart.wire.bgp.nlri.Nlri;
import net.rampart.wire.bgp.nlri.PrefixCodec;
import net.rampart.wire.bgp.nlri.UnicastNlri;

/**
 * UPDATE body decoder with RFC 7606 error handling: every problem becomes an
 * {@link UpdateError} on the result instead of an exception, and decoding goes on as far as
 * the message can still be parsed reliably.
 */
final class UpdateDecoder {

    private final PeerCapabilities caps;
    private final List<UnicastNlri> withdrawn = new ArrayList<>();
    private final List<PathAttribute> attributes = new ArrayList<>(12);
    private final List<UnicastNlri> announced = new ArrayList<>();
    private List<UpdateError> errors = List.of();
    private int skippedFamilies;
    /** Attribute types seen so far, as a 256-bit set. */
    private final long[] seen = new long[4];

    private UpdateDecoder(PeerCapabilities caps) {
        this.caps = caps;
    }

    /** Decodes an UPDATE body (the bytes after the 19-byte header). */
    static UpdateMessage decode(ByteCursor in, PeerCapabilities caps) {
        UpdateDecoder d = new UpdateDecoder(caps);
        d.decodeBody(in);
        return new UpdateMessage(d.withdrawn, d.attributes, d.announced, d.errors, d.skippedFamilies);
    }

    private void error(int attributeType, ErrorAction action, String reason) {
        if (errors.isEmpty()) {
            errors = new ArrayList<>(2);
        }
        errors.add(new UpdateError(attributeType, action, reason));
    }

    private void decodeBody(ByteCursor in) {
        boolean ipv4AddPath = caps.addPath(AfiSafi.AFI_IPV4, AfiSafi.SAFI_UNICAST);
        int withdrawnLength = in.u16();
        if (withdrawnLength > in.remaining() - 2) {
            error(-1, ErrorAction.SESSION_RESET, "withdrawn routes length " + withdrawnLength + " overruns the message");
            return;
        }
        int outer = in.beginSection(withdrawnLength, "withdrawn routes");
        try {
            PrefixCodec.readUnicast(in, AfiSafi.AFI_IPV4, ipv4AddPath, withdrawn);
        } catch (DecodeException e) {
            error(-1, ErrorAction.SESSION_RESET, "withdrawn routes: " + e.getMessage());
            return;
        }
        in.endSection(outer);
        int attributesLength = in.u16();
        if (attributesLength > in.remaining()) {
            error(-1, ErrorAction.SESSION_RESET, "total path attribute length " + attributesLength + " overruns the message");
            return;
        }
        outer = in.beginSection(attributesLength, "path attributes");
        decodeAttributes(in);
        in.endSection(outer);
        try {
            PrefixCodec.readUnicast(in, AfiSafi.AFI_IPV4, ipv4AddPath, announced);
        } catch (DecodeException e) {
            error(-1, ErrorAction.SESSION_RESET, "NLRI: " + e.getMessage());
            return;
        }
        checkMandatory();
        if (caps.fourOctetAs()) {
            dropAs4Attributes();
        } else {
            mergeAs4Attributes();
        }
    }

    private void decodeAttributes(ByteCursor in) {
        while (in.hasRemaining()) {
            if (in.remaining() < 3) {
                error(-1, ErrorAction.TREAT_AS_WITHDRAW, "path attribute header truncated");
                return;
            }
            int flags = in.u8();
            int type = in.u8();
            boolean extendedLength = (flags & PathAttribute.FLAG_EXTENDED_LENGTH) != 0;
            if (extendedLength && in.remaining() < 2) {
                error(type, ErrorAction.TREAT_AS_WITHDRAW, "path attribute header truncated");
                return;
            }
            int length = extendedLength ? in.u16() : in.u8();
            if (length > in.remaining()) {
                error(type, ErrorAction.TREAT_AS_WITHDRAW,
                        "attribute " + type + " length " + length + " overruns the path attributes");
                return;
            }
            int outer = in.beginSection(length, "path attribute");
            decodeAttribute(in, flags, type, length);
            in.endSection(outer);
        }
    }

    private void decodeAttribute(ByteCursor in, int flags, int type, int length) {
        boolean mp = type == PathAttribute.MP_REACH_NLRI || type == PathAttribute.MP_UNREACH_NLRI;
        long bit = 1L << (type & 63);
        if ((seen[type >>> 6] & bit) != 0) {
            // RFC 7606 section 3(g)
            if (mp) {
                error(type, ErrorAction.SESSION_RESET, "attribute " + type + " appears twice");
            } else {
                error(type, ErrorAction.ATTRIBUTE_DISCARD, "attribute " + type + " repeated; first kept");
            }
            return;
        }
        seen[type >>> 6] |= bit;
        int standard = PathAttributes.standardFlags(type);
        if (standard >= 0 && (flags & 0xC0) != standard) {
            // RFC 7606 section 3(c): flags in conflict make the attribute malformed
            error(type, PathAttributes.actionForMalformed(type),
                    "attribute " + type + " has flags " + Integer.toHexString(flags));
            return;
        }
        try {
            if (type == PathAttribute.MP_REACH_NLRI) {
                decodeMpReach(in);
            } else if (type == PathAttribute.MP_UNREACH_NLRI) {
                decodeMpUnreach(in);
            } else {
                attributes.add(PathAttributes.decode(type, flags, in, caps.fourOctetAs()));
            }
        } catch (DecodeException e) {
            error(type, PathAttributes.actionForMalformed(type),
                    "attribute " + type + " of length " + length + ": " + e.getMessage());
        }
    }

    private void decodeMpReach(ByteCursor in) {
        AfiSafi family = new AfiSafi(in.u16(), in.u8());
        int nextHopLength = in.u8();
        byte[] nextHop = in.bytes(nextHopLength);
        in.u8(); // reserved (was SNPA count)
        List<Nlri> nlri = new ArrayList<>();
        if (!family.isDecodable()) {
            skippedFamilies++;
        } else {
            if (!nextHopLengthFits(family, nextHopLength)) {
                error(PathAttribute.MP_REACH_NLRI, ErrorAction.TREAT_AS_WITHDRAW,
                        "next hop length " + nextHopLength + " does not fit " + family);
            }
            NlriCodec.read(in, family, caps.addPath(family), false, nlri);
        }
        attributes.add(new PathAttribute.MpReach(family, nextHop, nlri));
    }

    private static boolean nextHopLengthFits(AfiSafi family, int length) {
        return switch (family.safi()) {
            case AfiSafi.SAFI_VPN -> length == 12 || length == 24 || length == 48;
            case AfiSafi.SAFI_FLOWSPEC -> length == 0 || length == 4 || length == 16 || length == 32;
            // RFC 8950 lets IPv4 NLRI carry an IPv6 next hop, so both sizes are fine for either AFI.
            default -> length == 4 || length == 16 || length == 32;
        };
    }

    private void decodeMpUnreach(ByteCursor in) {
        AfiSafi family = new AfiSafi(in.u16(), in.u8());
        List<Nlri> nlri = new ArrayList<>();
        if (!family.isDecodable()) {
            skippedFamilies++;
            in.skip(in.remaining());
        } else {
            NlriCodec.read(in, family, caps.addPath(family), true, nlri);
        }
        attributes.add(new PathAttribute.MpUnreach(family, nlri));
    }

    private boolean has(int type) {
        for (PathAttribute a : attributes) {
            if (a.typeCode() == type) {
                return true;
            }
        }
        return false;
    }

    /** RFC 7606 section 3(d): a missing well-known mandatory attribute withdraws the routes. */
    private void checkMandatory() {
        boolean reach = !announced.isEmpty();
        for (PathAttribute a : attributes) {
            if (a instanceof PathAttribute.MpReach m && !m.nlri().isEmpty()) {
                reach = true;
            }
        }
        if (!reach) {
            return;
        }
        requireAttribute(PathAttribute.ORIGIN, "ORIGIN");
        requireAttribute(PathAttribute.AS_PATH, "AS_PATH");
        if (!announced.isEmpty()) {
            requireAttribute(PathAttribute.NEXT_HOP, "NEXT_HOP");
        }
    }

    private void requireAttribute(int type, String name) {
        // An attribute that was present but malformed already has its own error.
        if (!has(type) && (seen[type >>> 6] & (1L << (type & 63))) == 0) {
            error(type, ErrorAction.TREAT_AS_WITHDRAW, "missing well-known attribute " + name);
        }
    }

    /** RFC 6793 section 4.1: between two 4-octet speakers AS4_PATH and AS4_AGGREGATOR are discarded. */
    private void dropAs4Attributes() {
        for (int i = attributes.size() - 1; i >= 0; i--) {
            int type = attributes.get(i).typeCode();
            if (type == PathAttribute.AS4_PATH || type == PathAttribute.AS4_AGGREGATOR) {
                attributes.remove(i);
                error(type, ErrorAction.ATTRIBUTE_DISCARD, "attribute " + type + " on a 4-octet AS session");
            }
        }
    }

    /** RFC 6793 section 4.2.3: rebuild the real AS_PATH and AGGREGATOR on a 2-octet AS session. */
    private void mergeAs4Attributes() {
        int asPathAt = -1;
        int as4PathAt = -1;
        int aggregatorAt = -1;
        int as4AggregatorAt = -1;
        for (int i = 0; i < attributes.size(); i++) {
            switch (attributes.get(i).typeCode()) {
                case PathAttribute.AS_PATH -> asPathAt = i;
                case PathAttribute.AS4_PATH -> as4PathAt = i;
                case PathAttribute.AGGREGATOR -> aggregatorAt = i;
                case PathAttribute.AS4_AGGREGATOR -> as4AggregatorAt = i;
                default -> {
                }
            }
        }
        if (as4PathAt < 0 && as4AggregatorAt < 0) {
            return;
        }
        boolean useAs4Path = as4PathAt >= 0;
        if (as4AggregatorAt >= 0 && aggregatorAt >= 0) {
            PathAttribute.Aggregator aggregator = (PathAttribute.Aggregator) attributes.get(aggregatorAt);
            if (aggregator.asn() == OpenMessage.AS_TRANS) {
                PathAttribute.As4Aggregator as4 = (PathAttribute.As4Aggregator) attributes.get(as4AggregatorAt);
                attributes.set(aggregatorAt, new PathAttribute.Aggregator(as4.asn(), as4.address()));
            } else {
                // The aggregating speaker was a 2-octet one: AS4 attributes came from before it and are stale.
                useAs4Path = false;
            }
        }
        if (useAs4Path && asPathAt >= 0) {
            PathAttribute.AsPath merged = PathAttributes.mergeAs4Path((PathAttribute.AsPath) attributes.get(asPathAt),
                    (PathAttribute.As4Path) attributes.get(as4PathAt));
            if (merged != null) {
                attributes.set(asPathAt, merged);
            }
        }
        attributes.removeIf(a -> a.typeCode() == PathAttribute.AS4_PATH || a.typeCode() == PathAttribute.AS4_AGGREGATOR);
    }
}
