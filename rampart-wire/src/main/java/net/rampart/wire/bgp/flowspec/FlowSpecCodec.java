package net.rampart.wire.bgp.flowspec;

import java.util.ArrayList;
import java.util.List;

import net.rampart.wire.WireCursor;
import net.rampart.wire.bgp.ByteSink;
import net.rampart.wire.bgp.nlri.PrefixCodec;
import net.rampart.wire.ip.IpPrefix;
import net.rampart.wire.ip.Ipv4Prefix;
import net.rampart.wire.ip.Ipv6Prefix;

/**
 * FlowSpec NLRI codec (SAFI 133, RFC 8955 and RFC 8956). Each rule is a length (one byte
 * below 240, otherwise two bytes 0xFnnn) and its components. Decoding rejects component
 * types out of order, repeated, unknown or not defined for the family, operator lists without
 * an end bit, and lengths that overrun the rule.
 */
public final class FlowSpecCodec {

    private static final int END_OF_LIST = 0x80;

    private FlowSpecCodec() {
    }

    /** Decodes FlowSpec rules of family {@code afi} until the cursor's section ends. */
    public static void read(WireCursor in, int afi, List<? super FlowSpecNlri> out) {
        while (in.hasRemaining()) {
            out.add(readOne(in, afi));
        }
    }

    /** Decodes one length-prefixed rule. */
    public static FlowSpecNlri readOne(WireCursor in, int afi) {
        int length = in.uint8("FlowSpec NLRI length");
        if ((length & 0xF0) == 0xF0) {
            length = ((length & 0x0F) << 8) | in.uint8("FlowSpec NLRI length");
        }
        if (length == 0) {
            throw in.error("empty FlowSpec NLRI");
        }
        int outer = in.beginSection(length, "FlowSpec NLRI");
        List<FlowSpecComponent> components = new ArrayList<>(4);
        int previous = 0;
        while (in.hasRemaining()) {
            int type = in.uint8("FlowSpec component type");
            if (type <= previous) {
                throw in.error("FlowSpec component type " + type + " after " + previous + ": types must strictly increase");
            }
            if (type > (afi == 2 ? FlowSpecComponent.FLOW_LABEL : FlowSpecComponent.FRAGMENT)) {
                throw in.error("unknown FlowSpec component type " + type + " for AFI " + afi);
            }
            previous = type;
            components.add(readComponent(in, afi, type));
        }
        in.endSection(outer);
        return new FlowSpecNlri(afi, components);
    }

    private static FlowSpecComponent readComponent(WireCursor in, int afi, int type) {
        if (FlowSpecComponent.isPrefixType(type)) {
            return afi == 1
                    ? new FlowSpecComponent.Prefix(type, PrefixCodec.readIpv4(in, in.uint8("FlowSpec prefix length")))
                    : readIpv6Prefix(in, type);
        }
        boolean bitmask = FlowSpecComponent.isBitmaskType(type);
        List<NumericMatch> numeric = bitmask ? null : new ArrayList<>(2);
        List<BitmaskMatch> masks = bitmask ? new ArrayList<>(2) : null;
        while (true) {
            int op = in.uint8("FlowSpec operator");
            long value = in.uintN(1 << ((op >>> 4) & 3), "FlowSpec operator value");
            if (bitmask) {
                masks.add(BitmaskMatch.fromOperator(op, value));
            } else {
                numeric.add(NumericMatch.fromOperator(op, value));
            }
            if ((op & END_OF_LIST) != 0) {
                break;
            }
            if (!in.hasRemaining()) {
                throw in.error("FlowSpec operator list of type " + type + " has no end-of-list bit");
            }
        }
        return bitmask ? new FlowSpecComponent.Bitmask(type, masks) : new FlowSpecComponent.Numeric(type, numeric);
    }

    /** RFC 8956 section 3.1: length, offset, then the bits from offset to length. */
    private static FlowSpecComponent readIpv6Prefix(WireCursor in, int type) {
        int length = in.uint8("FlowSpec IPv6 prefix length");
        int offset = in.uint8("FlowSpec IPv6 prefix offset");
        if (length > 128 || (offset != 0 && offset >= length)) {
            throw in.error("IPv6 FlowSpec prefix length " + length + " with offset " + offset);
        }
        int patternBits = length - offset;
        byte[] pattern = in.bytes((patternBits + 7) >>> 3, "FlowSpec IPv6 prefix");
        long high = 0;
        long low = 0;
        for (int i = 0; i < patternBits; i++) {
            if ((pattern[i >>> 3] & (0x80 >>> (i & 7))) != 0) {
                int bit = offset + i;
                if (bit < 64) {
                    high |= 1L << (63 - bit);
                } else {
                    low |= 1L << (127 - bit);
                }
            }
        }
        return new FlowSpecComponent.Prefix(type, new Ipv6Prefix(high, low, length), offset);
    }

    /** Writes one rule with its length field. */
    public static void write(FlowSpecNlri nlri, ByteSink out) {
        ByteSink body = new ByteSink(64);
        for (FlowSpecComponent c : nlri.components()) {
            body.u8(c.type());
            switch (c) {
                case FlowSpecComponent.Prefix p -> writePrefix(p, body);
                case FlowSpecComponent.Numeric n -> {
                    for (int i = 0; i < n.matches().size(); i++) {
                        NumericMatch m = n.matches().get(i);
                        body.u8(m.operatorBits() | (i == n.matches().size() - 1 ? END_OF_LIST : 0));
                        body.uN(m.value(), m.valueLength());
                    }
                }
                case FlowSpecComponent.Bitmask b -> {
                    for (int i = 0; i < b.matches().size(); i++) {
                        BitmaskMatch m = b.matches().get(i);
                        body.u8(m.operatorBits() | (i == b.matches().size() - 1 ? END_OF_LIST : 0));
                        body.uN(m.value(), m.valueLength());
                    }
                }
            }
        }
        int length = body.size();
        if (length > FlowSpecNlri.MAX_LENGTH) {
            throw new IllegalArgumentException("FlowSpec NLRI of " + length + " bytes exceeds " + FlowSpecNlri.MAX_LENGTH);
        }
        if (length < 240) {
            out.u8(length);
        } else {
            out.u16(0xF000 | length);
        }
        out.bytes(body.toByteArray());
    }

    private static void writePrefix(FlowSpecComponent.Prefix p, ByteSink out) {
        IpPrefix prefix = p.prefix();
        out.u8(prefix.length());
        if (prefix instanceof Ipv4Prefix) {
            PrefixCodec.writeAddress(prefix, out);
            return;
        }
        Ipv6Prefix v6 = (Ipv6Prefix) prefix;
        out.u8(p.offset());
        int patternBits = prefix.length() - p.offset();
        byte[] pattern = new byte[(patternBits + 7) >>> 3];
        for (int i = 0; i < patternBits; i++) {
            int bit = p.offset() + i;
            long word = bit < 64 ? v6.high() : v6.low();
            if (((word >>> (63 - (bit & 63))) & 1) != 0) {
                pattern[i >>> 3] |= (byte) (0x80 >>> (i & 7));
            }
        }
        out.bytes(pattern);
    }
}
