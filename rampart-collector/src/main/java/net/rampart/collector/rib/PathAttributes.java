package net.rampart.collector.rib;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;

/**
 * The path attributes of a route, immutable. Equality and the hash cover every attribute
 * (large communities, cluster list and unmodelled attributes included), and the BMP
 * {@link RouteMarking} when the router sent one, so that one interned instance can stand for
 * every route that carries the same set; see {@link AttributePool}. Arrays are owned by the
 * instance and must not be modified.
 */
public final class PathAttributes {
    public static final int ORIGIN_IGP = 0;
    public static final int ORIGIN_EGP = 1;
    public static final int ORIGIN_INCOMPLETE = 2;

    private static final int[] NO_INTS = new int[0];
    private static final long[] NO_LONGS = new long[0];
    private static final RawAttribute[] NO_RAW = new RawAttribute[0];
    private static final Comparator<RawAttribute> BY_TYPE = Comparator.comparingInt(RawAttribute::type);
    private static final VarHandle REFERENCES;

    static {
        try {
            REFERENCES = MethodHandles.lookup().findVarHandle(PathAttributes.class, "references", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int origin;
    private final AsPath asPath;
    private final byte[] nextHop;
    private final long med;
    private final long localPref;
    private final boolean atomicAggregate;
    private final long aggregatorAsn;
    private final byte[] aggregatorAddress;
    private final int[] communities;
    private final long[] extendedCommunities;
    private final int[] largeCommunities;
    private final byte[] originatorId;
    private final int[] clusterList;
    private final RawAttribute[] otherAttributes;
    private final RouteMarking marking;
    private final int hash;
    /** The path's, kept here too: a reader of many routes (the detector) then reads this object only. */
    private final long originAsn;

    /** Routes in the RIB that hold this instance; only meaningful for interned instances. */
    @SuppressWarnings("unused") // accessed through REFERENCES
    private volatile int references;

    private PathAttributes(Builder b) {
        origin = b.origin;
        asPath = b.asPath;
        nextHop = b.nextHop;
        med = b.med;
        localPref = b.localPref;
        atomicAggregate = b.atomicAggregate;
        aggregatorAsn = b.aggregatorAsn;
        aggregatorAddress = b.aggregatorAddress;
        communities = b.communities;
        extendedCommunities = b.extendedCommunities;
        largeCommunities = b.largeCommunities;
        originatorId = b.originatorId;
        clusterList = b.clusterList;
        RawAttribute[] other = b.otherAttributes;
        if (other.length > 0) {
            other = other.clone();
            // Attribute order on the wire carries no meaning; sort so equal sets hash equal.
            Arrays.sort(other, BY_TYPE);
        }
        otherAttributes = other;
        // The BGP UPDATE has no marking; a BMP router's TLVs add one (see withMarking).
        marking = null;
        hash = computeHash();
        originAsn = asPath.originAsn();
    }

    /** The same attributes with another marking; the arrays are shared, being immutable. */
    private PathAttributes(PathAttributes base, RouteMarking marking) {
        origin = base.origin;
        asPath = base.asPath;
        nextHop = base.nextHop;
        med = base.med;
        localPref = base.localPref;
        atomicAggregate = base.atomicAggregate;
        aggregatorAsn = base.aggregatorAsn;
        aggregatorAddress = base.aggregatorAddress;
        communities = base.communities;
        extendedCommunities = base.extendedCommunities;
        largeCommunities = base.largeCommunities;
        originatorId = base.originatorId;
        clusterList = base.clusterList;
        otherAttributes = base.otherAttributes;
        this.marking = marking;
        hash = computeHash();
        originAsn = base.originAsn;
    }

    private int computeHash() {
        int h = origin;
        h = h * 31 + asPath.hashCode();
        h = h * 31 + Arrays.hashCode(nextHop);
        h = h * 31 + Long.hashCode(med);
        h = h * 31 + Long.hashCode(localPref);
        h = h * 31 + (atomicAggregate ? 1 : 0);
        h = h * 31 + Long.hashCode(aggregatorAsn);
        h = h * 31 + Arrays.hashCode(aggregatorAddress);
        h = h * 31 + Arrays.hashCode(communities);
        h = h * 31 + Arrays.hashCode(extendedCommunities);
        h = h * 31 + Arrays.hashCode(largeCommunities);
        h = h * 31 + Arrays.hashCode(originatorId);
        h = h * 31 + Arrays.hashCode(clusterList);
        h = h * 31 + Arrays.hashCode(otherAttributes);
        return h * 31 + Objects.hashCode(marking);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** ORIGIN: 0 IGP, 1 EGP, 2 INCOMPLETE; -1 when absent. */
    public int origin() {
        return origin;
    }

    /**
     * An ORIGIN value as the API and docs name it: {@code igp}, {@code egp} or {@code incomplete};
     * null when absent or not one of those, so that every reader shows one text for one value.
     */
    public static String originName(int origin) {
        return switch (origin) {
            case ORIGIN_IGP -> "igp";
            case ORIGIN_EGP -> "egp";
            case ORIGIN_INCOMPLETE -> "incomplete";
            default -> null;
        };
    }

    public AsPath asPath() {
        return asPath;
    }

    /** The AS_PATH's origin AS, as {@link AsPath#originAsn()} gives it: -1 when the path ends in a set or is empty. */
    public long originAsn() {
        return originAsn;
    }

    /** The next hop: 4 or 16 bytes, or 32 for an IPv6 global plus link-local pair; null when absent. */
    public byte[] nextHop() {
        return nextHop;
    }

    /** MULTI_EXIT_DISC as an unsigned value; -1 when absent. */
    public long med() {
        return med;
    }

    /** LOCAL_PREF as an unsigned value; -1 when absent. */
    public long localPref() {
        return localPref;
    }

    public boolean atomicAggregate() {
        return atomicAggregate;
    }

    /** AGGREGATOR's ASN; -1 when absent. */
    public long aggregatorAsn() {
        return aggregatorAsn;
    }

    public byte[] aggregatorAddress() {
        return aggregatorAddress;
    }

    /** Standard communities (RFC 1997), each {@code asn << 16 | value}, in received order. */
    public int[] communities() {
        return communities;
    }

    /** Extended communities (RFC 4360), each the 8 bytes as a long, in received order. */
    public long[] extendedCommunities() {
        return extendedCommunities;
    }

    /** Large communities (RFC 8092) as consecutive triples (global admin, data 1, data 2). */
    public int[] largeCommunities() {
        return largeCommunities;
    }

    /** ORIGINATOR_ID (4 bytes), or null. */
    public byte[] originatorId() {
        return originatorId;
    }

    /** CLUSTER_LIST entries in received order. */
    public int[] clusterList() {
        return clusterList;
    }

    /** Attributes without a field here, sorted by type code. */
    public RawAttribute[] otherAttributes() {
        return otherAttributes;
    }

    /** What the BMP router said about the route beside its attributes, or null when nothing. */
    public RouteMarking marking() {
        return marking;
    }

    /**
     * These attributes with {@code marking} (null for none): this instance when it already has
     * that marking, else a new, not interned one.
     */
    public PathAttributes withMarking(RouteMarking marking) {
        return Objects.equals(marking, this.marking) ? this : new PathAttributes(this, marking);
    }

    public boolean hasCommunity(int community) {
        for (int c : communities) {
            if (c == community) {
                return true;
            }
        }
        return false;
    }

    public boolean hasLargeCommunity(int global, int data1, int data2) {
        for (int i = 0; i + 2 < largeCommunities.length; i += 3) {
            if (largeCommunities[i] == global && largeCommunities[i + 1] == data1
                    && largeCommunities[i + 2] == data2) {
                return true;
            }
        }
        return false;
    }

    int references() {
        return (int) REFERENCES.getVolatile(this);
    }

    void addReferences(int n) {
        REFERENCES.getAndAdd(this, n);
    }

    /** Adds a reference unless the count already reached zero (the instance is leaving the pool). */
    boolean acquireIfLive() {
        for (;;) {
            int r = (int) REFERENCES.getVolatile(this);
            if (r <= 0) {
                return false;
            }
            if (REFERENCES.compareAndSet(this, r, r + 1)) {
                return true;
            }
        }
    }

    /** Drops one reference unless it is the last; returns false when the caller holds the last one. */
    boolean releaseIfNotLast() {
        for (;;) {
            int r = (int) REFERENCES.getVolatile(this);
            if (r <= 1) {
                return false;
            }
            if (REFERENCES.compareAndSet(this, r, r - 1)) {
                return true;
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof PathAttributes a && a.hash == hash && a.origin == origin && a.med == med
                && a.localPref == localPref && a.atomicAggregate == atomicAggregate
                && a.aggregatorAsn == aggregatorAsn && a.asPath.equals(asPath) && Arrays.equals(a.nextHop, nextHop)
                && Arrays.equals(a.communities, communities)
                && Arrays.equals(a.extendedCommunities, extendedCommunities)
                && Arrays.equals(a.largeCommunities, largeCommunities)
                && Arrays.equals(a.clusterList, clusterList) && Arrays.equals(a.originatorId, originatorId)
                && Arrays.equals(a.aggregatorAddress, aggregatorAddress)
                && Arrays.equals(a.otherAttributes, otherAttributes) && Objects.equals(a.marking, marking);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "PathAttributes[origin=" + origin + ", asPath=" + asPath + ", nextHop="
                + EvpnRouteKey.ipText(nextHop) + ", med=" + med + ", localPref=" + localPref + ", communities="
                + communities.length + ", ext=" + extendedCommunities.length + ", large="
                + largeCommunities.length / 3 + ", other=" + otherAttributes.length
                + (marking == null ? "" : ", marking=" + marking) + "]";
    }

    /** Collects attributes as a decoder finds them; absent ones keep their "absent" value. */
    public static final class Builder {
        private int origin = -1;
        private AsPath asPath = AsPath.EMPTY;
        private byte[] nextHop;
        private long med = -1;
        private long localPref = -1;
        private boolean atomicAggregate;
        private long aggregatorAsn = -1;
        private byte[] aggregatorAddress;
        private int[] communities = NO_INTS;
        private long[] extendedCommunities = NO_LONGS;
        private int[] largeCommunities = NO_INTS;
        private byte[] originatorId;
        private int[] clusterList = NO_INTS;
        private RawAttribute[] otherAttributes = NO_RAW;

        private Builder() {
        }

        public Builder origin(int origin) {
            this.origin = origin;
            return this;
        }

        public Builder asPath(AsPath asPath) {
            this.asPath = asPath == null ? AsPath.EMPTY : asPath;
            return this;
        }

        public Builder nextHop(byte[] nextHop) {
            this.nextHop = nextHop;
            return this;
        }

        public Builder med(long med) {
            this.med = med;
            return this;
        }

        public Builder localPref(long localPref) {
            this.localPref = localPref;
            return this;
        }

        public Builder atomicAggregate(boolean atomicAggregate) {
            this.atomicAggregate = atomicAggregate;
            return this;
        }

        public Builder aggregator(long asn, byte[] address) {
            this.aggregatorAsn = asn;
            this.aggregatorAddress = address;
            return this;
        }

        public Builder communities(int... communities) {
            this.communities = communities == null ? NO_INTS : communities;
            return this;
        }

        public Builder extendedCommunities(long... extendedCommunities) {
            this.extendedCommunities = extendedCommunities == null ? NO_LONGS : extendedCommunities;
            return this;
        }

        /** Large communities as consecutive triples. */
        public Builder largeCommunities(int... largeCommunities) {
            if (largeCommunities != null && largeCommunities.length % 3 != 0) {
                throw new IllegalArgumentException("large communities come in triples");
            }
            this.largeCommunities = largeCommunities == null ? NO_INTS : largeCommunities;
            return this;
        }

        public Builder originatorId(byte[] originatorId) {
            this.originatorId = originatorId;
            return this;
        }

        public Builder clusterList(int... clusterList) {
            this.clusterList = clusterList == null ? NO_INTS : clusterList;
            return this;
        }

        public Builder otherAttributes(RawAttribute... otherAttributes) {
            this.otherAttributes = otherAttributes == null ? NO_RAW : otherAttributes;
            return this;
        }

        public PathAttributes build() {
            return new PathAttributes(this);
        }
    }
}
