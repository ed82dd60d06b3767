package net.rampart.wire.rtr;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import net.rampart.wire.DecodeException;

/**
 * Decodes one RTR PDU. Input is hostile: every length is checked against the bytes
 * actually present before anything is allocated, and only {@link DecodeException}
 * escapes.
 */
public final class RtrPduDecoder {

    private RtrPduDecoder() {
    }

    /**
     * Decodes the PDU starting at the buffer's position and advances the position past
     * it. The buffer must hold the whole PDU (see {@link RtrFramer}).
     */
    public static RtrPdu decode(ByteBuffer buf) {
        int start = buf.position();
        int available = buf.remaining();
        if (available < RtrPdu.HEADER_LENGTH) {
            throw new DecodeException("RTR PDU shorter than its 8-byte header: " + available + " bytes", 0);
        }
        int version = buf.get(start) & 0xFF;
        int typeCode = buf.get(start + 1) & 0xFF;
        int field = buf.getShort(start + 2) & 0xFFFF;
        long length = Integer.toUnsignedLong(buf.getInt(start + 4));
        if (version > RtrPdu.MAX_VERSION) {
            throw new DecodeException("unsupported RTR protocol version " + version, 0);
        }
        PduType type = PduType.ofCode(typeCode);
        if (type == null) {
            throw new DecodeException("unknown RTR PDU type " + typeCode, 1);
        }
        if (!type.existsIn(version)) {
            throw new DecodeException("RTR PDU type " + type + " does not exist in version " + version, 1);
        }
        if (length < RtrPdu.HEADER_LENGTH) {
            throw new DecodeException("RTR PDU length " + length + " shorter than the header", 4);
        }
        if (length > available) {
            throw new DecodeException("RTR PDU length " + length + " exceeds the " + available + " bytes present", 4);
        }
        int len = (int) length;
        RtrPdu pdu = switch (type) {
            case SERIAL_NOTIFY -> {
                expectLength(type, len, 12);
                yield new SerialNotify(version, field, buf.getInt(start + 8));
            }
            case SERIAL_QUERY -> {
                expectLength(type, len, 12);
                yield new SerialQuery(version, field, buf.getInt(start + 8));
            }
            case RESET_QUERY -> {
                expectLength(type, len, 8);
                yield new ResetQuery(version);
            }
            case CACHE_RESPONSE -> {
                expectLength(type, len, 8);
                yield new CacheResponse(version, field);
            }
            case CACHE_RESET -> {
                expectLength(type, len, 8);
                yield new CacheReset(version);
            }
            case IPV4_PREFIX -> decodeIpv4(buf, start, version, len);
            case IPV6_PREFIX -> decodeIpv6(buf, start, version, len);
            case END_OF_DATA -> decodeEndOfData(buf, start, version, field, len);
            case ROUTER_KEY -> decodeRouterKey(buf, start, version, len);
            case ERROR_REPORT -> decodeErrorReport(buf, start, version, field, len);
            case ASPA -> decodeAspa(buf, start, version, len);
        };
        buf.position(start + len);
        return pdu;
    }

    private static void expectLength(PduType type, int len, int expected) {
        if (len != expected) {
            throw new DecodeException(type + " PDU must be " + expected + " bytes, header says " + len, 4);
        }
    }

    private static void checkPrefixLengths(int prefixLength, int maxLength, int bits) {
        if (prefixLength > bits) {
            throw new DecodeException("prefix length " + prefixLength + " exceeds " + bits, 9);
        }
        if (maxLength > bits || maxLength < prefixLength) {
            throw new DecodeException("max length " + maxLength + " outside " + prefixLength + ".." + bits, 10);
        }
    }

    private static Ipv4PrefixPdu decodeIpv4(ByteBuffer buf, int start, int version, int len) {
        expectLength(PduType.IPV4_PREFIX, len, Ipv4PrefixPdu.LENGTH);
        int flags = buf.get(start + 8);
        int prefixLength = buf.get(start + 9) & 0xFF;
        int maxLength = buf.get(start + 10) & 0xFF;
        checkPrefixLengths(prefixLength, maxLength, 32);
        return new Ipv4PrefixPdu(version, (flags & 1) != 0, prefixLength, maxLength, buf.getInt(start + 12),
                Integer.toUnsignedLong(buf.getInt(start + 16)));
    }

