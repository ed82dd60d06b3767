package net.rampart.wire.bgp.flowspec;

/**
 * One bitmask operator and value of a FlowSpec component (RFC 8955 section 4.2.1.2): with
 * {@code match} the term is true when all {@code value} bits are set in the data, without it
 * when any is set; {@code not} negates. {@code valueLength} is 1, 2, 4 or 8.
 */
public record BitmaskMatch(boolean and, boolean not, boolean match, int valueLength, long value) {

    public BitmaskMatch {
        FlowSpecValues.checkValue(valueLength, value);
    }

    int operatorBits() {
        return (and ? 0x40 : 0) | FlowSpecValues.lengthBits(valueLength) | (not ? 0x02 : 0) | (match ? 0x01 : 0);
    }

    static BitmaskMatch fromOperator(int op, long value) {
        return new BitmaskMatch((op & 0x40) != 0, (op & 0x02) != 0, (op & 0x01) != 0, 1 << ((op >>> 4) & 3), value);
    }
}
