package net.rampart.rpki;

import java.util.Arrays;
import java.util.HexFormat;
import net.rampart.wire.Asn;

/** A BGPsec router key: AS, 20-byte Subject Key Identifier and DER Subject Public Key Info. */
public record RouterKeyRecord(long asn, byte[] ski, byte[] spki) implements Comparable<RouterKeyRecord> {

    public RouterKeyRecord {
        Asn.check(asn);
        if (ski.length != 20) {
            throw new IllegalArgumentException("SKI must be 20 bytes, not " + ski.length);
        }
        ski = ski.clone();
        spki = spki.clone();
    }

    @Override
    public byte[] ski() {
        return ski.clone();
    }

    @Override
    public byte[] spki() {
        return spki.clone();
    }

    public String skiHex() {
        return HexFormat.of().formatHex(ski);
    }

    @Override
    public int compareTo(RouterKeyRecord o) {
        int c = Long.compare(asn, o.asn);
        if (c == 0) {
            c = Arrays.compareUnsigned(ski, o.ski);
        }
        return c != 0 ? c : Arrays.compareUnsigned(spki, o.spki);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RouterKeyRecord k && k.asn == asn && Arrays.equals(k.ski, ski) && Arrays.equals(k.spki, spki);
    }

    @Override
    public int hashCode() {
        return (Long.hashCode(asn) * 31 + Arrays.hashCode(ski)) * 31 + Arrays.hashCode(spki);
    }

    @Override
    public String toString() {
        return "RouterKey AS" + asn + " " + skiHex();
    }
}
