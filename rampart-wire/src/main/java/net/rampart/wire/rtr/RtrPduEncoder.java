package net.rampart.wire.rtr;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Encodes RTR PDUs in network byte order. The primitive writers for prefixes let a cache
 * serialise millions of VRPs without creating a PDU object for each.
 */
public final class RtrPduEncoder {

    private static final int ANNOUNCE = 1;

    private RtrPduEncoder() {
    }

    /** The number of bytes {@link #encode(RtrPdu, ByteBuffer)} writes for this PDU. */
    public static int length(RtrPdu pdu) {
        return switch (pdu) {
            case SerialNotify p -> 12;
            case SerialQuery p -> 12;
            case ResetQuery p -> 8;
            case CacheResponse p -> 8;
            case CacheReset p -> 8;
            case Ipv4PrefixPdu p -> Ipv4PrefixPdu.LENGTH;
            case Ipv6PrefixPdu p -> Ipv6PrefixPdu.LENGTH;
            case EndOfData p -> p.length();
            case RouterKey p -> p.length();
            case ErrorReport p -> p.length();
            case Aspa p -> p.length();
        };
    }

    public static byte[] encode(RtrPdu pdu) {
        ByteBuffer buf = ByteBuffer.allocate(length(pdu));
        encode(pdu, buf);
        return buf.array();
    }

    /** Writes the PDU at the buffer's position and advances it. */
    public static void encode(RtrPdu pdu, ByteBuffer out) {
        switch (pdu) {
            case SerialNotify p -> writeSerial(out, p.version(), PduType.SERIAL_NOTIFY, p.sessionId(), p.serial());
            case SerialQuery p -> writeSerial(out, p.version(), PduType.SERIAL_QUERY, p.sessionId(), p.serial());
            case ResetQuery p -> writeHeader(out, p.version(), PduType.RESET_QUERY, 0, 8);
            case CacheResponse p -> writeHeader(out, p.version(), PduType.CACHE_RESPONSE, p.sessionId(), 8);
            case CacheReset p -> writeHeader(out, p.version(), PduType.CACHE_RESET, 0, 8);
            case Ipv4PrefixPdu p -> writeIpv4Prefix(out, p.version(), p.announce(), p.prefixLength(), p.maxLength(),
                    p.address(), p.asn());
            case Ipv6PrefixPdu p -> writeIpv6Prefix(out, p.version(), p.announce(), p.prefixLength(), p.maxLength(),
                    p.addressHigh(), p.addressLow(), p.asn());
            case EndOfData p -> writeEndOfData(out, p);
            case RouterKey p -> {
                writeHeader(out, p.version(), PduType.ROUTER_KEY, p.announce() ? ANNOUNCE << 8 : 0, p.length());
                out.put(p.subjectKeyIdentifier()).putInt((int) p.asn()).put(p.subjectPublicKeyInfo());
            }
            case ErrorReport p -> {
                byte[] encapsulated = p.encapsulatedPdu();
                byte[] text = p.text().getBytes(StandardCharsets.UTF_8);
                writeHeader(out, p.version(), PduType.ERROR_REPORT, p.errorCode(), p.length());
                out.putInt(encapsulated.length).put(encapsulated).putInt(text.length).put(text);
            }
            case Aspa p -> writeAspa(out, p.version(), p.announce(), p.customerAsn(), p.providers());
        }
    }

    /**
     * The header's 16-bit field holds the session id or error code, or, for Router Key
     * and ASPA, the flags byte followed by a zero byte.
     */
    private static void writeHeader(ByteBuffer out, int version, PduType type, int field, int length) {
        out.put((byte) version).put((byte) type.code()).putShort((short) field).putInt(length);
    }

    private static void writeSerial(ByteBuffer out, int version, PduType type, int sessionId, int serial) {
        writeHeader(out, version, type, sessionId, 12);
        out.putInt(serial);
    }

    private static void writeEndOfData(ByteBuffer out, EndOfData p) {
        writeHeader(out, p.version(), PduType.END_OF_DATA, p.sessionId(), p.length());
        out.putInt(p.serial());
        if (p.version() > 0) {
            out.putInt((int) p.refreshInterval()).putInt((int) p.retryInterval()).putInt((int) p.expireInterval());
        }
    }

    public static void writeIpv4Prefix(ByteBuffer out, int version, boolean announce, int prefixLength,
            int maxLength, int address, long asn) {
        out.put((byte) version).put((byte) 4).putShort((short) 0).putInt(Ipv4PrefixPdu.LENGTH)
                .put((byte) (announce ? ANNOUNCE : 0)).put((byte) prefixLength).put((byte) maxLength).put((byte) 0)
                .putInt(address).putInt((int) asn);
    }

    public static void writeIpv6Prefix(ByteBuffer out, int version, boolean announce, int prefixLength,
            int maxLength, long addressHigh, long addressLow, long asn) {
        out.put((byte) version).put((byte) 6).putShort((short) 0).putInt(Ipv6PrefixPdu.LENGTH)
                .put((byte) (announce ? ANNOUNCE : 0)).put((byte) prefixLength).put((byte) maxLength).put((byte) 0)
                .putLong(addressHigh).putLong(addressLow).putInt((int) asn);
    }

    public static void writeAspa(ByteBuffer out, int version, boolean announce, long customerAsn, int[] providers) {
        writeHeader(out, version, PduType.ASPA, announce ? ANNOUNCE << 8 : 0, Aspa.MIN_LENGTH + 4 * providers.length);
        out.putInt((int) customerAsn);
        for (int provider : providers) {
            out.putInt(provider);
        }
    }
}
