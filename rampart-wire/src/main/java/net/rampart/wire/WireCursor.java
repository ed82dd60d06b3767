package net.rampart.wire;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A bounds-checked big-endian read position within one message held in a byte array, for
 * every decoder in Rampart (BGP, BMP, MRT). Every read checks the remaining length first and
 * fails with a {@link DecodeException} naming the field and its offset, so a length taken from
 * the wire can never make a decoder read past its input or allocate more than the input holds.
 *
 * <p>Offsets, {@link #position()} and those in errors, count from the start of the message the
 * cursor was created for; a {@link #slice} counts from the same start as its parent.
 *
 * <p>The BGP UPDATE decoder runs every read of a full table through here: the reads stay small
 * enough to inline, and a field name is a constant that is only turned into text when a read
 * fails.
 */
public final class WireCursor {

    private final byte[] bytes;
    /** Index in {@link #bytes} of the message's first byte; offsets are relative to it. */
    private final int base;
    private int position;
    private int limit;

    public WireCursor(byte[] bytes, int offset, int length) {
        if (offset < 0 || length < 0 || offset > bytes.length - length) {
            throw new DecodeException("slice " + offset + "+" + length + " outside " + bytes.length + " bytes", offset);
        }
        this.bytes = bytes;
        this.base = offset;
        this.position = offset;
        this.limit = offset + length;
    }

    public WireCursor(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    private WireCursor(byte[] bytes, int base, int position, int limit) {
        this.bytes = bytes;
        this.base = base;
        this.position = position;
        this.limit = limit;
    }

    /** The backing array, for decoders that read in place; pair with {@link #arrayOffset()}. */
    public byte[] array() {
        return bytes;
    }

    /** Index of the next byte in {@link #array()}. */
    public int arrayOffset() {
        return position;
    }

    /** Offset of the next byte from the start of the message. */
    public int position() {
        return position - base;
    }

    public int remaining() {
        return limit - position;
    }

    public boolean hasRemaining() {
        return position < limit;
    }

    /** An error at the current position. */
    public DecodeException error(String message) {
        return new DecodeException(message, position - base);
    }

    /** Checks that {@code length} bytes remain for {@code field}. */
    public void require(int length, String field) {
        if (length < 0 || length > limit - position) {
            throw truncated(length, field);
        }
    }

    // Kept out of the reads so that they stay small; only a failed read builds text.
    private DecodeException truncated(int length, String field) {
        return error(field + " needs " + length + " bytes, " + (limit - position) + " left");
    }

    public int uint8(String field) {
        if (position >= limit) {
            throw truncated(1, field);
        }
        return bytes[position++] & 0xff;
    }

    public int uint16(String field) {
        require(2, field);
        int value = ((bytes[position] & 0xff) << 8) | (bytes[position + 1] & 0xff);
        position += 2;
        return value;
    }

    public int uint24(String field) {
        require(3, field);
        int value = ((bytes[position] & 0xff) << 16) | ((bytes[position + 1] & 0xff) << 8)
                | (bytes[position + 2] & 0xff);
        position += 3;
        return value;
    }

    /** Four bytes as a signed int, for fields used as bit patterns (addresses, IDs, communities). */
    public int int32(String field) {
        require(4, field);
        int value = ((bytes[position] & 0xff) << 24) | ((bytes[position + 1] & 0xff) << 16)
                | ((bytes[position + 2] & 0xff) << 8) | (bytes[position + 3] & 0xff);
        position += 4;
        return value;
    }

    public long uint32(String field) {
        return int32(field) & 0xffff_ffffL;
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

    /** An unsigned big-endian value of 1 to 8 bytes. */
    public long uintN(int length, String field) {
        require(length, field);
        long value = 0;
        for (int i = 0; i < length; i++) {
            value = (value << 8) | (bytes[position + i] & 0xff);
        }
        position += length;
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
        WireCursor slice = new WireCursor(bytes, base, position, position + length);
        position += length;
        return slice;
    }

    /**
     * Restricts reading to the next {@code length} bytes and returns the previous limit, which
     * the caller hands to {@link #endSection(int)} once the section is consumed. Lets nested
     * length-prefixed structures be decoded without allocating a {@link #slice}.
     */
    public int beginSection(int length, String field) {
        require(length, field);
        int previous = limit;
        limit = position + length;
        return previous;
    }

    /** Moves past whatever is left of the current section and restores the outer limit. */
    public void endSection(int previousLimit) {
        position = limit;
        limit = previousLimit;
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
            throw error(field + ": address of " + length + " bytes");
        }
    }
}
