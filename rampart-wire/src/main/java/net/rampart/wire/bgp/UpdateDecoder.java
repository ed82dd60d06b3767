package net.rampart.wire.bgp;

import java.util.ArrayList;
import java.util.List;

import net.rampart.wire.DecodeException;
import net.rampart.wire.WireCursor;
import net.rampart.wire.bgp.UpdateError.Problem;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.bgp.attr.PathAttributeCodec;
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
    // Lists are created only when a field has content: most UPDATEs of a full table carry one
    // prefix and no withdrawals, and each saved allocation counts at millions of messages a second.
    private List<UnicastNlri> withdrawn = List.of();
    private final List<PathAttribute> attributes = new ArrayList<>(8);
    private List<UnicastNlri> announced = List.of();
    private List<UpdateError> errors = List.of();
    private int skippedFamilies;
    /** Attribute types seen so far, as a 256-bit set. */
    private long seen0;
    private long seen1;
    private long seen2;
    private long seen3;
    /** Types below 64 that decoded into {@link #attributes}, so checks need no pass over the list. */
    private long decoded;
    private boolean reachesWithMp;

    private UpdateDecoder(PeerCapabilities caps) {
        this.caps = caps;
    }

    /** Decodes an UPDATE body (the bytes after the 19-byte header). */
    static UpdateMessage decode(WireCursor in, PeerCapabilities caps) {
        UpdateDecoder d = new UpdateDecoder(caps);
        d.decodeBody(in);
        return new UpdateMessage(d.withdrawn, d.attributes, d.announced, d.errors, d.skippedFamilies);
    }

    private void error(int attributeType, Problem problem, ErrorAction action, String reason) {
        if (errors.isEmpty()) {
            errors = new ArrayList<>(2);
        }
        errors.add(new UpdateError(attributeType, problem, action, reason));
    }

    private void decodeBody(WireCursor in) {
        boolean ipv4AddPath = caps.addPath(AfiSafi.AFI_IPV4, AfiSafi.SAFI_UNICAST);
        int withdrawnLength = in.uint16("withdrawn routes length");
        if (withdrawnLength > in.remaining() - 2) {
            error(-1, Problem.MALFORMED_MESSAGE, ErrorAction.SESSION_RESET, "withdrawn routes length " + withdrawnLength + " overruns the message");
            return;
        }
        int outer = in.beginSection(withdrawnLength, "withdrawn routes");
        try {
            if (withdrawnLength > 0) {
                withdrawn = new ArrayList<>(Math.min(withdrawnLength / 2, 64));
                PrefixCodec.readUnicast(in, AfiSafi.AFI_IPV4, ipv4AddPath, withdrawn);
            }
        } catch (DecodeException e) {
            error(-1, Problem.MALFORMED_MESSAGE, ErrorAction.SESSION_RESET, "withdrawn routes: " + e.getMessage());
            return;
        }
        in.endSection(outer);
        int attributesLength = in.uint16("total path attribute length");
        if (attributesLength > in.remaining()) {
            error(-1, Problem.MALFORMED_MESSAGE, ErrorAction.SESSION_RESET, "total path attribute length " + attributesLength + " overruns the message");
            return;
        }
        outer = in.beginSection(attributesLength, "path attributes");
        decodeAttributes(in);
        in.endSection(outer);
        try {
            if (in.hasRemaining()) {
                // A /24 takes 4 bytes; sizing for that avoids regrowth for the common case.
                announced = new ArrayList<>(Math.min(in.remaining() / 4 + 1, 1024));
                PrefixCodec.readUnicast(in, AfiSafi.AFI_IPV4, ipv4AddPath, announced);
            }
        } catch (DecodeException e) {
            error(-1, Problem.MALFORMED_MESSAGE, ErrorAction.SESSION_RESET, "NLRI: " + e.getMessage());
            return;
        }
        checkMandatory();
        if (caps.fourOctetAs()) {
            dropAs4Attributes();
        } else {
            mergeAs4Attributes();
        }
    }

    private void decodeAttributes(WireCursor in) {
        while (in.hasRemaining()) {
            if (in.remaining() < 3) {
                error(-1, Problem.MALFORMED_ATTRIBUTE, ErrorAction.TREAT_AS_WITHDRAW, "path attribute header truncated");
                return;
            }
            int flags = in.uint8("attribute flags");
            int type = in.uint8("attribute type");
            boolean extendedLength = (flags & PathAttribute.FLAG_EXTENDED_LENGTH) != 0;
            if (extendedLength && in.remaining() < 2) {
                error(type, Problem.MALFORMED_ATTRIBUTE, ErrorAction.TREAT_AS_WITHDRAW, "path attribute header truncated");
                return;
            }
            int length = extendedLength ? in.uint16("attribute length") : in.uint8("attribute length");
            if (length > in.remaining()) {
                error(type, Problem.MALFORMED_ATTRIBUTE, ErrorAction.TREAT_AS_WITHDRAW,
                        "attribute " + type + " length " + length + " overruns the path attributes");
                return;
            }
            int outer = in.beginSection(length, "path attribute");
            decodeAttribute(in, flags, type, length);
            in.endSection(outer);
        }
    }

    private void decodeAttribute(WireCursor in, int flags, int type, int length) {
        boolean mp = type == PathAttribute.MP_REACH_NLRI || type == PathAttribute.MP_UNREACH_NLRI;
        if (seen(type)) {
            // RFC 7606 section 3(g)
            if (mp) {
                error(type, Problem.REPEATED_ATTRIBUTE, ErrorAction.SESSION_RESET, "attribute " + type + " appears twice");
            } else {
                error(type, Problem.REPEATED_ATTRIBUTE, ErrorAction.ATTRIBUTE_DISCARD, "attribute " + type + " repeated; first kept");
            }
            return;
        }
        markSeen(type);
        int standard = PathAttributeCodec.standardFlags(type);
        if (standard >= 0 && (flags & 0xC0) != standard) {
            // RFC 7606 section 3(c): flags in conflict make the attribute malformed
            error(type, Problem.MALFORMED_ATTRIBUTE, PathAttributeCodec.actionForMalformed(type),
                    "attribute " + type + " has flags " + Integer.toHexString(flags));
            return;
        }
        try {
            if (type == PathAttribute.MP_REACH_NLRI) {
                decodeMpReach(in);
            } else if (type == PathAttribute.MP_UNREACH_NLRI) {
                decodeMpUnreach(in);
            } else {
                attributes.add(PathAttributeCodec.decode(type, flags, in, caps.fourOctetAs()));
                markDecoded(type);
            }
        } catch (DecodeException e) {
            error(type, Problem.MALFORMED_ATTRIBUTE, PathAttributeCodec.actionForMalformed(type),
                    "attribute " + type + " of length " + length + ": " + e.getMessage());
        }
    }

    private void decodeMpReach(WireCursor in) {
        AfiSafi family = new AfiSafi(in.uint16("MP_REACH_NLRI AFI"), in.uint8("MP_REACH_NLRI SAFI"));
        int nextHopLength = in.uint8("MP_REACH_NLRI next hop length");
        byte[] nextHop = in.bytes(nextHopLength, "MP_REACH_NLRI next hop");
        in.uint8("MP_REACH_NLRI reserved byte"); // was the SNPA count
        List<Nlri> nlri = new ArrayList<>();
        if (!family.isDecodable()) {
            skippedFamilies++;
        } else {
            if (!nextHopLengthFits(family, nextHopLength)) {
                error(PathAttribute.MP_REACH_NLRI, Problem.MALFORMED_ATTRIBUTE, ErrorAction.TREAT_AS_WITHDRAW,
                        "next hop length " + nextHopLength + " does not fit " + family);
            }
            NlriCodec.read(in, family, caps.addPath(family), false, nlri);
        }
        attributes.add(new PathAttribute.MpReach(family, nextHop, nlri));
        reachesWithMp = !nlri.isEmpty();
    }

    /**
     * Next hop sizes each family allows. VPN families, IPv4 and IPv6 alike, follow one rule: an
     * RD of zero (8 octets) then an IPv4 address (12: RFC 4364 section 4.3.2 for VPN-IPv4), an
     * IPv6 address (24: RFC 4659 section 3.2.1 for VPN-IPv6, with an IPv4-mapped IPv6 address
     * over an IPv4 core per 3.2.1.2, and RFC 8950 section 4 for VPN-IPv4 over IPv6), or an IPv6
     * global and link-local pair, each behind an RD (48: RFC 4659 section 3.2.1.1, RFC 8950).
     * A next hop without its RD (4, 16 or 32 octets) is none of these: treat-as-withdraw, which
     * the collector counts and explains.
     */
    private static boolean nextHopLengthFits(AfiSafi family, int length) {
        return switch (family.safi()) {
            case AfiSafi.SAFI_VPN -> length == 12 || length == 24 || length == 48;
            case AfiSafi.SAFI_FLOWSPEC -> length == 0 || length == 4 || length == 16 || length == 32;
            // RFC 8950 lets IPv4 NLRI carry an IPv6 next hop, so both sizes are fine for either AFI.
            default -> length == 4 || length == 16 || length == 32;
        };
    }

    private void decodeMpUnreach(WireCursor in) {
        AfiSafi family = new AfiSafi(in.uint16("MP_UNREACH_NLRI AFI"), in.uint8("MP_UNREACH_NLRI SAFI"));
        List<Nlri> nlri = new ArrayList<>();
        if (!family.isDecodable()) {
            skippedFamilies++;
            in.skip(in.remaining(), "MP_UNREACH_NLRI withdrawn routes");
        } else {
            NlriCodec.read(in, family, caps.addPath(family), true, nlri);
        }
        attributes.add(new PathAttribute.MpUnreach(family, nlri));
    }

    private boolean seen(int type) {
        long bit = 1L << (type & 63);
        return switch (type >>> 6) {
            case 0 -> (seen0 & bit) != 0;
            case 1 -> (seen1 & bit) != 0;
            case 2 -> (seen2 & bit) != 0;
            default -> (seen3 & bit) != 0;
        };
    }

    private void markSeen(int type) {
        long bit = 1L << (type & 63);
        switch (type >>> 6) {
            case 0 -> seen0 |= bit;
            case 1 -> seen1 |= bit;
            case 2 -> seen2 |= bit;
            default -> seen3 |= bit;
        }
    }

    private void markDecoded(int type) {
        if (type < 64) {
            decoded |= 1L << type;
        }
    }

    private boolean has(int type) {
        return (decoded & (1L << type)) != 0;
    }

    /** RFC 7606 section 3(d): a missing well-known mandatory attribute withdraws the routes. */
    private void checkMandatory() {
        if (announced.isEmpty() && !reachesWithMp) {
            return;
        }
        requireAttribute(PathAttribute.ORIGIN, "ORIGIN");
        requireAttribute(PathAttribute.AS_PATH, "AS_PATH");
        if (!announced.isEmpty()) {
            requireAttribute(PathAttribute.NEXT_HOP, "NEXT_HOP");
        }
    }

    private void requireAttribute(int type, String name) {
        // An attribute that was present but malformed or repeated already has its own error.
        if (!seen(type)) {
            error(type, Problem.MISSING_ATTRIBUTE, ErrorAction.TREAT_AS_WITHDRAW, "missing well-known attribute " + name);
        }
    }

    /** RFC 6793 section 4.1: between two 4-octet speakers AS4_PATH and AS4_AGGREGATOR are discarded. */
    private void dropAs4Attributes() {
        if (!has(PathAttribute.AS4_PATH) && !has(PathAttribute.AS4_AGGREGATOR)) {
            return;
        }
        for (int i = attributes.size() - 1; i >= 0; i--) {
            int type = attributes.get(i).typeCode();
            if (type == PathAttribute.AS4_PATH || type == PathAttribute.AS4_AGGREGATOR) {
                attributes.remove(i);
                error(type, Problem.UNEXPECTED_ATTRIBUTE, ErrorAction.ATTRIBUTE_DISCARD, "attribute " + type + " on a 4-octet AS session");
            }
        }
    }

    /** RFC 6793 section 4.2.3: rebuild the real AS_PATH and AGGREGATOR on a 2-octet AS session. */
    private void mergeAs4Attributes() {
        if (!has(PathAttribute.AS4_PATH) && !has(PathAttribute.AS4_AGGREGATOR)) {
            return;
        }
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
            PathAttribute.AsPath merged = PathAttributeCodec.mergeAs4Path((PathAttribute.AsPath) attributes.get(asPathAt),
                    (PathAttribute.As4Path) attributes.get(as4PathAt));
            if (merged != null) {
                attributes.set(asPathAt, merged);
            }
        }
        attributes.removeIf(a -> a.typeCode() == PathAttribute.AS4_PATH || a.typeCode() == PathAttribute.AS4_AGGREGATOR);
    }
}
