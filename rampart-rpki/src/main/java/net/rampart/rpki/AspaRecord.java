package net.rampart.rpki;

import java.util.Arrays;
import net.rampart.wire.Asn;

/**
 * An ASPA: the customer AS and the set of its provider ASes, held sorted and without
 * duplicates as unsigned ASNs. Ordered by customer, then providers.
 */
public record AspaRecord(long customer, long[] providers) implements Comparable<AspaRecord> {

    public AspaRecord {
        Asn.check(customer);
        providers = Arrays.stream(providers).peek(Asn::check).sorted().distinct().toArray();
    }

    @Override
    public long[] providers() {
        return providers.clone();
    }

    public boolean hasProvider(long asn) {
        return Arrays.binarySearch(providers, asn) >= 0;
    }

    /** Providers as unsigned 32-bit values in ints, as the RTR ASPA PDU carries them. */
    public int[] providersAsInts() {
        int[] out = new int[providers.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) providers[i];
        }
        return out;
    }

    @Override
    public int compareTo(AspaRecord o) {
        int c = Long.compare(customer, o.customer);
        return c != 0 ? c : Arrays.compare(providers, o.providers);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AspaRecord a && a.customer == customer && Arrays.equals(a.providers, providers);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(customer) * 31 + Arrays.hashCode(providers);
    }

    @Override
    public String toString() {
        return "ASPA AS" + customer + " " + Arrays.toString(providers);
    }
}
