package net.rampart.rpki;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import net.rampart.wire.ip.IpPrefix;

/**
 * An immutable, sorted, duplicate-free set of VRPs held column-wise in primitive arrays
 * (about 26 bytes a VRP instead of several objects), in {@link Vrp} order. Each VRP keeps
 * the name of one trust anchor it came from; the trust anchor is not part of its identity.
 * Each VRP also keeps when its source objects expire, where a source says so (rpki-client's
 * {@code expires}): 4 more bytes a VRP, as unsigned epoch seconds, 0 for unknown. The expiry
 * is not part of a VRP's identity either: RTR and the snapshot hash never see it.
 */
public final class VrpSet {

    private static final int IPV6_BIT = 1 << 16;
    private static final VrpSet EMPTY = new VrpSet(new long[0], new long[0], new int[0], new int[0], new short[0],
            new String[0], new int[0]);

    private final long[] high;
    private final long[] low;
    /** IPv6 flag, prefix length and maximum length: {@code ipv6 << 16 | length << 8 | maxLength}. */
    private final int[] meta;
    private final int[] asn;
    private final short[] trustAnchor;
    private final String[] trustAnchorNames;
    /** Unsigned epoch seconds when the VRP's source objects expire; 0 when no source said. */
    private final int[] expires;

    private VrpSet(long[] high, long[] low, int[] meta, int[] asn, short[] trustAnchor, String[] trustAnchorNames,
            int[] expires) {
        this.high = high;
        this.low = low;
        this.meta = meta;
        this.asn = asn;
        this.trustAnchor = trustAnchor;
        this.trustAnchorNames = trustAnchorNames;
        this.expires = expires;
    }

    public static VrpSet empty() {
        return EMPTY;
    }

    public static VrpSet of(Collection<Vrp> vrps) {
        Builder b = new Builder();
        vrps.forEach(v -> b.add(v, ""));
        return b.build();
    }

    public int size() {
        return asn.length;
    }

    public boolean isEmpty() {
        return asn.length == 0;
    }

    public boolean isIpv6(int i) {
        return (meta[i] & IPV6_BIT) != 0;
    }

    public long high(int i) {
        return high[i];
    }

    public long low(int i) {
        return low[i];
    }

    public int prefixLength(int i) {
        return (meta[i] >>> 8) & 0xFF;
    }

    public int maxLength(int i) {
        return meta[i] & 0xFF;
    }

    public long asn(int i) {
        return Integer.toUnsignedLong(asn[i]);
    }

    public String trustAnchor(int i) {
        return trustAnchorNames[trustAnchor[i]];
    }

    /**
     * When VRP i stops being valid, in epoch seconds, or 0 when unknown (the sources gave
     * no expiry: CSV, Routinator or StayRTR JSON, RTR, SLURM assertions, or a snapshot
     * restored from storage before the first refresh).
     */
    public long expires(int i) {
        return Integer.toUnsignedLong(expires[i]);
    }

    /** Whether the other set, with the same VRPs, carries the same expiry for each. */
    public boolean sameExpiries(VrpSet other) {
        return Arrays.equals(expires, other.expires);
    }

    public IpPrefix prefix(int i) {
        return IpPrefix.of(isIpv6(i), high[i], low[i], prefixLength(i));
    }

    public Vrp get(int i) {
        return new Vrp(prefix(i), maxLength(i), asn(i));
    }

    public void forEach(Consumer<Vrp> action) {
        for (int i = 0; i < size(); i++) {
            action.accept(get(i));
        }
    }

    public List<Vrp> toList() {
        List<Vrp> out = new ArrayList<>(size());
        forEach(out::add);
        return out;
    }

    public int ipv4Count() {
        int n = 0;
        for (int m : meta) {
            if ((m & IPV6_BIT) == 0) {
                n++;
            }
        }
        return n;
    }

