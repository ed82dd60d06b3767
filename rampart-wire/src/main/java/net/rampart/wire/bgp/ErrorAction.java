package net.rampart.wire.bgp;

/**
 * What RFC 7606 says a receiver does about a malformed UPDATE, from least to most severe.
 * The decoder reports it; acting on it (withdrawing, resetting the session) is the caller's job.
 */
public enum ErrorAction {
    /** Nothing wrong. */
    NONE,
    /** The attribute was dropped; the routes stand with the remaining attributes (RFC 7606 section 2). */
    ATTRIBUTE_DISCARD,
    /** Every route the UPDATE announces must be handled as withdrawn (RFC 7606 section 2). */
    TREAT_AS_WITHDRAW,
    /** The message cannot be parsed reliably; the session must be reset (RFC 4271 NOTIFICATION). */
    SESSION_RESET;

    public ErrorAction worse(ErrorAction other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
