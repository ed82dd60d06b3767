package net.rampart.wire.bmp;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Builds BMP messages byte by byte for tests, independently of the decoder under test. */
public final class BmpBytes {

    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    public static BmpBytes body() {
        return new BmpBytes();
    }

    public BmpBytes u8(int v) {
        body.write(v);
        return this;
    }

    public BmpBytes u16(int v) {
        body.write(v >>> 8);
        body.write(v);
        return this;
    }

    public BmpBytes u32(long v) {
        return u16((int) (v >>> 16) & 0xffff).u16((int) v & 0xffff);
    }

    public BmpBytes u64(long v) {
        return u32(v >>> 32).u32(v & 0xffffffffL);
    }

    public BmpBytes bytes(byte[] b) {
        body.writeBytes(b);
        return this;
    }

    public BmpBytes tlv(int type, String text) {
        byte[] v = text.getBytes(StandardCharsets.UTF_8);
        return u16(type).u16(v.length).bytes(v);
    }

    /** A Route Monitoring TLV (draft-ietf-grow-bmp-tlv): type, value length, index, value. */
    public BmpBytes rmTlv(int type, int index, byte[] value) {
        return u16(type).u16(value.length).u16(index).bytes(value);
    }

    /** A per-peer header; an IPv4 address goes in the last four of the sixteen address octets. */
    public BmpBytes peer(int type, int flags, long distinguisher, String address, long as, String bgpId, long seconds, long micros) {
        u8(type).u8(flags).u64(distinguisher);
        byte[] a = literal(address);
        if (a.length == 4) {
            bytes(new byte[12]);
        }
        return bytes(a).u32(as).bytes(literal(bgpId)).u32(seconds).u32(micros);
    }

    /** A global-instance IPv4 peer with the given flags. */
    public BmpBytes peer(int flags, String address, long as) {
        return peer(PerPeerHeader.GLOBAL_INSTANCE, flags, 0, address, as, "192.0.2.1", 1_700_000_000L, 123_456);
    }

    public BmpBytes localAddress(String address) {
        byte[] a = literal(address);
        if (a.length == 4) {
            bytes(new byte[12]);
        }
        return bytes(a);
    }

    public byte[] toBody() {
        return body.toByteArray();
    }

    /** The complete message: common header (version 3, length, type) and this body. */
    public byte[] message(int type) {
        byte[] b = body.toByteArray();
        return ByteBuffer.allocate(6 + b.length).put((byte) 3).putInt(6 + b.length).put((byte) type).put(b).array();
    }

    public static byte[] literal(String address) {
        try {
            return InetAddress.getByName(address).getAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }
}
