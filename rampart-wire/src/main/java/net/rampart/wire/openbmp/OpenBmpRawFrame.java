package net.rampart.wire.openbmp;

import java.net.InetAddress;
import java.time.Instant;
import net.rampart.wire.DecodeException;
import net.rampart.wire.WireCursor;

/**
 * One value of OpenBMP's {@code openbmp.bmp_raw} Kafka topic: the binary v1.7 header and the one
 * BMP message it wraps, as the OpenBMP collector and gobmp ({@code --bmp-raw}) publish it.
 *
 * <p>The header, all big-endian: {@code OBMP}, major 1, minor 7, header length (u16, from the
 * magic to the BMP message), BMP message length (u32), flags (u8: {@link #FLAG_ROUTER} always,
 * {@link #FLAG_IPV6} for an IPv6 router), object type {@link #TYPE_BMP_RAW}, collector time
 * (u32 seconds and u32 microseconds), collector hash (16 bytes), admin id (u16 length and
 * UTF-8), router hash (16 bytes), router address (16 bytes, an IPv4 address in the first 4),
 * router group (u16 length and UTF-8), row count (u32, 1).
 *
 * <p>The arrays are the frame's own copies; a record of arrays compares them by identity.
 *
 * @param collectedAt   when the collector received the BMP message, to the microsecond
 * @param collectorHash MD5 of the admin id ({@link OpenBmpHashes#collector})
 * @param adminId       the collector's name
 * @param routerHash    the router's hash ({@link OpenBmpHashes#router}); the topic's message key
 * @param router        the router's address (the BMP session's remote end)
 * @param routerGroup   the router's group, empty when none
 * @param bmpMessage    the BMP message, common header included
 */
public record OpenBmpRawFrame(Instant collectedAt, byte[] collectorHash, String adminId, byte[] routerHash,
        InetAddress router, String routerGroup, byte[] bmpMessage) {

    static final int MAGIC = 0x4F424D50;
    static final int MAJOR = 1;
    static final int MINOR = 7;
    public static final int FLAG_ROUTER = 0x80;
    public static final int FLAG_IPV6 = 0x40;
    public static final int TYPE_BMP_RAW = 12;
    static final int HASH_BYTES = 16;
    static final int ADDRESS_BYTES = 16;
    /** The header's length without the admin id's and the router group's bytes. */
    static final int FIXED_HEADER_BYTES = 78;
    /** The BMP common header: version, message length, type. */
    private static final int BMP_COMMON_HEADER_BYTES = 6;

    /**
     * Reads one {@code openbmp.bmp_raw} value. Bytes after the BMP message are ignored, as
     * bgpkit-parser ignores them: frames recorded with a trailing newline are in circulation.
     *
     * @throws DecodeException naming the field that is not what a v1.7 raw frame holds
     */
    public static OpenBmpRawFrame decode(byte[] value) {
        WireCursor in = new WireCursor(value);
        if (in.int32("magic") != MAGIC) {
            throw new DecodeException("not an OpenBMP frame: magic is not OBMP", 0);
        }
        int major = in.uint8("major version");
        int minor = in.uint8("minor version");
        if (major != MAJOR || minor != MINOR) {
            throw new DecodeException("OpenBMP frame version " + major + "." + minor + ": only 1.7 is read", 4);
        }
        int headerLength = in.uint16("header length");
        long bmpLength = in.uint32("BMP message length");
        int flags = in.uint8("flags");
        if ((flags & FLAG_ROUTER) == 0) {
            throw new DecodeException("OpenBMP frame flags 0x" + Integer.toHexString(flags)
                    + " lack 0x80: not a router message", 12);
        }
        int type = in.uint8("object type");
        if (type != TYPE_BMP_RAW) {
            throw new DecodeException("OpenBMP object type " + type + " is not BMP_RAW (12)", 13);
        }
        long seconds = in.uint32("collector time seconds");
        long micros = in.uint32("collector time microseconds");
        if (micros >= 1_000_000) {
            throw new DecodeException("collector time microseconds " + micros + " is not below 1 000 000", 18);
        }
        byte[] collectorHash = in.bytes(HASH_BYTES, "collector hash");
        String adminId = in.utf8(in.uint16("admin id length"), "admin id");
        byte[] routerHash = in.bytes(HASH_BYTES, "router hash");
        InetAddress router = (flags & FLAG_IPV6) != 0
                ? in.address(ADDRESS_BYTES, "router address")
                : readIpv4InSixteen(in);
        String routerGroup = in.utf8(in.uint16("router group length"), "router group");
        long rows = in.uint32("row count");
        if (rows != 1) {
            throw new DecodeException("a raw BMP frame holds one row, not " + rows, in.position() - 4);
        }
        if (in.position() != headerLength) {
            throw new DecodeException("header length says " + headerLength + " bytes, the fields take "
                    + in.position(), 6);
        }
        if (bmpLength < BMP_COMMON_HEADER_BYTES || bmpLength > in.remaining()) {
            throw new DecodeException("BMP message length " + bmpLength + " with " + in.remaining()
                    + " bytes after the header", 8);
        }
        byte[] bmp = in.bytes((int) bmpLength, "BMP message");
        long ownLength = (bmp[1] & 0xFFL) << 24 | (bmp[2] & 0xFF) << 16 | (bmp[3] & 0xFF) << 8 | (bmp[4] & 0xFF);
        if (ownLength != bmpLength) {
            throw new DecodeException("the BMP message says it is " + ownLength + " bytes, the header "
                    + bmpLength, headerLength + 1);
        }
        return new OpenBmpRawFrame(Instant.ofEpochSecond(seconds, micros * 1_000), collectorHash, adminId,
                routerHash, router, routerGroup, bmp);
    }

    /** The IPv4 router address in the first 4 of the field's 16 bytes; the rest is padding. */
    private static InetAddress readIpv4InSixteen(WireCursor in) {
        InetAddress address = in.address(4, "router address");
        in.skip(ADDRESS_BYTES - 4, "router address padding");
        return address;
    }
}
