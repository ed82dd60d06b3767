package net.rampart.wire.mrt;

import java.util.Arrays;
import java.util.Set;
import net.rampart.wire.DecodeException;
import net.rampart.wire.bgp.AfiSafi;
import net.rampart.wire.bgp.BgpMessage;
import net.rampart.wire.bgp.BgpMessageDecoder;
import net.rampart.wire.bgp.PeerCapabilities;
import net.rampart.wire.bgp.UpdateMessage;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.bgp.attr.PathAttributeCodec;

/**
 * Decodes the BGP content of MRT records with the capabilities the record type implies
 * (RFC 6396, RFC 8050): never guessed from lengths.
 *
 * <ul>
 *   <li>BGP4MP MESSAGE, MESSAGE_LOCAL, their ADDPATH forms, deprecated BGP and TABLE_DUMP:
 *       2-octet AS numbers (AS4_PATH merged in by the BGP decoder).</li>
 *   <li>BGP4MP *_AS4 forms and every TABLE_DUMP_V2 RIB entry: 4-octet AS numbers.</li>
 *   <li>*_ADDPATH subtypes: path identifiers on the NLRI of every family.</li>
 * </ul>
 *
 * Path attributes stored without a message (TABLE_DUMP, TABLE_DUMP_V2) are decoded as the
 * attributes of an UPDATE that announces nothing, with the attribute flags of known types
 * normalised; the routes' prefixes are in the record.
 */
public final class MrtRouteDecoder {

    private static final Set<AfiSafi> ALL_DECODABLE = Set.of(AfiSafi.IPV4_UNICAST, AfiSafi.IPV6_UNICAST,
            AfiSafi.IPV4_MULTICAST, AfiSafi.IPV6_MULTICAST, AfiSafi.IPV4_LABELED_UNICAST, AfiSafi.IPV6_LABELED_UNICAST,
            AfiSafi.IPV4_VPN, AfiSafi.IPV6_VPN, AfiSafi.L2VPN_EVPN, AfiSafi.IPV4_FLOWSPEC, AfiSafi.IPV6_FLOWSPEC);
    private static final PeerCapabilities AS2 = PeerCapabilities.of(false, true, Set.of());
    private static final PeerCapabilities AS4 = PeerCapabilities.of(true, true, Set.of());
    private static final PeerCapabilities AS2_ADDPATH = PeerCapabilities.of(false, true, ALL_DECODABLE);
    private static final PeerCapabilities AS4_ADDPATH = PeerCapabilities.of(true, true, ALL_DECODABLE);
    private static final int MP_REACH_NLRI = 14;

    private MrtRouteDecoder() {
    }

    /** The BGP message of a BGP4MP / BGP4MP_ET message record. */
    public static BgpMessage message(MrtRecord.Bgp4mpMessage record) {
        PeerCapabilities caps = record.addPath() ? (record.as4() ? AS4_ADDPATH : AS2_ADDPATH) : (record.as4() ? AS4 : AS2);
        return BgpMessageDecoder.decode(record.bgpMessage(), caps);
    }

    /** The BGP message of a deprecated BGP record. */
    public static BgpMessage message(MrtRecord.LegacyBgpMessage record) {
        return BgpMessageDecoder.decode(record.bgpMessage(), AS2);
    }

    /** The path attributes of a TABLE_DUMP entry. */
    public static UpdateMessage attributes(MrtRecord.TableDumpEntry entry) {
        return attributesOnly(withStandardFlags(entry.attributes()), AS2);
    }

    /**
     * The path attributes of a TABLE_DUMP_V2 RIB entry of the given family. Its MP_REACH_NLRI
     * holds only the next hop (RFC 6396 section 4.3.4); it is rebuilt as a full attribute of
     * that family with no NLRI, so {@link PathAttribute.MpReach#nextHop()} gives the next hop.
     */
    public static UpdateMessage attributes(AfiSafi family, MrtRecord.RibEntry entry) {
        return attributesOnly(withStandardFlags(expandMpReach(family, entry.attributes())), AS4);
    }