    /** How many VRPs name each trust anchor. */
    public Map<String, Integer> countByTrustAnchor() {
        int[] counts = new int[trustAnchorNames.length];
        for (short t : trustAnchor) {
            counts[t]++;
        }
        Map<String, Integer> out = new HashMap<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                out.merge(trustAnchorNames[i], counts[i], Integer::sum);
            }
        }
        return out;
    }

    /** Compares entry i of this set with entry j of the other in {@link Vrp} order. */
    int compare(int i, VrpSet other, int j) {
        int c = Boolean.compare(isIpv6(i), other.isIpv6(j));
        if (c == 0) {
            c = Long.compareUnsigned(high[i], other.high[j]);
        }
        if (c == 0) {
            c = Long.compareUnsigned(low[i], other.low[j]);
        }
        if (c == 0) {
            c = Integer.compare(meta[i] & 0xFFFF, other.meta[j] & 0xFFFF);
        }
        return c != 0 ? c : Integer.compareUnsigned(asn[i], other.asn[j]);
    }

    public boolean contains(Vrp vrp) {
        VrpSet probe = of(List.of(vrp));
        int lo = 0;
        int hi = size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = compare(mid, probe, 0);
            if (c == 0) {
                return true;
            }
            if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return false;
    }

    /** Calls the sinks with the VRPs only in {@code next} (announced) and only in this set (withdrawn). */
    public void diff(VrpSet next, Consumer<Vrp> announced, Consumer<Vrp> withdrawn) {
        int i = 0;
        int j = 0;
        while (i < size() || j < next.size()) {
            int c = i == size() ? 1 : j == next.size() ? -1 : compare(i, next, j);
            if (c == 0) {
                i++;
                j++;
            } else if (c < 0) {
                withdrawn.accept(get(i++));
            } else {
                announced.accept(next.get(j++));
            }
        }
    }

    /** This set without the VRPs the filter rejects. */
    public VrpSet retain(java.util.function.IntPredicate keep) {
        Builder b = new Builder();
        for (int i = 0; i < size(); i++) {
            if (keep.test(i)) {
                b.addRaw(isIpv6(i), high[i], low[i], prefixLength(i), maxLength(i), asn[i], trustAnchor(i),
                        expires(i));
            }
        }
        return b.build();
    }

    /** Feeds every VRP of this set into a builder (for unions). */
    public void addTo(Builder b) {
        for (int i = 0; i < size(); i++) {
            b.addRaw(isIpv6(i), high[i], low[i], prefixLength(i), maxLength(i), asn[i], trustAnchor(i),
                        expires(i));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VrpSet s && Arrays.equals(high, s.high) && Arrays.equals(low, s.low)
                && Arrays.equals(meta, s.meta) && Arrays.equals(asn, s.asn);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(asn) * 31 + Arrays.hashCode(high);
    }

    @Override
    public String toString() {
        return "VrpSet[" + size() + " VRPs]";
    }

    /** Collects VRPs in any order, with duplicates; {@link #build()} sorts and deduplicates. */
    public static final class Builder {
        private long[] high = new long[1024];
        private long[] low = new long[1024];
        private int[] meta = new int[1024];
        private int[] asn = new int[1024];
        private short[] ta = new short[1024];
        private int[] exp = new int[1024];
        private int size;
        private final List<String> taNames = new ArrayList<>();
        private final Map<String, Short> taIndex = new HashMap<>();

        public Builder add(Vrp vrp, String trustAnchor) {
            IpPrefix p = vrp.prefix();
            return addRaw(p.isIpv6(), p.high(), p.low(), p.length(), vrp.maxLength(), (int) vrp.asn(), trustAnchor);
        }

        /** Adds a VRP with a known expiry in epoch seconds (0 for unknown). */
        public Builder add(Vrp vrp, String trustAnchor, long expiresEpochSecond) {
            IpPrefix p = vrp.prefix();
            return addRaw(p.isIpv6(), p.high(), p.low(), p.length(), vrp.maxLength(), (int) vrp.asn(), trustAnchor,
                    expiresEpochSecond);
        }

        /** Adds a VRP whose fields the caller has already validated, with no known expiry. */
        public Builder addRaw(boolean ipv6, long addressHigh, long addressLow, int length, int maxLength, int asnBits,
                String trustAnchor) {
            return addRaw(ipv6, addressHigh, addressLow, length, maxLength, asnBits, trustAnchor, 0);
        }

        /**
         * Adds a VRP whose fields the caller has already validated.
         *
         * @param expiresEpochSecond when its source objects expire, 0 for unknown; instants
         *                           past 2106 (beyond an unsigned int) count as unknown
         */
        public Builder addRaw(boolean ipv6, long addressHigh, long addressLow, int length, int maxLength, int asnBits,
                String trustAnchor, long expiresEpochSecond) {
            if (size == asn.length) {
                int n = size * 2;
                high = Arrays.copyOf(high, n);
                low = Arrays.copyOf(low, n);
                meta = Arrays.copyOf(meta, n);
                asn = Arrays.copyOf(asn, n);
                ta = Arrays.copyOf(ta, n);
                exp = Arrays.copyOf(exp, n);
            }
            high[size] = addressHigh;
            low[size] = addressLow;
            meta[size] = (ipv6 ? IPV6_BIT : 0) | length << 8 | maxLength;
            asn[size] = asnBits;
            ta[size] = trustAnchorIndex(trustAnchor == null ? "" : trustAnchor);
            exp[size] = expiresEpochSecond > 0 && expiresEpochSecond <= 0xFFFF_FFFFL ? (int) expiresEpochSecond : 0;
            size++;
            return this;
        }

        private short trustAnchorIndex(String name) {
            Short idx = taIndex.get(name);
            if (idx == null) {
                if (taNames.size() >= Short.MAX_VALUE) {
                    throw new IllegalArgumentException("too many trust anchor names");
                }
                idx = (short) taNames.size();
                taNames.add(name);
                taIndex.put(name, idx);
            }
            return idx;
        }

        public int size() {
            return size;
        }

        public VrpSet build() {
            if (size == 0) {
                return EMPTY;
            }
            int[] order = new int[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            IndexSort.sort(order, this::compare);
            long[] h = new long[size];
            long[] l = new long[size];
            int[] m = new int[size];
            int[] a = new int[size];
            short[] t = new short[size];
            int[] e = new int[size];
            int n = 0;
            for (int k = 0; k < size; k++) {
                int i = order[k];
                if (n > 0 && h[n - 1] == high[i] && l[n - 1] == low[i] && m[n - 1] == meta[i] && a[n - 1] == asn[i]) {
                    e[n - 1] = mergeExpiry(e[n - 1], exp[i]);
                    continue;
                }
                h[n] = high[i];
                l[n] = low[i];
                m[n] = meta[i];
                a[n] = asn[i];
                t[n] = ta[i];
                e[n] = exp[i];
                n++;
            }
            return new VrpSet(Arrays.copyOf(h, n), Arrays.copyOf(l, n), Arrays.copyOf(m, n), Arrays.copyOf(a, n),
                    Arrays.copyOf(t, n), taNames.toArray(String[]::new), Arrays.copyOf(e, n));
        }

        /**
         * The expiry of a VRP that several sources (or ROAs) list: the VRP stays valid until
         * the last of them lapses, so the latest expiry counts; and one listing with an
         * unknown expiry makes the whole unknown, since nothing says when that one ends.
         */
        private static int mergeExpiry(int a, int b) {
            if (a == 0 || b == 0) {
                return 0;
            }
            return Integer.compareUnsigned(a, b) >= 0 ? a : b;
        }

        private int compare(int i, int j) {
            int c = Integer.compare(meta[i] & IPV6_BIT, meta[j] & IPV6_BIT);
            if (c == 0) {
                c = Long.compareUnsigned(high[i], high[j]);
            }
            if (c == 0) {
                c = Long.compareUnsigned(low[i], low[j]);
            }
            if (c == 0) {
                c = Integer.compare(meta[i] & 0xFFFF, meta[j] & 0xFFFF);
            }
            return c != 0 ? c : Integer.compareUnsigned(asn[i], asn[j]);
        }
    }
}