    private static Ipv6PrefixPdu decodeIpv6(ByteBuffer buf, int start, int version, int len) {
        expectLength(PduType.IPV6_PREFIX, len, Ipv6PrefixPdu.LENGTH);
        int flags = buf.get(start + 8);
        int prefixLength = buf.get(start + 9) & 0xFF;
        int maxLength = buf.get(start + 10) & 0xFF;
        checkPrefixLengths(prefixLength, maxLength, 128);
        return new Ipv6PrefixPdu(version, (flags & 1) != 0, prefixLength, maxLength, buf.getLong(start + 12),
                buf.getLong(start + 20), Integer.toUnsignedLong(buf.getInt(start + 28)));
    }

    private static EndOfData decodeEndOfData(ByteBuffer buf, int start, int version, int sessionId, int len) {
        int serial;
        if (version == 0) {
            expectLength(PduType.END_OF_DATA, len, EndOfData.LENGTH_V0);
            serial = buf.getInt(start + 8);
            return EndOfData.v0(sessionId, serial);
        }
        expectLength(PduType.END_OF_DATA, len, EndOfData.LENGTH_V1);
        serial = buf.getInt(start + 8);
        return new EndOfData(version, sessionId, serial, Integer.toUnsignedLong(buf.getInt(start + 12)),
                Integer.toUnsignedLong(buf.getInt(start + 16)), Integer.toUnsignedLong(buf.getInt(start + 20)));
    }

    private static RouterKey decodeRouterKey(ByteBuffer buf, int start, int version, int len) {
        int fixed = RtrPdu.HEADER_LENGTH + RouterKey.SKI_LENGTH + 4;
        if (len < fixed) {
            throw new DecodeException("Router Key PDU of " + len + " bytes is shorter than " + fixed, 4);
        }
        int flags = buf.get(start + 2);
        byte[] ski = new byte[RouterKey.SKI_LENGTH];
        buf.get(start + 8, ski);
        long asn = Integer.toUnsignedLong(buf.getInt(start + 28));
        byte[] spki = new byte[len - fixed];
        buf.get(start + fixed, spki);
        return new RouterKey(version, (flags & 1) != 0, ski, asn, spki);
    }

    private static ErrorReport decodeErrorReport(ByteBuffer buf, int start, int version, int code, int len) {
        if (len < ErrorReport.MIN_LENGTH) {
            throw new DecodeException("Error Report PDU of " + len + " bytes is shorter than 16", 4);
        }
        long pduLength = Integer.toUnsignedLong(buf.getInt(start + 8));
        if (pduLength > len - ErrorReport.MIN_LENGTH) {
            throw new DecodeException("encapsulated PDU length " + pduLength + " exceeds the Error Report", 8);
        }
        int textLengthAt = start + 12 + (int) pduLength;
        long textLength = Integer.toUnsignedLong(buf.getInt(textLengthAt));
        if (textLength != len - ErrorReport.MIN_LENGTH - pduLength) {
            throw new DecodeException("error text length " + textLength + " does not fill the Error Report",
                    textLengthAt - start);
        }
        byte[] pdu = new byte[(int) pduLength];
        buf.get(start + 12, pdu);
        ByteBuffer text = buf.slice(textLengthAt + 4, (int) textLength);
        return new ErrorReport(version, code, pdu, decodeUtf8(text, textLengthAt + 4 - start));
    }

    private static String decodeUtf8(ByteBuffer bytes, int offset) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new DecodeException("error text is not UTF-8", offset);
        }
    }

    private static Aspa decodeAspa(ByteBuffer buf, int start, int version, int len) {
        if (len < Aspa.MIN_LENGTH || (len - Aspa.MIN_LENGTH) % 4 != 0) {
            throw new DecodeException("ASPA PDU length " + len + " is not 12 plus a multiple of 4", 4);
        }
        int flags = buf.get(start + 2);
        long customer = Integer.toUnsignedLong(buf.getInt(start + 8));
        int[] providers = new int[(len - Aspa.MIN_LENGTH) / 4];
        for (int i = 0; i < providers.length; i++) {
            providers[i] = buf.getInt(start + Aspa.MIN_LENGTH + 4 * i);
        }
        return new Aspa(version, (flags & 1) != 0, customer, providers);
    }
}
