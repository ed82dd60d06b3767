package net.rampart.wire.rtr;

/**
 * IPv4 Prefix (type 4): announces or withdraws one VRP. The address is the 32-bit
 * network address in an int, most significant byte first.
 */
public record Ipv4PrefixPdu(int version, boolean announce, int prefixLength, int maxLength, int address, long asn)
        implements RtrPdu {

    public static final int LENGTH = 20;

    public Ipv4PrefixPdu {
        RtrPdu.checkVersion(version);
        RtrPdu.checkLengths(prefixLength, maxLength, 32);
        RtrPdu.checkAsn(asn);
    }

    @Override
    public PduType type() {
        return PduType.IPV4_PREFIX;
    }
}
