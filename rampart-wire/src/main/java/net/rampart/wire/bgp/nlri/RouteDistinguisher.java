package net.rampart.wire.bgp.nlri;

/**
 * An 8-byte route distinguisher (RFC 4364 section 4.2), kept as one long; the printed form
 * depends on its type: 0 is ASN2:number, 1 is IPv4:number, 2 is ASN4:number.
 */
public record RouteDistinguisher(long value) {

    public int type() {
        return (int) (value >>> 48);
    }

    public static RouteDistinguisher ofAs2(int asn, long assigned) {
        return new RouteDistinguisher(((long) (asn & 0xFFFF) << 32) | (assigned & 0xFFFF_FFFFL));
    }

    public static RouteDistinguisher ofIpv4(int address, int assigned) {
        return new RouteDistinguisher((1L << 48) | ((address & 0xFFFF_FFFFL) << 16) | (assigned & 0xFFFF));
    }

    public static RouteDistinguisher ofAs4(long asn, int assigned) {
        return new RouteDistinguisher((2L << 48) | ((asn & 0xFFFF_FFFFL) << 16) | (assigned & 0xFFFF));
    }

    @Override
    public String toString() {
        return switch (type()) {
            case 0 -> ((value >>> 32) & 0xFFFF) + ":" + (value & 0xFFFF_FFFFL);
            case 1 -> Ipv4Prefix.format((int) (value >>> 16)) + ":" + (value & 0xFFFF);
            case 2 -> ((value >>> 16) & 0xFFFF_FFFFL) + ":" + (value & 0xFFFF);
            default -> String.format("%016x", value);
        };
    }
}
