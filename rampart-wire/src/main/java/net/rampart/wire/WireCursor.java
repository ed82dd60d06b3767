package net.rampart.wire;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A bounds-checked read position within one message held in a byte array. Every read checks
 * the remaining length first and fails with a {@link DecodeException} naming the field and
 * the offset, so a decoder built on it cannot run past its input or allocate more than the
 * input holds.
 */
public final class WireCursor {

    private final byte[] bytes;
    private final int limit;
    private int position;

    public WireCursor(byte[] bytes, int offset, int length) {
        if (offset < 0 || length < 0 || offset > bytes.length - length) {
            throw new DecodeException("slice " + offset + "+" + length + " outside " + bytes.length + " bytes", offset);
        }
        this.bytes = bytes;
        this.position = offset;
        this.limit = offset + length;
    }

    public WireCursor(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    public byte[] array() {
        return bytes;
    }

    public int position() {
        return position;
    }

    public int limit() {
        return limit;
    }

    public int remaining() {
        return limit - position;
    }

    public boolean hasRemaining() {
        return position < limit;
    }

    /** Checks that {@code length} bytes remain for {@code field}. */
    public void require(int length, String field) {
        if (length < 0 || length > limit - position) {
            throw new DecodeException(field + " needs " + length + " bytes, " + (limit - position) + " left", position);
        }
    }

    public int uint8(String field) {
        require(1, field);
        return bytes[position++] & 0xff;
    }

    public int uint16(String field) {
        require(2, field);
        int value = ((bytes[position] & 0xff) << 8) | (bytes[position + 1] & 0xff);
        position += 2;
        return value;
    }

    public long uint32(String field) {
        require(4, field);
        long value = ((bytes[position] & 0xffL) << 24) | ((bytes[position + 1] & 0xff) << 16)
                | ((bytes[position + 2] & 0xff) << 8) | (bytes[position + 3] & 0xff);
        position += 4;
        return value;
    }

    /** Eight bytes as a signed long; callers treat the value as unsigned where the protocol does. */
    public long int64(String field) {
        require(8, field);
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (bytes[position + i] & 0xff);
        }
        position += 8;
        return value;
    }

    public byte[] bytes(int length, String field) {
        require(length, field);
        byte[] value = Arrays.copyOfRange(bytes, position, position + length);
        position += length;
        return value;
    }

    /** The rest of the input as a copy. */
    public byte[] rest() {
        return bytes(remaining(), "rest");
    }

    public void skip(int length, String field) {
        require(length, field);
        position += length;
    }

    /** A cursor over the next {@code length} bytes; this cursor moves past them. */
    public WireCursor slice(int length, String field) {
        require(length, field);
        WireCursor slice = new WireCursor(bytes, position, length);
        position += length;
        return slice;
    }

    public String utf8(int length, String field) {
        require(length, field);
        String value = new String(bytes, position, length, StandardCharsets.UTF_8);
        position += length;
        return value;
    }

    /** An IPv4 (4 bytes) or IPv6 (16 bytes) address. */
    public InetAddress address(int length, String field) {
        require(length, field);
        try {
            InetAddress value = InetAddress.getByAddress(Arrays.copyOfRange(bytes, position, position + length));
            position += length;
            return value;
        } catch (UnknownHostException e) {
            throw new DecodeException(field + ": address of " + length + " bytes", position);
        }
    }
}
