package net.rampart.wire.bgp;

import java.util.ArrayList;
import java.util.List;

import net.rampart.wire.WireCursor;

/**
 * OPEN body codec, including the extended optional parameters length of RFC 9072.
 * Optional parameters other than capabilities (only the deprecated authentication parameter
 * was ever defined) are skipped.
 */
final class OpenCodec {

    private static final int PARAM_CAPABILITIES = 2;
    private static final int PARAM_EXTENDED_LENGTH = 255;

    private OpenCodec() {
    }

    static OpenMessage decode(WireCursor in) {
        int version = in.uint8("OPEN version");
        int myAs = in.uint16("OPEN my AS");
        int hold = in.uint16("OPEN hold time");
        int id = in.int32("OPEN BGP identifier");
        int paramsLength = in.uint8("OPEN optional parameters length");
        boolean extended = false;
        if (paramsLength == PARAM_EXTENDED_LENGTH && in.hasRemaining() && in.remaining() >= 3
                && (in.array()[in.arrayOffset()] & 0xFF) == PARAM_EXTENDED_LENGTH) {
            in.uint8("OPEN extended parameters marker");
            paramsLength = in.uint16("OPEN extended optional parameters length");
            extended = true;
        }
        if (paramsLength != in.remaining()) {
            throw in.error("OPEN optional parameters length " + paramsLength + " but " + in.remaining() + " bytes follow");
        }
        List<Capability> capabilities = new ArrayList<>();
        while (in.hasRemaining()) {
            int type = in.uint8("OPEN optional parameter type");
            int length = extended ? in.uint16("OPEN optional parameter length")
                    : in.uint8("OPEN optional parameter length");
            int outer = in.beginSection(length, "OPEN optional parameter");
            if (type == PARAM_CAPABILITIES) {
                while (in.hasRemaining()) {
                    int code = in.uint8("capability code");
                    int capLength = in.uint8("capability length");
                    int capOuter = in.beginSection(capLength, "capability");
                    capabilities.add(decodeCapability(code, in));
                    in.endSection(capOuter);
                }
            }
            in.endSection(outer);
        }
        return new OpenMessage(version, myAs, hold, id, capabilities);
    }

    /** A capability whose value does not have its defined shape is kept raw, like an unknown one. */
    private static Capability decodeCapability(int code, WireCursor in) {
        int len = in.remaining();
        switch (code) {
            case Capability.CODE_MULTIPROTOCOL:
                if (len == 4) {
                    int afi = in.uint16("multiprotocol AFI");
                    in.uint8("multiprotocol reserved byte");
                    return new Capability.Multiprotocol(new AfiSafi(afi, in.uint8("multiprotocol SAFI")));
                }
                break;
            case Capability.CODE_ROUTE_REFRESH:
                if (len == 0) {
                    return new Capability.RouteRefresh();
                }
                break;
            case Capability.CODE_EXTENDED_MESSAGE:
                if (len == 0) {
                    return new Capability.ExtendedMessage();
                }
                break;
            case Capability.CODE_FOUR_OCTET_AS:
                if (len == 4) {
                    return new Capability.FourOctetAs(in.uint32("4-octet AS number"));
                }
                break;
            case Capability.CODE_GRACEFUL_RESTART:
                if (len >= 2 && (len - 2) % 4 == 0) {
                    int flagsAndTime = in.uint16("graceful restart flags and time");
                    List<Capability.GracefulRestartFamily> families = new ArrayList<>();
                    while (in.hasRemaining()) {
                        AfiSafi af = new AfiSafi(in.uint16("graceful restart AFI"), in.uint8("graceful restart SAFI"));
                        families.add(new Capability.GracefulRestartFamily(af,
                                (in.uint8("graceful restart family flags") & 0x80) != 0));
                    }
                    return new Capability.GracefulRestart((flagsAndTime & 0x8000) != 0, (flagsAndTime & 0x4000) != 0,
                            flagsAndTime & 0xFFF, families);
                }
                break;
            case Capability.CODE_ADD_PATH:
                if (len % 4 == 0) {
                    List<Capability.AddPathFamily> families = new ArrayList<>();
                    while (in.hasRemaining()) {
                        AfiSafi af = new AfiSafi(in.uint16("ADD-PATH AFI"), in.uint8("ADD-PATH SAFI"));
                        families.add(new Capability.AddPathFamily(af,
                                Capability.AddPathMode.of(in.uint8("ADD-PATH send/receive"))));
                    }
                    return new Capability.AddPath(families);
                }
                break;
            default:
                break;
        }
        return new Capability.Unknown(code, in.bytes(len, "capability value"));
    }

    static void encode(OpenMessage open, ByteSink out) {
        out.u8(open.version()).u16(open.myAutonomousSystem()).u16(open.holdTimeSeconds()).u32(open.bgpIdentifier());
        ByteSink caps = new ByteSink(64);
        for (Capability c : open.capabilities()) {
            caps.u8(c.code());
            int lengthAt = caps.size();
            caps.u8(0);
            encodeCapabilityValue(c, caps);
            int length = caps.size() - lengthAt - 1;
            if (length > 255) {
                throw new IllegalArgumentException("capability " + c.code() + " longer than 255 bytes");
            }
            caps.setU8(lengthAt, length);
        }
        byte[] body = caps.toByteArray();
        if (body.length == 0) {
            out.u8(0);
        } else if (body.length + 2 < PARAM_EXTENDED_LENGTH) {
            out.u8(body.length + 2).u8(PARAM_CAPABILITIES).u8(body.length).bytes(body);
        } else {
            // RFC 9072: one capabilities parameter with a 2-byte length behind the 255/255 escape.
            out.u8(PARAM_EXTENDED_LENGTH).u8(PARAM_EXTENDED_LENGTH).u16(body.length + 3)
                    .u8(PARAM_CAPABILITIES).u16(body.length).bytes(body);
        }
    }

    private static void encodeCapabilityValue(Capability c, ByteSink out) {
        switch (c) {
            case Capability.Multiprotocol m -> out.u16(m.afiSafi().afi()).u8(0).u8(m.afiSafi().safi());
            case Capability.RouteRefresh r -> {
                // no value
            }
            case Capability.ExtendedMessage e -> {
                // no value
            }
            case Capability.FourOctetAs f -> out.u32(f.asn());
            case Capability.GracefulRestart g -> {
                out.u16((g.restarting() ? 0x8000 : 0) | (g.notification() ? 0x4000 : 0) | g.restartTimeSeconds());
                for (Capability.GracefulRestartFamily f : g.families()) {
                    out.u16(f.afiSafi().afi()).u8(f.afiSafi().safi()).u8(f.forwardingStatePreserved() ? 0x80 : 0);
                }
            }
            case Capability.AddPath a -> {
                for (Capability.AddPathFamily f : a.families()) {
                    out.u16(f.afiSafi().afi()).u8(f.afiSafi().safi()).u8(f.mode().wire());
                }
            }
            case Capability.Unknown u -> out.bytes(u.value());
        }
    }
}
