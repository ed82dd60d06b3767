package net.rampart.wire.bgp;

import java.util.Objects;

/**
 * One problem found in an UPDATE and the RFC 7606 action it calls for. {@code attributeType}
 * is the path attribute's type code, or -1 for the message structure or the NLRI fields.
 * {@code problem} says what was wrong, so that a consumer can apply its own policy per kind
 * (a monitoring station keeps routes that only lack a well-known attribute) without reading
 * the reason text, which is for people.
 */
public record UpdateError(int attributeType, Problem problem, ErrorAction action, String reason) {

    /** What was wrong with the UPDATE, in RFC 7606's terms. */
    public enum Problem {
        /** A length field or the NLRI fields cannot be parsed: the message structure is lost. */
        MALFORMED_MESSAGE,
        /** An attribute's header, flags or content is malformed (RFC 7606 sections 3(c), 7). */
        MALFORMED_ATTRIBUTE,
        /** A well-known mandatory attribute is absent (RFC 7606 section 3(d)). */
        MISSING_ATTRIBUTE,
        /** An attribute appears more than once (RFC 7606 section 3(g)). */
        REPEATED_ATTRIBUTE,
        /** An attribute that must not be on this session, e.g. AS4_PATH between 4-octet speakers. */
        UNEXPECTED_ATTRIBUTE
    }

    public UpdateError {
        Objects.requireNonNull(problem);
        Objects.requireNonNull(action);
        Objects.requireNonNull(reason);
    }
}
