package net.rampart.wire;

/**
 * The one error a Rampart decoder throws: the input is not a valid message of the
 * protocol being decoded. It says what was wrong and where, so a collector can log the
 * offending message with context and carry on with the next one.
 */
public final class DecodeException extends RuntimeException {

    private final int offset;

    /**
     * @param message what was wrong, in the protocol's own terms
     * @param offset  byte offset of the problem within the message, or -1 when unknown
     */
    public DecodeException(String message, int offset) {
        super(message, null, false, false);
        this.offset = offset;
    }

    public DecodeException(String message) {
        this(message, -1);
    }

    /** Byte offset of the problem within the message being decoded, or -1 when unknown. */
    public int offset() {
        return offset;
    }

    @Override
    public String getMessage() {
        return offset < 0 ? super.getMessage() : super.getMessage() + " (at byte " + offset + ")";
    }
}
