package net.rampart.wire.bgp.nlri;

import java.util.Arrays;

/**
 * The MPLS label field(s) of a labeled NLRI (RFC 8277): 3-byte entries of a 20-bit label,
 * 3 bits TC and the bottom-of-stack bit, kept as on the wire so withdrawals that carry the
 * 0x800000 compatibility value round-trip unchanged.
 */
public final class LabelStack {

    /** RFC 8277 section 2.4: the label field value a withdrawal may carry. */
    public static final int WITHDRAW_COMPATIBILITY = 0x800000;

    private final int[] entries;

    private LabelStack(int[] entries) {
        if (entries.length == 0) {
            throw new IllegalArgumentException("a label stack has at least one entry");
        }
        for (int e : entries) {
            if ((e & ~0xFFFFFF) != 0) {
                throw new IllegalArgumentException("label entries are 24 bits: " + e);
            }
        }
        this.entries = entries;
    }

    /** From raw 24-bit entries. */
    public static LabelStack ofEntries(int... entries) {
        return new LabelStack(entries.clone());
    }

    /** A stack of labels; the last one gets the bottom-of-stack bit. */
    public static LabelStack ofLabels(int... labels) {
        int[] e = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] > 0xFFFFF) {
                throw new IllegalArgumentException("labels are 20 bits: " + labels[i]);
            }
            e[i] = labels[i] << 4 | (i == labels.length - 1 ? 1 : 0);
        }
        return new LabelStack(e);
    }

    public int size() {
        return entries.length;
    }

    public int entry(int i) {
        return entries[i];
    }

    /** The 20-bit label value of entry {@code i}. */
    public int label(int i) {
        return entries[i] >>> 4;
    }

    public int[] entries() {
        return entries.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelStack l && Arrays.equals(l.entries, entries);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(entries);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < entries.length; i++) {
            sb.append(i == 0 ? "" : ",").append(label(i));
        }
        return sb.toString();
    }
}
