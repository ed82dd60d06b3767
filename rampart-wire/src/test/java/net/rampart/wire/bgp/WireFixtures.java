package net.rampart.wire.bgp;

import java.util.HexFormat;

/** Builds raw BGP messages from hex parts, for tests that need exact bytes on the wire. */
public final class WireFixtures {

    private WireFixtures() {
    }

    public static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    /** A whole message: marker, length, type, body. */
    public static byte[] message(int type, byte[] body) {
        ByteSink out = new ByteSink();
        for (int i = 0; i < 16; i++) {
            out.u8(0xFF);
        }
        out.u16(19 + body.length).u8(type).bytes(body);
        return out.toByteArray();
    }

    /** An UPDATE from its three fields, given in hex; the two length fields are filled in. */
    public static byte[] update(String withdrawn, String attributes, String nlri) {
        byte[] w = hex(withdrawn);
        byte[] a = hex(attributes);
        byte[] n = hex(nlri);
        ByteSink body = new ByteSink();
        body.u16(w.length).bytes(w).u16(a.length).bytes(a).bytes(n);
        return message(BgpMessage.TYPE_UPDATE, body.toByteArray());
    }

    public static UpdateMessage decodeUpdate(byte[] wire, PeerCapabilities caps) {
        return (UpdateMessage) BgpMessageDecoder.decode(wire, caps);
    }
}
