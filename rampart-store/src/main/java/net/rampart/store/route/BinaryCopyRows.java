package net.rampart.store.route;

import java.sql.SQLException;
import org.postgresql.copy.CopyIn;

/**
 * Encodes rows in PostgreSQL's binary COPY format straight into a reusable byte buffer and
 * hands full buffers to the COPY stream: numbers, addresses, arrays and the text of IPv4
 * prefixes cost no strings or boxed values, and the server parses nothing.
 */
final class BinaryCopyRows {
    private static final int FLUSH_AT = 60 * 1024;
    /** "PGCOPY\n\377\r\n\0", then no flags and no header extension. */
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0,
            0, 0, 0, 0, 0, 0, 0, 0};
    /** Milliseconds from the Unix epoch to PostgreSQL's (2000-01-01T00:00:00Z). */
    private static final long POSTGRES_EPOCH_MILLIS = 946_684_800_000L;
    /** PGSQL_AF_INET and PGSQL_AF_INET6 of the inet wire format. */
    private static final byte INET4 = 2;
    private static final byte INET6 = 3;
    private static final int INT4_OID = 23;
    private static final int INT8_OID = 20;
    private static final int TEXT_OID = 25;

    private byte[] buf = new byte[64 * 1024];
    private int pos;
    private CopyIn sink;

    /** Starts encoding for one COPY ... (FORMAT binary) operation. */
    void begin(CopyIn copy) {
        this.sink = copy;
        this.pos = 0;
        System.arraycopy(HEADER, 0, buf, 0, HEADER.length);
        pos = HEADER.length;
    }

    /** Writes the trailer and sends what is buffered; call before ending the COPY. */
    void finish() throws SQLException {
        ensure(2);
        putShort(-1);
        flush();
        sink = null;
    }

    /** Starts a row of {@code fields} values; the previous row is complete. */
    void row(int fields) throws SQLException {
        if (pos >= FLUSH_AT) {
            flush();
        }
        ensure(2);
        putShort(fields);
    }

    void nullValue() throws SQLException {
        ensure(4);
        putInt(-1);
    }

    void int2(int v) throws SQLException {
        ensure(6);
        putInt(2);
        putShort(v);
    }

    void int4(int v) throws SQLException {
        ensure(8);
        putInt(4);
        putInt(v);
    }

    void int8(long v) throws SQLException {
        ensure(12);
        putInt(8);
        putLong(v);
    }

    /** A double precision value; NaN writes NULL (a value that is missing). */
    void float8OrNull(double v) throws SQLException {
        if (Double.isNaN(v)) {
            nullValue();
            return;
        }
        ensure(12);
        putInt(8);
        putLong(Double.doubleToLongBits(v));
    }

    /** A value that is null when negative (absent MED, local preference, origin...). */
    void int8OrNull(long v) throws SQLException {
        if (v < 0) {
            nullValue();
        } else {
            int8(v);
        }
    }

    void int2OrNull(int v) throws SQLException {
        if (v < 0) {
            nullValue();
        } else {
            int2(v);
        }
    }

    void bool(boolean v) throws SQLException {
        ensure(5);
        putInt(1);
        buf[pos++] = (byte) (v ? 1 : 0);
    }

    /** A timestamptz from epoch milliseconds. */
    void timestampMillis(long millis) throws SQLException {
        int8((millis - POSTGRES_EPOCH_MILLIS) * 1000);
    }

    void bytea(byte[] v) throws SQLException {
        if (v == null) {
            nullValue();
            return;
        }
        ensure(4 + v.length);
        putInt(v.length);
        System.arraycopy(v, 0, buf, pos, v.length);
        pos += v.length;
    }

    /** Text as UTF-8; null writes NULL. */
    void text(CharSequence s) throws SQLException {
        if (s == null) {
            nullValue();
            return;
        }
        ensure(4 + s.length() * 3);
        int fieldAt = pos;
        pos += 4;
        putUtf8(s);
        endField(fieldAt);
    }

    /** The text of an IPv4 prefix, {@code a.b.c.d/length}, as an IPv4 route key reads. */
    void ipv4PrefixText(int address, int length) throws SQLException {
        ensure(4 + 18);
        int fieldAt = pos;
        pos += 4;
        putDottedQuad(address);
        buf[pos++] = '/';
        putDecimal(length);
        endField(fieldAt);
    }

    /** An IPv4 address with a prefix length, as inet or (when {@code cidr}) cidr. */
    void ipv4(int address, int bits, boolean cidr) throws SQLException {
        ensure(12);
        putInt(8);
        inetHeader(INET4, bits, cidr, 4);
        putInt(address);
    }

    /** An IPv6 address as its two halves, with a prefix length, as inet or cidr. */
    void ipv6(long high, long low, int bits, boolean cidr) throws SQLException {
        ensure(24);
        putInt(20);
        inetHeader(INET6, bits, cidr, 16);
        putLong(high);
        putLong(low);
    }

    /** The 4 or 16 bytes of an address from {@code offset} of {@code bytes}, as inet or cidr. */
    void ip(byte[] bytes, int offset, int length, int bits, boolean cidr) throws SQLException {
        ensure(8 + length);
        putInt(4 + length);
        inetHeader(length == 4 ? INET4 : INET6, bits, cidr, length);
        System.arraycopy(bytes, offset, buf, pos, length);
        pos += length;
    }

    private void inetHeader(byte family, int bits, boolean cidr, int addressLength) {
        buf[pos++] = family;
        buf[pos++] = (byte) bits;
        buf[pos++] = (byte) (cidr ? 1 : 0);
        buf[pos++] = (byte) addressLength;
    }

    /** Six bytes as a macaddr; null writes NULL. */
    void mac(byte[] mac) throws SQLException {
        bytea(mac);
    }

    /** An integer[]; null writes NULL. */
    void int4Array(int[] values) throws SQLException {
        if (values == null) {
            nullValue();
            return;
        }
        int fieldAt = arrayHeader(values.length, INT4_OID, values.length * 8);
        for (int v : values) {
            putInt(4);
            putInt(v);
        }
        endField(fieldAt);
    }

    /** A bigint[] of signed values. */
    void int8Array(long[] values) throws SQLException {
        int fieldAt = arrayHeader(values.length, INT8_OID, values.length * 12);
        for (long v : values) {
            putInt(8);
            putLong(v);
        }
        endField(fieldAt);
    }

    /** Standard communities ({@code asn << 16 | value}) as a text[] of {@code asn:value}. */
    void communities(int[] values) throws SQLException {
        int fieldAt = arrayHeader(values.length, TEXT_OID, values.length * 15);
        for (int v : values) {
            int elementAt = pos;
            pos += 4;
            putDecimal(v >>> 16);
            buf[pos++] = ':';
            putDecimal(v & 0xFFFF);
            endField(elementAt);
        }
        endField(fieldAt);
    }

    /** Large communities (triples of unsigned 32-bit values) as a text[] of {@code global:data1:data2}. */
    void largeCommunities(int[] triples) throws SQLException {
        int n = triples.length / 3;
        int fieldAt = arrayHeader(n, TEXT_OID, n * 36);
        for (int i = 0; i + 2 < triples.length; i += 3) {
            int elementAt = pos;
            pos += 4;
            putDecimal(Integer.toUnsignedLong(triples[i]));
            buf[pos++] = ':';
            putDecimal(Integer.toUnsignedLong(triples[i + 1]));
            buf[pos++] = ':';
            putDecimal(Integer.toUnsignedLong(triples[i + 2]));
            endField(elementAt);
        }
        endField(fieldAt);
    }

    /**
     * Reserves the field length, writes the dimensions and element type of a one-dimensional
     * array (none for an empty one) and makes room for {@code elementBytes} after them, so that
     * no flush splits the field before {@link #endField} fills in its length.
     *
     * @return where the field starts
     */
    private int arrayHeader(int count, int elementOid, int elementBytes) throws SQLException {
        ensure(4 + 20 + elementBytes);
        int fieldAt = pos;
        pos += 4;
        putInt(count == 0 ? 0 : 1);
        putInt(0); // no NULL elements
        putInt(elementOid);
        if (count > 0) {
            putInt(count);
            putInt(1); // lower bound
        }
        return fieldAt;
    }

    /** Fills in the length of the field (or array element) that starts at {@code at}. */
    private void endField(int at) {
        putInt(at, pos - at - 4);
    }

    private void flush() throws SQLException {
        if (pos > 0) {
            sink.writeToCopy(buf, 0, pos);
            pos = 0;
        }
    }

    private void ensure(int n) throws SQLException {
        if (pos + n > buf.length) {
            flush();
            if (n > buf.length) {
                buf = new byte[Math.max(n, buf.length * 2)];
            }
        }
    }

    private void putShort(int v) {
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
    }

    private void putInt(int v) {
        putInt(pos, v);
        pos += 4;
    }

    private void putInt(int at, int v) {
        buf[at] = (byte) (v >>> 24);
        buf[at + 1] = (byte) (v >>> 16);
        buf[at + 2] = (byte) (v >>> 8);
        buf[at + 3] = (byte) v;
    }

    private void putLong(long v) {
        putInt((int) (v >>> 32));
        putInt((int) v);
    }

    private void putDottedQuad(int address) {
        putDecimal(address >>> 24);
        buf[pos++] = '.';
        putDecimal((address >>> 16) & 0xFF);
        buf[pos++] = '.';
        putDecimal((address >>> 8) & 0xFF);
        buf[pos++] = '.';
        putDecimal(address & 0xFF);
    }

    /** A non-negative number in decimal. */
    private void putDecimal(long v) {
        if (v < 10) {
            buf[pos++] = (byte) ('0' + v);
            return;
        }
        int digits = 0;
        for (long t = v; t > 0; t /= 10) {
            digits++;
        }
        int end = pos + digits;
        for (int i = end - 1; i >= pos; i--) {
            buf[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        pos = end;
    }

    /** UTF-8 of UTF-16 text; an unpaired surrogate becomes '?', as Java's own encoder does. */
    private void putUtf8(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                buf[pos++] = (byte) c;
            } else if (c < 0x800) {
                buf[pos++] = (byte) (0xC0 | c >> 6);
                buf[pos++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                buf[pos++] = (byte) (0xF0 | cp >> 18);
                buf[pos++] = (byte) (0x80 | cp >> 12 & 0x3F);
                buf[pos++] = (byte) (0x80 | cp >> 6 & 0x3F);
                buf[pos++] = (byte) (0x80 | cp & 0x3F);
            } else if (Character.isSurrogate(c)) {
                buf[pos++] = '?';
            } else {
                buf[pos++] = (byte) (0xE0 | c >> 12);
                buf[pos++] = (byte) (0x80 | c >> 6 & 0x3F);
                buf[pos++] = (byte) (0x80 | c & 0x3F);
            }
        }
    }
}
