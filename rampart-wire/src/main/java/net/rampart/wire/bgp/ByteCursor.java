package net.rampart.wire.bgp;

import net.rampart.wire.DecodeException;

/**
 * A bounds-checked big-endian reader over a slice of a byte array. Every read checks the
 * remaining length first, so a length field taken from the wire can never make a decoder
 * read past its slice or allocate more than the slice holds. Offsets in errors are
 * relative to the start of the slice the cursor was created for.
 */
public final class ByteCursor {

    private final byte[] buf;
    private final int base;
    private int pos;
    private int limit;

    public ByteCursor(byte[] buf, int offset, int length) {
        if (offset < 0 || length < 0 || offset > buf.length - length) {
            throw new IndexOutOfBoundsException("slice " + offset + "+" + length + " outside array of " + buf.length);
        }
        this.buf = buf;
        this.base = offset;
        this.pos = offset;
        this.limit = offset + length;
    }

    public ByteCursor(byte[] buf) {
        this(buf, 0, buf.length);
    }

    /** Position relative to the start of the slice. */
    public int position() {
        return pos - base;
    }

    public int remaining() {
        return limit - pos;
    }

    public boolean hasRemaining() {
        return pos < limit;
    }

    /** The backing array, for decoders that read in place; pair with {@link #arrayOffset()}. */
    public byte[] array() {
        return buf;
    }

    /** Absolute index of the next byte in {@link #array()}. */
    public int arrayOffset() {
        return pos;
    }

    public DecodeException error(String message) {
        return new DecodeException(message, pos - base);
    }

    /** Fails unless at least {@code n} bytes remain; {@code what} names the field for the error. */
    public void require(int n, String what) {
        if (n < 0 || n > limit - pos) {
            throw error(what + " needs " + n + " bytes but " + (limit - pos) + " remain");
        }
    }

    public int u8() {
        if (pos >= limit) {
            throw error("truncated: expected 1 more byte");
        }
        return buf[pos++] & 0xFF;
    }

    public int u16() {
        require(2, "16-bit field");
        int v = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    public int u24() {
        require(3, "24-bit field");
        int v = ((buf[pos] & 0xFF) << 16) | ((buf[pos + 1] & 0xFF) << 8) | (buf[pos + 2] & 0xFF);
        pos += 3;
        return v;
    }

    /** A 32-bit field as a signed int (callers that need the unsigned value use {@link #u32()}). */
    public int i32() {
        require(4, "32-bit field");
        int v = ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16)
                | ((buf[pos + 2] & 0xFF) << 8) | (buf[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    public long u32() {
        return i32() & 0xFFFF_FFFFL;
    }

    public long i64() {
        require(8, "64-bit field");
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos + i] & 0xFF);
        }
        pos += 8;
        return v;
    }

    /** Reads an unsigned big-endian value of 1 to 8 bytes. */
    public long uN(int n) {
        require(n, "value");
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (buf[pos + i] & 0xFF);
        }
        pos += n;
        return v;
    }

    public byte[] bytes(int n) {
        require(n, "byte string");
        byte[] out = new byte[n];
        System.arraycopy(buf, pos, out, 0, n);
        pos += n;
        return out;
    }

    public void skip(int n) {
        require(n, "skipped field");
        pos += n;
    }

    /**
     * Restricts reading to the next {@code n} bytes and returns the previous limit, which the
     * caller hands to {@link #endSection(int)} once the section is consumed. Lets nested
     * length-prefixed structures be decoded without allocating sub-readers.
     */
    public int beginSection(int n, String what) {
        require(n, what);
        int previous = limit;
        limit = pos + n;
        return previous;
    }

    /** Moves past whatever is left of the current section and restores the outer limit. */
    public void endSection(int previousLimit) {
        pos = limit;
        limit = previousLimit;
    }
}
