package net.rampart.wire.bgp;

import java.util.Objects;

/**
 * One problem found in an UPDATE and the RFC 7606 action it calls for. {@code attributeType}
 * is the path attribute's type code, or -1 for the message structure or the NLRI fields.
 */
public record UpdateError(int attributeType, ErrorAction action, String reason) {

    public UpdateError {
        Objects.requireNonNull(action);
        Objects.requireNonNull(reason);
    }
}
