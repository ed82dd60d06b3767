package net.rampart.wire.rtr;

import java.util.Arrays;

/**
 * ASPA (type 11, version 2, draft-ietf-sidrops-8210bis): a customer AS and its set of
 * provider ASes. A withdrawal carries no providers. Providers are unsigned 32-bit ASNs
 * held in ints, in ascending unsigned order as the draft requires of a cache.
 */
public record Aspa(int version, boolean announce, long customerAsn, int[] providers) implements RtrPdu {

    /** Fixed part: header and customer ASN. */
    public static final int MIN_LENGTH = RtrPdu.HEADER_LENGTH + 4;

    public Aspa {
        RtrPdu.checkVersion(version);
        if (version < 2) {
            throw new IllegalArgumentException("ASPA does not exist below version 2");
        }
        RtrPdu.checkAsn(customerAsn);
        providers = providers.clone();
    }

    @Override
    public int[] providers() {
        return providers.clone();
    }

    public int providerCount() {
        return providers.length;
    }

    /** The i-th provider ASN as an unsigned value. */
    public long provider(int i) {
        return Integer.toUnsignedLong(providers[i]);
    }

    public int length() {
        return MIN_LENGTH + 4 * providers.length;
    }

    @Override
    public PduType type() {
        return PduType.ASPA;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Aspa a && a.version == version && a.announce == announce && a.customerAsn == customerAsn
                && Arrays.equals(a.providers, providers);
    }

    @Override
    public int hashCode() {
        return (Long.hashCode(customerAsn) * 31 + Arrays.hashCode(providers)) * 31 + version * 2 + (announce ? 1 : 0);
    }

    @Override
    public String toString() {
        long[] unsigned = Arrays.stream(providers).mapToLong(Integer::toUnsignedLong).toArray();
        return "Aspa[version=" + version + ", announce=" + announce + ", customer=" + customerAsn + ", providers="
                + Arrays.toString(unsigned) + "]";
    }
}
