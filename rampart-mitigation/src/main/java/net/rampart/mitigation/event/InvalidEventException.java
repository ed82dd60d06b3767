package net.rampart.mitigation.event;

/** A detector's report that cannot be accepted; {@link #field()} names the field at fault. */
public final class InvalidEventException extends Exception {

    private final String field;

    public InvalidEventException(String field, String detail) {
        super(field + ": " + detail);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
