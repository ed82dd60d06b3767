package net.rampart.wire.rtr;

/**
 * One RPKI-to-Router protocol data unit. Versions 0 (RFC 6810), 1 (RFC 8210) and 2
 * (draft-ietf-sidrops-8210bis) share the 8-byte header: version, type, a 16-bit
 * type-specific field and the 32-bit total length.
 */
public sealed interface RtrPdu
        permits SerialNotify, SerialQuery, ResetQuery, CacheResponse, Ipv4PrefixPdu, Ipv6PrefixPdu, EndOfData,
                CacheReset, RouterKey, ErrorReport, Aspa {

    /** Highest protocol version Rampart speaks. */
    int MAX_VERSION = 2;

    /** Length of the common header. */
    int HEADER_LENGTH = 8;

    int version();

    PduType type();

    static void checkVersion(int version) {
        if (version < 0 || version > MAX_VERSION) {
            throw new IllegalArgumentException("RTR version out of range: " + version);
        }
    }

    static void checkSessionId(int sessionId) {
        if (sessionId < 0 || sessionId > 0xFFFF) {
            throw new IllegalArgumentException("session id out of range: " + sessionId);
        }
    }

    static void checkAsn(long asn) {
        if (asn < 0 || asn > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("ASN out of range: " + asn);
        }
    }

    static void checkLengths(int prefixLength, int maxLength, int bits) {
        if (prefixLength < 0 || prefixLength > bits || maxLength < prefixLength || maxLength > bits) {
            throw new IllegalArgumentException("bad prefix/max length " + prefixLength + "/" + maxLength);
        }
    }
}
