package net.rampart.rpki;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import net.rampart.wire.DecodeException;
import net.rampart.wire.ip.Ipv4Prefix;
import net.rampart.wire.ip.Ipv6Prefix;
import net.rampart.wire.rtr.Aspa;
import net.rampart.wire.rtr.Ipv4PrefixPdu;
import net.rampart.wire.rtr.Ipv6PrefixPdu;
import net.rampart.wire.rtr.RouterKey;
import net.rampart.wire.rtr.RtrFramer;
import net.rampart.wire.rtr.RtrPdu;
import net.rampart.wire.rtr.RtrPduEncoder;

/**
 * The persisted form of snapshots and deltas: a run of RTR version 2 payload PDUs, with
 * the announce flag telling announced from withdrawn. Reusing the wire format keeps one
 * well-tested codec and makes stored blobs readable with any RTR tool.
 */
public final class PayloadCodec {

    private PayloadCodec() {
    }

    public static byte[] encode(RpkiSnapshot snapshot) {
        return encode(snapshot.vrps().toList(), List.of(), snapshot.aspas(), List.of(), snapshot.routerKeys(),
                List.of());
    }

    public static byte[] encode(RpkiDelta d) {
        return encode(d.announcedVrps(), d.withdrawnVrps(), d.announcedAspas(), d.withdrawnAspas(), d.announcedKeys(),
                d.withdrawnKeys());
    }

    private static byte[] encode(List<Vrp> vrpsIn, List<Vrp> vrpsOut, List<AspaRecord> aspasIn,
            List<AspaRecord> aspasOut, List<RouterKeyRecord> keysIn, List<RouterKeyRecord> keysOut) {
        List<RtrPdu> pdus = new ArrayList<>();
        vrpsIn.forEach(v -> pdus.add(pdu(v, true)));
        vrpsOut.forEach(v -> pdus.add(pdu(v, false)));
        aspasIn.forEach(a -> pdus.add(new Aspa(2, true, a.customer(), a.providersAsInts())));
        aspasOut.forEach(a -> pdus.add(new Aspa(2, false, a.customer(), a.providersAsInts())));
        keysIn.forEach(k -> pdus.add(new RouterKey(2, true, k.ski(), k.asn(), k.spki())));
        keysOut.forEach(k -> pdus.add(new RouterKey(2, false, k.ski(), k.asn(), k.spki())));
        ByteBuffer out = ByteBuffer.allocate(pdus.stream().mapToInt(RtrPduEncoder::length).sum());
        pdus.forEach(p -> RtrPduEncoder.encode(p, out));
        return out.array();
    }

    private static RtrPdu pdu(Vrp v, boolean announce) {
        return switch (v.prefix()) {
            case Ipv4Prefix p -> new Ipv4PrefixPdu(2, announce, p.length(), v.maxLength(), p.address(), v.asn());
            case Ipv6Prefix p -> new Ipv6PrefixPdu(2, announce, p.length(), v.maxLength(), p.high(), p.low(), v.asn());
        };
    }

    public static RpkiSnapshot decodeSnapshot(byte[] bytes) {
        RpkiDelta all = decodeDelta(bytes);
        return RpkiSnapshot.of(VrpSet.of(all.announcedVrps()), all.announcedAspas(), all.announcedKeys());
    }

    /** @throws DecodeException when the blob is not what {@link #encode} wrote */
    public static RpkiDelta decodeDelta(byte[] bytes) {
        List<Vrp> vrpsIn = new ArrayList<>();
        List<Vrp> vrpsOut = new ArrayList<>();
        List<AspaRecord> aspasIn = new ArrayList<>();
        List<AspaRecord> aspasOut = new ArrayList<>();
        List<RouterKeyRecord> keysIn = new ArrayList<>();
        List<RouterKeyRecord> keysOut = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        RtrFramer framer = new RtrFramer(Integer.MAX_VALUE);
        while (buf.hasRemaining()) {
            RtrPdu pdu = framer.next(buf);
            if (pdu == null) {
                throw new DecodeException("truncated stored payload", buf.position());
            }
            switch (pdu) {
                case Ipv4PrefixPdu p -> (p.announce() ? vrpsIn : vrpsOut).add(
                        new Vrp(new Ipv4Prefix(p.address(), p.prefixLength()), p.maxLength(), p.asn()));
                case Ipv6PrefixPdu p -> (p.announce() ? vrpsIn : vrpsOut).add(new Vrp(
                        new Ipv6Prefix(p.addressHigh(), p.addressLow(), p.prefixLength()), p.maxLength(), p.asn()));
                case Aspa a -> (a.announce() ? aspasIn : aspasOut).add(new AspaRecord(a.customerAsn(),
                        java.util.Arrays.stream(a.providers()).mapToLong(Integer::toUnsignedLong).toArray()));
                case RouterKey k -> (k.announce() ? keysIn : keysOut)
                        .add(new RouterKeyRecord(k.asn(), k.subjectKeyIdentifier(), k.subjectPublicKeyInfo()));
                default -> throw new DecodeException("unexpected " + pdu.type() + " in stored payload");
            }
        }
        return new RpkiDelta(vrpsIn, vrpsOut, aspasIn, aspasOut, keysIn, keysOut);
    }
}
