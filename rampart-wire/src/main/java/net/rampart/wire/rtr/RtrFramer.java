package net.rampart.wire.rtr;

import java.nio.ByteBuffer;

import net.rampart.wire.DecodeException;

/**
 * Finds PDU boundaries in a TCP byte stream from the length in each header. The length
 * is checked against a bound before a reader buffers that many bytes, so a hostile peer
 * cannot make the reader allocate gigabytes by announcing them.
 */
public final class RtrFramer {

    /** Large enough for any Error Report or ASPA Rampart expects; far below what would hurt. */
    public static final int DEFAULT_MAX_PDU_LENGTH = 65_536;

    private final int maxPduLength;

    public RtrFramer(int maxPduLength) {
        if (maxPduLength < 24) {
            throw new IllegalArgumentException("max PDU length must fit an End of Data: " + maxPduLength);
        }
        this.maxPduLength = maxPduLength;
    }

    public RtrFramer() {
        this(DEFAULT_MAX_PDU_LENGTH);
    }

    public int maxPduLength() {
        return maxPduLength;
    }

    /**
     * The length of the PDU starting at the buffer's position when all of it is present,
     * or -1 when more bytes are needed. Does not move the position.
     *
     * @throws DecodeException when the header announces a length below 8 or above the bound
     */
    public int completePduLength(ByteBuffer buf) {
        int available = buf.remaining();
        if (available < RtrPdu.HEADER_LENGTH) {
            return -1;
        }
        long length = Integer.toUnsignedLong(buf.getInt(buf.position() + 4));
        if (length < RtrPdu.HEADER_LENGTH || length > maxPduLength) {
            throw new DecodeException("RTR PDU length " + length + " outside 8.." + maxPduLength, 4);
        }
        return length <= available ? (int) length : -1;
    }

    /** Decodes the next complete PDU and advances past it, or returns null when more bytes are needed. */
    public RtrPdu next(ByteBuffer buf) {
        int length = completePduLength(buf);
        if (length < 0) {
            return null;
        }
        ByteBuffer one = buf.slice(buf.position(), length);
        RtrPdu pdu = RtrPduDecoder.decode(one);
        buf.position(buf.position() + length);
        return pdu;
    }
}
