package net.rampart.detect.monitor;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * An immutable set of ASNs, kept sorted in a {@code long[]} so that a membership test on the
 * detector's path neither boxes nor hashes.
 */
public final class AsnSet {

    public static final AsnSet EMPTY = new AsnSet(new long[0]);

    private final long[] sorted;

    private AsnSet(long[] sorted) {
        this.sorted = sorted;
    }

    public static AsnSet of(long... asns) {
        long[] copy = Arrays.stream(asns).distinct().sorted().toArray();
        return copy.length == 0 ? EMPTY : new AsnSet(copy);
    }

    public boolean contains(long asn) {
        return Arrays.binarySearch(sorted, asn) >= 0;
    }

    /** The ASNs in ascending order, a copy. */
    public long[] toArray() {
        return sorted.clone();
    }

    public boolean isEmpty() {
        return sorted.length == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AsnSet other && Arrays.equals(sorted, other.sorted);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sorted);
    }

    /** As people write them: {@code [AS64500, AS64501]}. */
    @Override
    public String toString() {
        return Arrays.stream(sorted).mapToObj(a -> "AS" + a).collect(Collectors.joining(", ", "[", "]"));
    }
}
