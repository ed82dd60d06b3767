package net.rampart.server.security;

import java.util.Locale;

/** What a token may do; each scope includes the ones before it. */
public enum Scope {
    /** Read every resource. */
    READ,
    /** Also act: post attack events, withdraw mitigations, edit the safelist, refresh RPKI, import MRT. */
    OPERATOR,
    /** Also administer: tokens and configuration reloads. */
    ADMIN;

    public boolean includes(Scope required) {
        return compareTo(required) >= 0;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The scope named {@code label} ("read", "operator", "admin"). */
    public static Scope parse(String label) {
        for (Scope s : values()) {
            if (s.label().equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("scope must be read, operator or admin, not '" + label + "'");
    }
}
