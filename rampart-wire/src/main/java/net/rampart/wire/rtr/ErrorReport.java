package net.rampart.wire.rtr;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Error Report (type 10): an error code, a copy of the offending PDU (possibly empty)
 * and a UTF-8 diagnostic text (possibly empty).
 */
public record ErrorReport(int version, int errorCode, byte[] encapsulatedPdu, String text) implements RtrPdu {

    /** Fixed part: header, encapsulated PDU length, text length. */
    public static final int MIN_LENGTH = RtrPdu.HEADER_LENGTH + 8;

    public ErrorReport {
        RtrPdu.checkVersion(version);
        if (errorCode < 0 || errorCode > 0xFFFF) {
            throw new IllegalArgumentException("error code out of range: " + errorCode);
        }
        encapsulatedPdu = encapsulatedPdu.clone();
    }

    public ErrorReport(int version, ErrorCode code, byte[] encapsulatedPdu, String text) {
        this(version, code.code(), encapsulatedPdu, text);
    }

    @Override
    public byte[] encapsulatedPdu() {
        return encapsulatedPdu.clone();
    }

    /** The error's meaning, or null for a code this implementation does not know. */
    public ErrorCode code() {
        return ErrorCode.ofCode(errorCode);
    }

    public int length() {
        return MIN_LENGTH + encapsulatedPdu.length + text.getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public PduType type() {
        return PduType.ERROR_REPORT;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ErrorReport e && e.version == version && e.errorCode == errorCode
                && Arrays.equals(e.encapsulatedPdu, encapsulatedPdu) && e.text.equals(text);
    }

    @Override
    public int hashCode() {
        return (Arrays.hashCode(encapsulatedPdu) * 31 + text.hashCode()) * 31 + errorCode * 4 + version;
    }

    @Override
    public String toString() {
        return "ErrorReport[version=" + version + ", errorCode=" + errorCode + ", pdu="
                + HexFormat.of().formatHex(encapsulatedPdu) + ", text=" + text + "]";
    }
}
