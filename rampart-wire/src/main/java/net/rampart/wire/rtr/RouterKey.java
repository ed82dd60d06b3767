package net.rampart.wire.rtr;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * Router Key (type 9, version 1 and later): a BGPsec router key, its 20-byte Subject Key
 * Identifier, AS and DER Subject Public Key Info. The arrays are copied in and out.
 */
public record RouterKey(int version, boolean announce, byte[] subjectKeyIdentifier, long asn,
        byte[] subjectPublicKeyInfo) implements RtrPdu {

    public static final int SKI_LENGTH = 20;

    public RouterKey {
        RtrPdu.checkVersion(version);
        if (version < 1) {
            throw new IllegalArgumentException("Router Key does not exist in version 0");
        }
        if (subjectKeyIdentifier.length != SKI_LENGTH) {
            throw new IllegalArgumentException("SKI must be 20 bytes");
        }
        RtrPdu.checkAsn(asn);
        subjectKeyIdentifier = subjectKeyIdentifier.clone();
        subjectPublicKeyInfo = subjectPublicKeyInfo.clone();
    }

    @Override
    public byte[] subjectKeyIdentifier() {
        return subjectKeyIdentifier.clone();
    }

    @Override
    public byte[] subjectPublicKeyInfo() {
        return subjectPublicKeyInfo.clone();
    }

    public int length() {
        return RtrPdu.HEADER_LENGTH + SKI_LENGTH + 4 + subjectPublicKeyInfo.length;
    }

    @Override
    public PduType type() {
        return PduType.ROUTER_KEY;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RouterKey k && k.version == version && k.announce == announce && k.asn == asn
                && Arrays.equals(k.subjectKeyIdentifier, subjectKeyIdentifier)
                && Arrays.equals(k.subjectPublicKeyInfo, subjectPublicKeyInfo);
    }

    @Override
    public int hashCode() {
        return ((Long.hashCode(asn) * 31 + Arrays.hashCode(subjectKeyIdentifier)) * 31
                + Arrays.hashCode(subjectPublicKeyInfo)) * 31 + version * 2 + (announce ? 1 : 0);
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return "RouterKey[version=" + version + ", announce=" + announce + ", ski=" + hex.formatHex(subjectKeyIdentifier)
                + ", asn=" + asn + ", spki=" + hex.formatHex(subjectPublicKeyInfo) + "]";
    }
}
