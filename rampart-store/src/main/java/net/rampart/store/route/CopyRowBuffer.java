package net.rampart.store.route;

import java.sql.SQLException;
import org.postgresql.copy.CopyIn;

/**
 * Encodes rows for PostgreSQL's text COPY format straight into a reusable byte buffer and
 * hands full buffers to the COPY stream, so a row costs no strings or boxed values for its
 * numbers, arrays and addresses.
 */
final class CopyRowBuffer {
    private static final int FLUSH_AT = 60 * 1024;
    private static final byte[] NULL = {'\\', 'N'};
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private byte[] buf = new byte[64 * 1024];
    private int pos;
    private boolean rowStarted;
    private CopyIn sink;

    /** Starts encoding for one COPY operation. */
    void begin(CopyIn copy) {
        this.sink = copy;
        this.pos = 0;
        this.rowStarted = false;
    }

    /** Sends what is buffered; call before ending the COPY. */
    void finish() throws SQLException {
        flush();
        sink = null;
    }

    void endRow() throws SQLException {
        ensure(1);
        buf[pos++] = '\n';
        rowStarted = false;
        if (pos >= FLUSH_AT) {
            flush();
        }
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

    private void separator(int upcoming) throws SQLException {
        ensure(upcoming + 1);
        if (rowStarted) {
            buf[pos++] = '\t';
        }
        rowStarted = true;
    }

    void nullValue() throws SQLException {
        separator(2);
        buf[pos++] = NULL[0];
        buf[pos++] = NULL[1];
    }

    void longValue(long v) throws SQLException {
        separator(20);
        putLong(v);
    }

    /** A value that is null when negative (absent MED, local preference, origin...). */
    void longOrNull(long v) throws SQLException {
        if (v < 0) {
            nullValue();
        } else {
            longValue(v);
        }
    }

    void booleanValue(boolean v) throws SQLException {
        separator(1);
        buf[pos++] = (byte) (v ? 't' : 'f');
    }

    /** Text, escaped for COPY; null writes NULL. */
    void text(CharSequence s) throws SQLException {
        if (s == null) {
            nullValue();
            return;
        }
        separator(s.length() * 6);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> {
                    buf[pos++] = '\\';
                    buf[pos++] = '\\';
                }
                case '\t' -> {
                    buf[pos++] = '\\';
                    buf[pos++] = 't';
                }
                case '\n' -> {
                    buf[pos++] = '\\';
                    buf[pos++] = 'n';
                }
                case '\r' -> {
                    buf[pos++] = '\\';
                    buf[pos++] = 'r';
                }
                default -> {
                    if (c < 0x80) {
                        buf[pos++] = (byte) c;
                    } else {
                        byte[] utf8 = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                        System.arraycopy(utf8, 0, buf, pos, utf8.length);
                        pos += utf8.length;
                    }
                }
            }
        }
    }

    /** An array of unsigned 32-bit values as a bigint[] literal; null writes NULL. */
    void unsignedIntArray(int[] values) throws SQLException {
        if (values == null) {
            nullValue();
            return;
        }
        separator(2 + values.length * 11);
        buf[pos++] = '{';
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                buf[pos++] = ',';
            }
            putLong(Integer.toUnsignedLong(values[i]));
        }
        buf[pos++] = '}';
    }

    void longArray(long[] values) throws SQLException {
        separator(2 + values.length * 21);
        buf[pos++] = '{';
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                buf[pos++] = ',';
            }
            putLong(values[i]);
        }
        buf[pos++] = '}';
    }

    /** Standard communities as a text[] of {@code asn:value}. */
    void communities(int[] values) throws SQLException {
        separator(2 + values.length * 12);
        buf[pos++] = '{';
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                buf[pos++] = ',';
            }
            putLong(values[i] >>> 16);
            buf[pos++] = ':';
            putLong(values[i] & 0xFFFF);
        }
        buf[pos++] = '}';
    }

    /** Large communities (triples) as a text[] of {@code global:data1:data2}. */
    void largeCommunities(int[] triples) throws SQLException {
        separator(2 + triples.length / 3 * 33);
        buf[pos++] = '{';
        for (int i = 0; i + 2 < triples.length; i += 3) {
            if (i > 0) {
                buf[pos++] = ',';
            }
            putLong(Integer.toUnsignedLong(triples[i]));
            buf[pos++] = ':';
            putLong(Integer.toUnsignedLong(triples[i + 1]));
            buf[pos++] = ':';
            putLong(Integer.toUnsignedLong(triples[i + 2]));
        }
        buf[pos++] = '}';
    }

    /** An IPv4 address (unsigned 32-bit) with a prefix length, as inet/cidr text. */
    void ipv4(int address, int length) throws SQLException {
        separator(18);
        putLong(address >>> 24);
        buf[pos++] = '.';
        putLong((address >>> 16) & 0xFF);
        buf[pos++] = '.';
        putLong((address >>> 8) & 0xFF);
        buf[pos++] = '.';
        putLong(address & 0xFF);
        buf[pos++] = '/';
        putLong(length);
    }

    /** Six bytes as a macaddr. */
    void mac(byte[] mac) throws SQLException {
        if (mac == null) {
            nullValue();
            return;
        }
        separator(mac.length * 3);
        for (int i = 0; i < mac.length; i++) {
            if (i > 0) {
                buf[pos++] = ':';
            }
            buf[pos++] = HEX[(mac[i] >> 4) & 0xF];
            buf[pos++] = HEX[mac[i] & 0xF];
        }
    }

    private void putLong(long v) {
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                byte[] s = "-9223372036854775808".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                System.arraycopy(s, 0, buf, pos, s.length);
                pos += s.length;
                return;
            }
            buf[pos++] = '-';
            v = -v;
        }
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
}
