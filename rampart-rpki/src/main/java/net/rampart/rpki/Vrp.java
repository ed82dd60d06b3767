package net.rampart.rpki;

import net.rampart.wire.Asn;
import net.rampart.wire.ip.IpPrefix;

/**
 * A Validated ROA Payload: the origin AS may announce the prefix and any more-specific
 * of it up to the maximum length. Ordered by prefix, then maximum length, then AS.
 */
public record Vrp(IpPrefix prefix, int maxLength, long asn) implements Comparable<Vrp> {

    public Vrp {
        if (maxLength < prefix.length() || maxLength > prefix.maxLength()) {
            throw new IllegalArgumentException(
                    "max length " + maxLength + " outside " + prefix.length() + ".." + prefix.maxLength());
        }
        Asn.check(asn);
    }

    public static Vrp parse(String prefix, int maxLength, long asn) {
        return new Vrp(IpPrefix.parse(prefix), maxLength, asn);
    }

    @Override
    public int compareTo(Vrp o) {
        int c = prefix.compareTo(o.prefix);
        if (c == 0) {
            c = Integer.compare(maxLength, o.maxLength);
        }
        return c != 0 ? c : Long.compare(asn, o.asn);
    }

    @Override
    public String toString() {
        return "AS" + asn + " " + prefix + "-" + maxLength;
    }
}
