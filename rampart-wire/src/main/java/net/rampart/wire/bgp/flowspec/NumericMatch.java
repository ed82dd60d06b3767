package net.rampart.wire.bgp.flowspec;

/**
 * One numeric operator and value of a FlowSpec component (RFC 8955 section 4.2.1.1).
 * {@code and} binds this term to the previous one (otherwise OR); the three comparison bits
 * combine (lt+eq is &lt;=, all three is true, none is false). {@code valueLength} is 1, 2, 4 or 8.
 */
public record NumericMatch(boolean and, boolean lessThan, boolean greaterThan, boolean equal, int valueLength,
                           long value) {

    public NumericMatch {
        FlowSpecValues.checkValue(valueLength, value);
    }

    /** {@code == value}, ORed with the previous term, in the shortest length that holds it. */
    public static NumericMatch eq(long value) {
        return new NumericMatch(false, false, false, true, FlowSpecValues.shortestLength(value), value);
    }

    /** A comparison in the shortest length: {@code op} is one of "==", "<", ">", "<=", ">=", "!=". */
    public static NumericMatch of(boolean and, String op, long value) {
        boolean lt = op.contains("<") || op.equals("!=");
        boolean gt = op.contains(">") || op.equals("!=");
        boolean eq = op.contains("=") && !op.equals("!=");
        return new NumericMatch(and, lt, gt, eq, FlowSpecValues.shortestLength(value), value);
    }

    int operatorBits() {
        return (and ? 0x40 : 0) | FlowSpecValues.lengthBits(valueLength) | (lessThan ? 0x04 : 0)
                | (greaterThan ? 0x02 : 0) | (equal ? 0x01 : 0);
    }

    static NumericMatch fromOperator(int op, long value) {
        return new NumericMatch((op & 0x40) != 0, (op & 0x04) != 0, (op & 0x02) != 0, (op & 0x01) != 0,
                1 << ((op >>> 4) & 3), value);
    }
}
