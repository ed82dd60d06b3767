package net.rampart.wire.bgp.attr;

import java.util.Arrays;
import java.util.Objects;

/** One AS_PATH / AS4_PATH segment (RFC 4271, RFC 5065 confederation types); ASNs are unsigned 32-bit in ints. */
public final class AsPathSegment {

    public enum Type {
        AS_SET(1), AS_SEQUENCE(2), AS_CONFED_SEQUENCE(3), AS_CONFED_SET(4);

        /** By wire value less one; {@code values()} would copy the array for every segment decoded. */
        private static final Type[] BY_WIRE = values();

        private final int wire;

        Type(int wire) {
            this.wire = wire;
        }

        public int wire() {
            return wire;
        }

        /** The type for a wire code, or null when the code is not one of the four. */
        public static Type of(int wire) {
            return wire >= 1 && wire <= 4 ? BY_WIRE[wire - 1] : null;
        }

        public boolean isConfederation() {
            return this == AS_CONFED_SEQUENCE || this == AS_CONFED_SET;
        }
    }

    private final Type type;
    private final int[] asns;

    private AsPathSegment(Type type, int[] asns) {
        this.type = Objects.requireNonNull(type);
        if (asns.length == 0 || asns.length > 255) {
            throw new IllegalArgumentException("a segment holds 1 to 255 ASNs, not " + asns.length);
        }
        this.asns = asns;
    }

    public static AsPathSegment of(Type type, int... asns) {
        return new AsPathSegment(type, asns.clone());
    }

    /** For decoders that built the array themselves and hand it over. */
    static AsPathSegment wrap(Type type, int[] asns) {
        return new AsPathSegment(type, asns);
    }

    public static AsPathSegment sequence(long... asns) {
        int[] a = new int[asns.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = (int) asns[i];
        }
        return new AsPathSegment(Type.AS_SEQUENCE, a);
    }

    public Type type() {
        return type;
    }

    public int size() {
        return asns.length;
    }

    public long asn(int i) {
        return asns[i] & 0xFFFF_FFFFL;
    }

    public int[] asns() {
        return asns.clone();
    }

    /** RFC 4271 path length: a sequence counts each AS, a set counts one, confederation segments none. */
    public int pathLength() {
        return switch (type) {
            case AS_SEQUENCE -> asns.length;
            case AS_SET -> 1;
            default -> 0;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AsPathSegment s && s.type == type && Arrays.equals(s.asns, asns);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + Arrays.hashCode(asns);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        String open = switch (type) {
            case AS_SET -> "{";
            case AS_CONFED_SEQUENCE -> "(";
            case AS_CONFED_SET -> "[";
            default -> "";
        };
        sb.append(open);
        for (int i = 0; i < asns.length; i++) {
            sb.append(i == 0 ? "" : type == Type.AS_SEQUENCE || type == Type.AS_CONFED_SEQUENCE ? " " : ",").append(asn(i));
        }
        sb.append(switch (type) {
            case AS_SET -> "}";
            case AS_CONFED_SEQUENCE -> ")";
            case AS_CONFED_SET -> "]";
            default -> "";
        });
        return sb.toString();
    }
}
