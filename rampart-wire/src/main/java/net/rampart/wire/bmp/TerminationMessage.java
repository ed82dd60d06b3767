package net.rampart.wire.bmp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A BMP Termination (RFC 7854 section 4.5) written by a collector on a router's behalf: what a
 * feed of the router's messages carries when the router's connection ends without one, so a
 * consumer of the feed ends the session as the collector did.
 */
public final class TerminationMessage {

    private static final int COMMON_HEADER_BYTES = 6;
    private static final int TLV_HEADER_BYTES = 4;

    private TerminationMessage() {
    }

    /**
     * @param reason a Reason TLV code ({@link BmpMessage.Termination#UNSPECIFIED}, ...)
     * @param text   a String TLV saying what happened, in UTF-8, cut to fit the TLV's length field
     */
    public static byte[] encode(int reason, String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        int textLength = Math.min(utf8.length, 0xFFFF);
        int length = COMMON_HEADER_BYTES + TLV_HEADER_BYTES + textLength + TLV_HEADER_BYTES + 2;
        return ByteBuffer.allocate(length)
                .put((byte) 3).putInt(length).put((byte) BmpMessage.TERMINATION)
                .putShort((short) InformationTlv.STRING).putShort((short) textLength).put(utf8, 0, textLength)
                .putShort((short) InformationTlv.TERMINATION_REASON).putShort((short) 2).putShort((short) reason)
                .array();
    }
}