    /**
     * A copy of stored attributes with the optional and transitive flags of known types set as
     * the RFCs define them. In a dump the flags carry no information (no speaker reads them),
     * and some writers leave them zero: BIRD 2.0 stores NEXT_HOP and LOCAL_PREF with flags 0,
     * which the UPDATE decoder would rightly treat as malformed on a session.
     */
    static byte[] withStandardFlags(byte[] attributes) {
        byte[] out = null;
        int p = 0;
        while (p + 3 <= attributes.length) {
            int flags = attributes[p] & 0xff;
            int type = attributes[p + 1] & 0xff;
            boolean extended = (flags & PathAttribute.FLAG_EXTENDED_LENGTH) != 0;
            int headerLength = extended ? 4 : 3;
            if (p + headerLength > attributes.length) {
                break;
            }
            int length = extended ? ((attributes[p + 2] & 0xff) << 8) | (attributes[p + 3] & 0xff) : attributes[p + 2] & 0xff;
            int standard = PathAttributeCodec.standardFlags(type);
            if (standard >= 0 && (flags & 0xc0) != standard) {
                if (out == null) {
                    out = attributes.clone();
                }
                out[p] = (byte) ((flags & 0x3f) | standard);
            }
            p += headerLength + length;
        }
        return out == null ? attributes : out;
    }

    private static UpdateMessage attributesOnly(byte[] attributes, PeerCapabilities caps) {
        int length = BgpMessage.HEADER_LENGTH + 4 + attributes.length;
        if (length > BgpMessage.MAX_EXTENDED_LENGTH) {
            throw new DecodeException("path attributes of " + attributes.length + " bytes do not fit a BGP message");
        }
        byte[] update = new byte[length];
        Arrays.fill(update, 0, 16, (byte) 0xff);
        update[16] = (byte) (length >>> 8);
        update[17] = (byte) length;
        update[18] = BgpMessage.TYPE_UPDATE;
        update[21] = (byte) (attributes.length >>> 8);
        update[22] = (byte) attributes.length;
        System.arraycopy(attributes, 0, update, 23, attributes.length);
        return (UpdateMessage) BgpMessageDecoder.decode(update, caps);
    }

    /**
     * Rewrites an abbreviated MP_REACH_NLRI (next hop length + next hop) into the full form.
     * An attribute that is already full (some writers ignore RFC 6396 here) is left alone: it
     * is abbreviated exactly when its first octet is its length minus one.
     */
    static byte[] expandMpReach(AfiSafi family, byte[] attributes) {
        int p = 0;
        while (p + 3 <= attributes.length) {
            int flags = attributes[p] & 0xff;
            int type = attributes[p + 1] & 0xff;
            boolean extended = (flags & PathAttribute.FLAG_EXTENDED_LENGTH) != 0;
            int headerLength = extended ? 4 : 3;
            if (p + headerLength > attributes.length) {
                break;
            }
            int length = extended ? ((attributes[p + 2] & 0xff) << 8) | (attributes[p + 3] & 0xff) : attributes[p + 2] & 0xff;
            int value = p + headerLength;
            if (value + length > attributes.length) {
                break;
            }
            if (type == MP_REACH_NLRI && length >= 1 && (attributes[value] & 0xff) == length - 1) {
                return withFullMpReach(attributes, p, headerLength + length, family, value, length);
            }
            p = value + length;
        }
        return attributes;
    }

    private static byte[] withFullMpReach(byte[] attributes, int start, int oldLength, AfiSafi family, int nextHopAt,
                                          int nextHopFieldLength) {
        // AFI (2) + SAFI (1) + next hop length and next hop + reserved (1), no NLRI.
        int valueLength = 3 + nextHopFieldLength + 1;
        int headerLength = valueLength > 255 ? 4 : 3;
        byte[] out = new byte[attributes.length - oldLength + headerLength + valueLength];
        System.arraycopy(attributes, 0, out, 0, start);
        int q = start;
        out[q++] = (byte) (PathAttribute.FLAG_OPTIONAL | (headerLength == 4 ? PathAttribute.FLAG_EXTENDED_LENGTH : 0));
        out[q++] = MP_REACH_NLRI;
        if (headerLength == 4) {
            out[q++] = (byte) (valueLength >>> 8);
        }
        out[q++] = (byte) valueLength;
        out[q++] = (byte) (family.afi() >>> 8);
        out[q++] = (byte) family.afi();
        out[q++] = (byte) family.safi();
        System.arraycopy(attributes, nextHopAt, out, q, nextHopFieldLength);
        q += nextHopFieldLength;
        out[q++] = 0;
        System.arraycopy(attributes, start + oldLength, out, q, attributes.length - start - oldLength);
        return out;
    }
}
