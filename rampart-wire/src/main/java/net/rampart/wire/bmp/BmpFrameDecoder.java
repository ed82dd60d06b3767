package net.rampart.wire.bmp;

import java.util.Arrays;
import net.rampart.wire.DecodeException;

/**
 * Finds complete BMP messages in a byte stream by the common header's length field
 * (RFC 7854 section 4.1), without decoding them.
 *
 * <p>Bytes are appended as they arrive; {@link #next()} hands out one complete message at a
 * time, or {@code null} while the next one is still incomplete. The buffer grows only with
 * bytes actually received, never by a length read from the wire. A header with a version
 * other than 3, or a length below the header size or above {@link #maxMessageLength()},
 * means the framing is lost: {@link #next()} throws and keeps throwing, because nothing after
 * that point can be trusted to start on a message boundary.
 */
public final class BmpFrameDecoder {

    /** Version (1) + message length (4) + message type (1). */
    public static final int COMMON_HEADER_LENGTH = 6;
    public static final int BMP_VERSION = 3;
    /**
     * Large enough for a Peer Up with two extended (RFC 8654) OPEN messages plus information
     * TLVs, and for a Route Monitoring carrying a 65535-octet UPDATE.
     */
    public static final int DEFAULT_MAX_MESSAGE_LENGTH = 1 << 20;

    private final int maxMessageLength;
    private byte[] buffer = new byte[4096];
    private int readIndex;
    private int writeIndex;
    private int messageOffset;
    private DecodeException framingLost;

    public BmpFrameDecoder() {
        this(DEFAULT_MAX_MESSAGE_LENGTH);
    }

    public BmpFrameDecoder(int maxMessageLength) {
        if (maxMessageLength < COMMON_HEADER_LENGTH) {
            throw new IllegalArgumentException("maxMessageLength below the common header size: " + maxMessageLength);
        }
        this.maxMessageLength = maxMessageLength;
    }

    public int maxMessageLength() {
        return maxMessageLength;
    }

    /** Appends received bytes. */
    public void append(byte[] source, int offset, int length) {
        if (length == 0) {
            return;
        }
        ensureWritable(length);
        System.arraycopy(source, offset, buffer, writeIndex, length);
        writeIndex += length;
    }

    public void append(byte[] source) {
        append(source, 0, source.length);
    }

    /** Bytes received but not yet handed out as a complete message. */
    public int bufferedBytes() {
        return writeIndex - readIndex;
    }

    /** Whether an earlier header was invalid; no further message will be returned. */
    public boolean isFramingLost() {
        return framingLost != null;
    }

    /**
     * The next complete message, common header included, or {@code null} when more bytes are
     * needed.
     *
     * @throws DecodeException when the framing is lost (bad version or length)
     */
    public byte[] next() {
        int length = nextInPlace();
        return length == 0 ? null : Arrays.copyOfRange(buffer, messageOffset, messageOffset + length);
    }

    /**
     * Moves to the next complete message and returns its length, common header included, or 0
     * when more bytes are needed. The message is then in {@link #array()} from
     * {@link #messageOffset()}, left there until the next {@link #append}: no copy of it is made.
     *
     * @throws DecodeException when the framing is lost (bad version or length)
     */
    public int nextInPlace() {
        if (framingLost != null) {
            throw framingLost;
        }
        int available = writeIndex - readIndex;
        if (available < COMMON_HEADER_LENGTH) {
            return 0;
        }
        int version = buffer[readIndex] & 0xff;
        if (version != BMP_VERSION) {
            throw loseFraming("BMP version " + version + ", expected " + BMP_VERSION);
        }
        long length = readUint32(buffer, readIndex + 1);
        if (length < COMMON_HEADER_LENGTH || length > maxMessageLength) {
            throw loseFraming("BMP message length " + length + " outside " + COMMON_HEADER_LENGTH + ".." + maxMessageLength);
        }
        if (available < length) {
            return 0;
        }
        messageOffset = readIndex;
        readIndex += (int) length;
        if (readIndex == writeIndex) {
            readIndex = 0;
            writeIndex = 0;
        }
        return (int) length;
    }

    /** The buffer the message {@link #nextInPlace} found is in. */
    public byte[] array() {
        return buffer;
    }

    /** Where in {@link #array()} the message {@link #nextInPlace} found starts. */
    public int messageOffset() {
        return messageOffset;
    }

    private DecodeException loseFraming(String reason) {
        framingLost = new DecodeException("BMP framing lost: " + reason, 0);
        return framingLost;
    }

    private void ensureWritable(int length) {
        if (buffer.length - writeIndex >= length) {
            return;
        }
        int pending = writeIndex - readIndex;
        if (buffer.length - pending >= length && readIndex > 0) {
            System.arraycopy(buffer, readIndex, buffer, 0, pending);
        } else {
            int needed = Math.addExact(pending, length);
            byte[] grown = new byte[Math.max(needed, (int) Math.min(Integer.MAX_VALUE - 8L, buffer.length * 2L))];
            System.arraycopy(buffer, readIndex, grown, 0, pending);
            buffer = grown;
        }
        writeIndex = pending;
        readIndex = 0;
    }

    static long readUint32(byte[] bytes, int offset) {
        return ((bytes[offset] & 0xffL) << 24) | ((bytes[offset + 1] & 0xff) << 16)
                | ((bytes[offset + 2] & 0xff) << 8) | (bytes[offset + 3] & 0xff);
    }
}
