package net.rampart.wire.bgp.flowspec;

/** The operator length field shared by numeric and bitmask terms. */
final class FlowSpecValues {

    private FlowSpecValues() {
    }

    static void checkValue(int valueLength, long value) {
        if (valueLength != 1 && valueLength != 2 && valueLength != 4 && valueLength != 8) {
            throw new IllegalArgumentException("value length is 1, 2, 4 or 8: " + valueLength);
        }
        if (valueLength < 8 && (value >>> (8 * valueLength)) != 0) {
            throw new IllegalArgumentException(value + " does not fit " + valueLength + " bytes");
        }
    }

    static int shortestLength(long value) {
        if ((value & ~0xFFL) == 0) {
            return 1;
        }
        if ((value & ~0xFFFFL) == 0) {
            return 2;
        }
        return (value & ~0xFFFF_FFFFL) == 0 ? 4 : 8;
    }

    static int lengthBits(int valueLength) {
        return Integer.numberOfTrailingZeros(valueLength) << 4;
    }
}
