package net.rampart.wire.bgp.nlri;

import java.util.Arrays;
import java.util.List;

import net.rampart.wire.WireCursor;
import net.rampart.wire.bgp.ByteSink;
import net.rampart.wire.ip.IpPrefix;
import net.rampart.wire.ip.Ipv4Prefix;
import net.rampart.wire.ip.Ipv6Prefix;

/**
 * Codecs for the prefix-shaped NLRI: unicast (RFC 4271, RFC 4760), labeled unicast (RFC 8277)
 * and L3VPN (RFC 4364), each with an optional ADD-PATH path id (RFC 7911). Only as many
 * address bytes as the prefix length needs are on the wire; host bits are cleared on decode.
 */
public final class PrefixCodec {

    private PrefixCodec() {
    }

    /** Reads a {@code bits}-long prefix of family {@code afi} (1 or 2); the length byte was read already. */
    public static IpPrefix readAddress(WireCursor in, int afi, int bits) {
        if (afi == 1) {
            return readIpv4(in, bits);
        }
        if (bits > 128) {
            throw in.error("IPv6 prefix length " + bits);
        }
        int n = (bits + 7) >>> 3;
        in.require(n, "IPv6 prefix");
        long high = 0;
        long low = 0;
        for (int i = 0; i < 16; i++) {
            long b = i < n ? in.uint8("IPv6 prefix") : 0;
            if (i < 8) {
                high = (high << 8) | b;
            } else {
                low = (low << 8) | b;
            }
        }
        return Ipv6Prefix.of(high, low, bits);
    }

    public static Ipv4Prefix readIpv4(WireCursor in, int bits) {
        if (bits > 32) {
            throw in.error("IPv4 prefix length " + bits);
        }
        int n = (bits + 7) >>> 3;
        in.require(n, "IPv4 prefix");
        int a = 0;
        for (int i = 0; i < n; i++) {
            a = (a << 8) | in.uint8("IPv4 prefix");
        }
        a <<= 8 * (4 - n);
        return Ipv4Prefix.of(n == 0 ? 0 : a, bits);
    }

    /** Writes the significant bytes of a prefix's address (not its length). */
    public static void writeAddress(IpPrefix prefix, ByteSink out) {
        int n = (prefix.length() + 7) >>> 3;
        switch (prefix) {
            case Ipv4Prefix p -> {
                for (int i = 0; i < n; i++) {
                    out.u8(p.address() >>> (24 - 8 * i));
                }
            }
            case Ipv6Prefix p -> {
                for (int i = 0; i < n; i++) {
                    out.u8((int) ((i < 8 ? p.high() : p.low()) >>> (56 - 8 * (i & 7))));
                }
            }
        }
    }

    private static long readPathId(WireCursor in, boolean addPath) {
        return addPath ? in.uint32("path identifier") : Nlri.NO_PATH_ID;
    }

    private static void writePathId(long pathId, ByteSink out, boolean addPath) {
        if (addPath) {
            if (pathId == Nlri.NO_PATH_ID) {
                throw new IllegalArgumentException("the session uses ADD-PATH: NLRI needs a path id");
            }
            out.u32(pathId);
        }
    }

    /** Decodes unicast prefixes until the cursor's section ends. */
    public static void readUnicast(WireCursor in, int afi, boolean addPath, List<? super UnicastNlri> out) {
        while (in.hasRemaining()) {
            long pathId = readPathId(in, addPath);
            out.add(new UnicastNlri(pathId, readAddress(in, afi, in.uint8("prefix length"))));
        }
    }

    public static void writeUnicast(UnicastNlri nlri, ByteSink out, boolean addPath) {
        writePathId(nlri.pathId(), out, addPath);
        out.u8(nlri.prefix().length());
        writeAddress(nlri.prefix(), out);
    }

    /**
     * A label stack up to its bottom-of-stack bit. In a withdrawal the field is a single label
     * field whatever it holds (RFC 8277 section 2.4): 0x800000, or the label announced, or
     * 0x000000 as some routers send (FRR among them).
     */
    private static LabelStack readLabels(WireCursor in, int bits, boolean withdrawal) {
        if (withdrawal) {
            if (bits < 24) {
                throw in.error("label field runs past the prefix length");
            }
            return LabelStack.ofEntries(new int[] {in.uint24("label")});
        }
        int[] entries = new int[4];
        int n = 0;
        while (true) {
            if ((n + 1) * 24 > bits) {
                throw in.error("label stack runs past the prefix length");
            }
            int e = in.uint24("label");
            if (n == entries.length) {
                entries = Arrays.copyOf(entries, n * 2);
            }
            entries[n++] = e;
            // Withdrawals may carry the compatibility value instead of a real label (RFC 8277 section 2.4).
            if ((e & 1) != 0 || e == LabelStack.WITHDRAW_COMPATIBILITY) {
                return LabelStack.ofEntries(Arrays.copyOf(entries, n));
            }
        }
    }

    public static void readLabeled(WireCursor in, int afi, boolean addPath, boolean withdrawal,
                                   List<? super LabeledNlri> out) {
        while (in.hasRemaining()) {
            long pathId = readPathId(in, addPath);
            int bits = in.uint8("prefix length");
            LabelStack labels = readLabels(in, bits, withdrawal);
            out.add(new LabeledNlri(pathId, labels, readAddress(in, afi, bits - 24 * labels.size())));
        }
    }

    public static void writeLabeled(LabeledNlri nlri, ByteSink out, boolean addPath) {
        writePathId(nlri.pathId(), out, addPath);
        out.u8(24 * nlri.labels().size() + nlri.prefix().length());
        for (int i = 0; i < nlri.labels().size(); i++) {
            out.u24(nlri.labels().entry(i));
        }
        writeAddress(nlri.prefix(), out);
    }

    public static void readVpn(WireCursor in, int afi, boolean addPath, boolean withdrawal,
                               List<? super VpnNlri> out) {
        while (in.hasRemaining()) {
            long pathId = readPathId(in, addPath);
            int bits = in.uint8("prefix length");
            LabelStack labels = readLabels(in, bits, withdrawal);
            int rest = bits - 24 * labels.size() - 64;
            if (rest < 0) {
                throw in.error("VPN NLRI length " + bits + " leaves no room for the route distinguisher");
            }
            RouteDistinguisher rd = new RouteDistinguisher(in.int64("route distinguisher"));
            out.add(new VpnNlri(pathId, labels, rd, readAddress(in, afi, rest)));
        }
    }

    public static void writeVpn(VpnNlri nlri, ByteSink out, boolean addPath) {
        writePathId(nlri.pathId(), out, addPath);
        int bits = 24 * nlri.labels().size() + 64 + nlri.prefix().length();
        if (bits > 255) {
            throw new IllegalArgumentException("VPN NLRI longer than 255 bits");
        }
        out.u8(bits);
        for (int i = 0; i < nlri.labels().size(); i++) {
            out.u24(nlri.labels().entry(i));
        }
        out.i64(nlri.rd().value());
        writeAddress(nlri.prefix(), out);
    }
}
