package net.rampart.wire.rtr;

/**
 * IPv6 Prefix (type 6): announces or withdraws one VRP. The 128-bit address is held as
 * its upper and lower 64 bits.
 */
public record Ipv6PrefixPdu(int version, boolean announce, int prefixLength, int maxLength, long addressHigh,
        long addressLow, long asn) implements RtrPdu {

    public static final int LENGTH = 32;

    public Ipv6PrefixPdu {
        RtrPdu.checkVersion(version);
        RtrPdu.checkLengths(prefixLength, maxLength, 128);
        RtrPdu.checkAsn(asn);
    }

    @Override
    public PduType type() {
        return PduType.IPV6_PREFIX;
    }
}
