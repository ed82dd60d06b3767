package net.rampart.wire.bgp.nlri;

import net.rampart.wire.ip.Ipv4Prefix;

/**
 * An 8-byte route distinguisher (RFC 4364 section 4.2), kept as one long. Its text is the one
 * form every part of Rampart writes (peer lists, routes, route keys, route history):
 * <ul>
 *   <li>type 0: {@code ASN2:NN}, e.g. {@code 64499:94}</li>
 *   <li>type 1: {@code IPv4:NN}, e.g. {@code 192.0.2.1:7}</li>
 *   <li>type 2: {@code ASN4:NN}, e.g. {@code 4226809946:12}</li>
 *   <li>any other type: the 8 bytes as 16 hex digits, e.g. {@code 0003000000000001}; RFC 4364
 *       defines no text for them, and this is what VPN route keys have always held for them</li>
 * </ul>
 * No type prefix: {@code 0:64499:94} is not this form. The all-zero distinguisher of a
 * global-instance BMP peer is {@code 0:0}. RFC 4364 text does not say the type, so a type 2
 * distinguisher whose AS fits in two octets reads back as type 0 with the same numbers.
 */
public record RouteDistinguisher(long value) {

    private static final long MAX_U32 = 0xFFFF_FFFFL;
    private static final long MAX_U16 = 0xFFFF;

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

    /** The text form described above, for a distinguisher held as a long. */
    public static String format(long value) {
        return switch ((int) (value >>> 48)) {
            case 0 -> ((value >>> 32) & 0xFFFF) + ":" + (value & MAX_U32);
            case 1 -> Ipv4Prefix.formatAddress((int) (value >>> 16)) + ":" + (value & MAX_U16);
            case 2 -> ((value >>> 16) & MAX_U32) + ":" + (value & MAX_U16);
            default -> String.format("%016x", value);
        };
    }

    /**
     * Reads the text form: {@code ASN:NN} is type 0 when the AS fits in two octets and type 2
     * otherwise, {@code a.b.c.d:NN} is type 1, and 16 hex digits are a type other than 0-2.
     *
     * @throws IllegalArgumentException naming what is wrong with the text
     */
    public static RouteDistinguisher parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            return unknownType(text);
        }
        String administrator = text.substring(0, colon);
        long assigned = number(text.substring(colon + 1), text, "assigned number");
        if (administrator.indexOf('.') >= 0) {
            if (assigned > MAX_U16) {
                throw new IllegalArgumentException("assigned number " + assigned + " of '" + text
                        + "' is over 65535, the most an IPv4 administrator leaves room for");
            }
            return ofIpv4(ipv4(administrator, text), (int) assigned);
        }
        long asn = number(administrator, text, "AS number");
        if (asn <= MAX_U16) {
            if (assigned > MAX_U32) {
                throw new IllegalArgumentException("assigned number " + assigned + " of '" + text
                        + "' is over 4294967295");
            }
            return ofAs2((int) asn, assigned);
        }
        if (asn > MAX_U32) {
            throw new IllegalArgumentException("AS number " + asn + " of '" + text + "' is over 4294967295");
        }
        if (assigned > MAX_U16) {
            throw new IllegalArgumentException("assigned number " + assigned + " of '" + text
                    + "' is over 65535, the most a four-octet AS administrator leaves room for");
        }
        return ofAs4(asn, (int) assigned);
    }

    private static RouteDistinguisher unknownType(String text) {
        if (!text.matches("[0-9a-fA-F]{16}")) {
            throw new IllegalArgumentException("'" + text
                    + "' is not a route distinguisher such as 65000:1, 192.0.2.1:7 or 4200000000:7");
        }
        long value = Long.parseUnsignedLong(text, 16);
        if ((value >>> 48) <= 2) {
            // Types 0-2 have one text each, so that a filter on the text matches what is shown.
            throw new IllegalArgumentException("'" + text + "' is a type " + (value >>> 48)
                    + " route distinguisher, written " + format(value));
        }
        return new RouteDistinguisher(value);
    }

    /** A decimal number of at most 10 digits, no sign: every field fits in 32 bits. */
    private static long number(String digits, String text, String what) {
        if (!digits.matches("[0-9]{1,10}")) {
            throw new IllegalArgumentException(what + " '" + digits + "' of route distinguisher '" + text
                    + "' is not a decimal number");
        }
        return Long.parseLong(digits);
    }

    private static int ipv4(String address, String text) {
        String[] octets = address.split("\\.", -1);
        if (octets.length != 4) {
            throw new IllegalArgumentException("'" + address + "' of route distinguisher '" + text
                    + "' is not an IPv4 address");
        }
        int a = 0;
        for (String octet : octets) {
            if (!octet.matches("[0-9]{1,3}") || Integer.parseInt(octet) > 255) {
                throw new IllegalArgumentException("'" + address + "' of route distinguisher '" + text
                        + "' is not an IPv4 address");
            }
            a = (a << 8) | Integer.parseInt(octet);
        }
        return a;
    }

    @Override
    public String toString() {
        return format(value);
    }
}
