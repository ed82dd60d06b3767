package net.rampart.collector.rib;

import java.util.Arrays;

/**
 * An AS_PATH (RFC 4271, 4-octet ASNs per RFC 6793), held as one int array of segments:
 * {@code [type, count, asn..., type, count, asn...]} with ASNs as unsigned 32-bit values.
 */
public final class AsPath {
    public static final int AS_SET = 1;
    public static final int AS_SEQUENCE = 2;
    public static final int AS_CONFED_SEQUENCE = 3;
    public static final int AS_CONFED_SET = 4;

    public static final AsPath EMPTY = new AsPath(new int[0]);

    private final int[] encoded;
    private final int hash;
    /** Worked out once: every route the path is announced with asks for it (origin validation, detection). */
    private final long originAsn;

    private AsPath(int[] encoded) {
        this.encoded = encoded;
        this.hash = Arrays.hashCode(encoded);
        this.originAsn = originAsn(encoded);
    }

    /**
     * Wraps an encoded segment array, checking its structure.
     *
     * @throws IllegalArgumentException when a segment type or count does not fit
     */
    public static AsPath ofEncoded(int[] encoded) {
        int i = 0;
        while (i < encoded.length) {
            int type = encoded[i];
            if (type < AS_SET || type > AS_CONFED_SET || i + 1 >= encoded.length) {
                throw new IllegalArgumentException("bad AS_PATH segment at " + i);
            }
            int count = encoded[i + 1];
            if (count < 0 || i + 2 + count > encoded.length) {
                throw new IllegalArgumentException("bad AS_PATH segment length at " + i);
            }
            i += 2 + count;
        }
        return encoded.length == 0 ? EMPTY : new AsPath(encoded);
    }

    /** A path of one AS_SEQUENCE. */
    public static AsPath sequence(long... asns) {
        if (asns.length == 0) {
            return EMPTY;
        }
        int[] e = new int[asns.length + 2];
        e[0] = AS_SEQUENCE;
        e[1] = asns.length;
        for (int i = 0; i < asns.length; i++) {
            e[i + 2] = (int) asns[i];
        }
        return new AsPath(e);
    }

    /** The encoded segments; owned by this path, not to be modified. */
    public int[] encoded() {
        return encoded;
    }

    /** The origin AS: the last ASN of a final AS_SEQUENCE; -1 when the path ends in a set or is empty. */
    public long originAsn() {
        return originAsn;
    }

    private static long originAsn(int[] encoded) {
        int lastType = -1;
        int lastAsn = 0;
        boolean any = false;
        for (int i = 0; i < encoded.length; i += 2 + encoded[i + 1]) {
            int count = encoded[i + 1];
            if (count > 0) {
                lastType = encoded[i];
                lastAsn = encoded[i + 1 + count];
                any = true;
            }
        }
        return any && lastType == AS_SEQUENCE ? Integer.toUnsignedLong(lastAsn) : -1;
    }

    public boolean contains(long asn) {
        int a = (int) asn;
        for (int i = 0; i < encoded.length; i += 2 + encoded[i + 1]) {
            for (int j = 0; j < encoded[i + 1]; j++) {
                if (encoded[i + 2 + j] == a) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Every ASN in path order, sets included, as unsigned values. */
    public long[] asns() {
        int n = 0;
        for (int i = 0; i < encoded.length; i += 2 + encoded[i + 1]) {
            n += encoded[i + 1];
        }
        long[] out = new long[n];
        int k = 0;
        for (int i = 0; i < encoded.length; i += 2 + encoded[i + 1]) {
            for (int j = 0; j < encoded[i + 1]; j++) {
                out[k++] = Integer.toUnsignedLong(encoded[i + 2 + j]);
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AsPath p && p.hash == hash && Arrays.equals(p.encoded, encoded);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** The usual text form: {@code 65001 65002 {65003,65004}}, confederation segments in parentheses. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < encoded.length; i += 2 + encoded[i + 1]) {
            int type = encoded[i];
            int count = encoded[i + 1];
            boolean set = type == AS_SET || type == AS_CONFED_SET;
            if (sb.length() > 0) {
                sb.append(' ');
            }
            if (type == AS_CONFED_SEQUENCE || type == AS_CONFED_SET) {
                sb.append('(');
            }
            if (set) {
                sb.append('{');
            }
            for (int j = 0; j < count; j++) {
                if (j > 0) {
                    sb.append(set ? ',' : ' ');
                }
                sb.append(Integer.toUnsignedString(encoded[i + 2 + j]));
            }
            if (set) {
                sb.append('}');
            }
            if (type == AS_CONFED_SEQUENCE || type == AS_CONFED_SET) {
                sb.append(')');
            }
        }
        return sb.toString();
    }
}
